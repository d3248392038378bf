"""Re-planning after an officer falls sick: only what the disruption forces changes."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from solver.config import SolverConfig
from solver.roster import names
from solver.roster.checker import check
from solver.roster.problem import PublishedRoster, RosterProblem
from solver.roster.replan import OfficerUnavailable, RosterDiff, replan
from solver.roster.synthetic import AgencyShape, rusumo_like

from .conftest import solve_checked

Pairs = frozenset[tuple[str, str]]

SMALL_POST = (AgencyShape("tbs", "Standards TZ (TBS)", "TZ", 6, False),
              AgencyShape("rsb", "Standards RW (RSB)", "RW", 6, False))


def published_post():  # type: ignore[no-untyped-def]
    problem = rusumo_like(seed=3, days=14, agencies=SMALL_POST)
    roster = solve_checked(problem, seconds=10)
    assert roster.has_roster
    published = PublishedRoster(assignments=roster.assigned_pairs(), first_day=problem.start,
                                last_day=problem.end_day)
    return dataclasses.replace(problem, published=published), roster


def test_a_sick_officer_changes_only_their_days_from_the_date_on():
    problem, roster = published_post()
    sick_from = problem.start + timedelta(days=5)
    # The officer with the most published shifts from that day on.
    later = [a for a in roster.assignments if problem.shift(a.shift_id).day >= sick_from]
    sick = max({a.officer_id for a in later},
               key=lambda o: sum(1 for a in later if a.officer_id == o))

    solution, diff = replan(problem, OfficerUnavailable(officer_id=sick, first_day=sick_from),
                            SolverConfig(time_limit_seconds=10, workers=2))
    assert solution.has_roster
    # Proven optimal: no roster keeps the hard rules with cheaper changes.
    assert solution.status == "optimal"
    report = check(problem, solution)
    # Checked against the original problem, the only hard breach would be the sick days.
    assert report.hard_violations == ()
    assert_only_forced_changes(problem, roster.assigned_pairs(), solution.assigned_pairs(),
                               diff, sick, sick_from)
    changes_cost = solution.cost_by_rule().get(names.PUBLISHED_CHANGES, 0)
    assert changes_cost == 1000 * sum(
        len(set(c.before) ^ set(c.after)) for c in diff.changes)


def assert_only_forced_changes(problem: RosterProblem, published: Pairs, replanned: Pairs,
                               diff: RosterDiff, sick: str, sick_from: date) -> None:
    """What a sick officer forces: their days from the date on, and hand-overs to cover them.

    An officer who takes over a sick day may hit a hard limit (minutes, consecutive days) and
    hand one of their own shifts to a colleague, so a change can fall on a day the sick officer
    never worked; but on such a day the same shifts are worked as published, only by whom
    changes, and whoever gives one up took over a sick day.
    """
    lost = {shift_id for officer_id, shift_id in published
            if officer_id == sick and problem.shift(shift_id).day >= sick_from}
    sick_days = {problem.shift(s).day for s in lost}
    assert all(change.day >= sick_from for change in diff.changes)
    assert {c.day for c in diff.changes if c.officer_id == sick} == sick_days
    assert all(c.after == () for c in diff.changes if c.officer_id == sick)

    def worked(pairs: Pairs, day: date) -> list[str]:
        return sorted(s for _, s in pairs if problem.shift(s).day == day)

    took_over = {c.officer_id for c in diff.changes
                 if c.officer_id != sick and c.day in sick_days}
    for change in diff.changes:
        if change.officer_id != sick and change.day not in sick_days:
            assert worked(replanned, change.day) == worked(published, change.day), change
            assert change.officer_id in took_over or not change.before, change
    on_sick_days = [c for c in diff.changes if c.officer_id != sick and c.day in sick_days]
    assert len(on_sick_days) <= len(lost)


def test_without_a_real_change_nothing_moves():
    problem, roster = published_post()
    # An officer with no shift from the last day on falls sick on the last day.
    last = problem.end_day
    idle = next(o.id for o in problem.officers
                if not any(a.officer_id == o.id and problem.shift(a.shift_id).day == last
                           for a in roster.assignments))
    solution, diff = replan(problem, OfficerUnavailable(officer_id=idle, first_day=last),
                            SolverConfig(time_limit_seconds=10, workers=2))
    assert diff.changes == ()
    assert solution.assigned_pairs() == roster.assigned_pairs()
