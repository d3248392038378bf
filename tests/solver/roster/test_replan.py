"""Re-planning after an officer falls sick: only what the disruption forces changes."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from solver.config import SolverConfig
from solver.roster import names
from solver.roster.checker import check
from solver.roster.problem import PublishedRoster
from solver.roster.replan import OfficerUnavailable, replan
from solver.roster.synthetic import AgencyShape, rusumo_like

from .conftest import solve_checked

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
    lost = {a.shift_id for a in later if a.officer_id == sick}

    solution, diff = replan(problem, OfficerUnavailable(officer_id=sick, first_day=sick_from),
                            SolverConfig(time_limit_seconds=10, workers=2))
    assert solution.has_roster
    report = check(problem, solution)
    # Checked against the original problem, the only hard breach would be the sick days.
    assert report.hard_violations == ()

    assert all(change.day >= sick_from for change in diff.changes)
    sick_days = {problem.shift(s).day for s in lost}
    for change in diff.changes:
        if change.officer_id == sick:
            assert change.after == ()
        else:
            # Someone else changes only on a day the sick officer can no longer work.
            assert change.day in sick_days
    assert {c.day for c in diff.changes if c.officer_id == sick} == sick_days
    replacements = [c for c in diff.changes if c.officer_id != sick]
    assert len(replacements) <= len(lost)
    changes_cost = solution.cost_by_rule().get(names.PUBLISHED_CHANGES, 0)
    assert changes_cost == 1000 * sum(
        len(set(c.before) ^ set(c.after)) for c in diff.changes)


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
