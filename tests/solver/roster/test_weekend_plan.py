"""Weekends planned for all officers at once where they are scarce: the plan works on a
relaxation that keeps every rule a weekend alone can break, covers the weekend demand within
each officer's limit, and the roster built officer by officer keeps to it."""

from __future__ import annotations

import dataclasses
import importlib

import pytest

from solver.config import SolverConfig
from solver.roster.checker import check_assignments
from solver.roster.construct import construct
from solver.roster.prepare import absence_for_days
from solver.roster.problem import Limit, MinutesWindow, ShiftRequest, TemplateLimit
from solver.roster.weekend_plan import plan_weekends, weekend_problem
from solver.rules import Enforcement

from .conftest import EARLY, LATE, cover, day, make_problem, officer, solve_checked

construct_module = importlib.import_module("solver.roster.construct")
weekend_plan_module = importlib.import_module("solver.roster.weekend_plan")
roster_solve = importlib.import_module("solver.roster.solve")
WEEKEND_DAYS = {5, 6, 12, 13}


def _weekend_post():  # type: ignore[no-untyped-def]
    """Two weeks; three officers, one weekend each, runs of three days at least and two to four
    shifts a week. Baraka works lates only, Amani and Chausiku earlies only. Demand: an early
    on every weekend day, a late on the first weekend; a Friday early (weight 110)."""
    weekly = tuple(MinutesWindow(first_day=day(first), last_day=day(first + 6),
                                 min_minutes=Limit(value=2 * 480),
                                 max_minutes=Limit(value=4 * 480)) for first in (0, 7))
    common = {"working_time": weekly, "max_weekends": Limit(value=1),
              "min_consecutive_days": Limit(value=3)}
    no = Limit(value=0)
    staff = [officer("amani", max_shifts_per_template=(TemplateLimit(template_id="late",
                                                                      limit=no),), **common),
             officer("baraka", max_shifts_per_template=(TemplateLimit(template_id="early",
                                                                       limit=no),), **common),
             officer("chausiku", max_shifts_per_template=(TemplateLimit(template_id="late",
                                                                         limit=no),), **common)]
    return make_problem(
        staff, templates=(EARLY, LATE), days=14,
        shift_cover=cover(EARLY, sorted(WEEKEND_DAYS), under=Enforcement.soft(100))
        + cover(LATE, [5, 6], under=Enforcement.soft(100))
        + cover(EARLY, [4, 11], under=Enforcement.soft(110)),
        requests=(ShiftRequest(officer_id="amani", day=day(5), kind="off"),))


def test_the_relaxation_keeps_the_weekend_days_and_only_the_rules_a_weekend_can_break() -> None:
    problem = _weekend_post()
    relaxed = weekend_problem(problem)
    assert {relaxed.day_index(s.day) for s in relaxed.shifts} == WEEKEND_DAYS
    assert {relaxed.day_index(relaxed.shift(c.shift_id).day)
            for c in relaxed.shift_cover} == WEEKEND_DAYS
    assert relaxed.requests == ()
    for officer_ in relaxed.officers:
        rules = officer_.rules
        assert rules.max_weekends == Limit(value=1)
        assert rules.min_consecutive_days is None
        assert rules.max_shifts_per_template == problem.officer(officer_.id).rules \
            .max_shifts_per_template
        assert [w.max_minutes for w in rules.working_time] == [Limit(value=4 * 480)] * 2
        assert all(w.min_minutes is None for w in rules.working_time)


def test_the_plan_covers_every_weekend_day_within_each_officers_limit() -> None:
    # Three officers, one weekend each, six officer-days demanded: only Baraka can take the
    # lates, so he must take the first weekend, and Amani and Chausiku one weekend each.
    problem = _weekend_post()
    plan = plan_weekends(problem, SolverConfig(workers=2, seed=1), 5.0)
    assert plan == {"amani": plan["amani"], "baraka": frozenset({5, 6}),
                    "chausiku": plan["chausiku"]}
    assert {plan["amani"], plan["chausiku"]} == {frozenset({5, 6}), frozenset({12, 13})}


def test_the_built_roster_works_the_weekends_the_plan_gives(monkeypatch) -> None:
    # A plan (forced here) that gives Chausiku no weekend: left free she would take the first
    # weekend's earlies, which go short; kept to the plan, she works weekdays only.
    problem = _weekend_post()
    planned = {"amani": frozenset({12, 13}), "baraka": frozenset({5, 6}),
               "chausiku": frozenset()}
    monkeypatch.setattr(construct_module, "plan_weekends", lambda *_args: planned)
    roster = construct(problem, SolverConfig(workers=2, seed=1), 2.0, weekend_plan=True)
    assert roster is not None
    for name, days in planned.items():
        worked = {problem.day_index(problem.shift(s).day) for o, s in roster if o == name}
        assert worked & WEEKEND_DAYS == days
    report = check_assignments(problem, roster)
    assert report.hard_violations == ()
    assert report.objective == 200  # the first weekend's two earlies


def test_an_officer_the_plan_leaves_no_roster_is_built_free(monkeypatch) -> None:
    # The plan (forced here) puts Amani on the first weekend, but she is on leave that Sunday:
    # no roster keeps to it, so her roster is built without the plan, still within her rules.
    problem = _weekend_post()
    problem = dataclasses.replace(problem, absences=(
        absence_for_days(problem.officer("amani"), day(6), day(6)),))
    planned = {"amani": frozenset({5, 6}), "baraka": frozenset({5, 6}),
               "chausiku": frozenset({12, 13})}
    monkeypatch.setattr(construct_module, "plan_weekends", lambda *_args: planned)
    roster = construct(problem, SolverConfig(workers=2, seed=1), 2.0, weekend_plan=True)
    assert roster is not None
    assert check_assignments(problem, roster).hard_violations == ()
    amani_days = {problem.day_index(problem.shift(s).day) for o, s in roster if o == "amani"}
    assert 6 not in amani_days


@pytest.mark.parametrize(("asked", "most_pairs", "planned"),
                         [(True, 250_000, True), (False, 250_000, False), (True, 23, False)])
def test_weekends_are_planned_where_the_solve_asks_and_they_are_few_enough(
        monkeypatch, asked, most_pairs, planned) -> None:
    # Three officers and four weekend days of two shifts: 24 officer-shift pairs to plan.
    problem = _weekend_post()
    calls = []
    monkeypatch.setattr(construct_module, "plan_weekends",
                        lambda *args: calls.append(args) or None)
    monkeypatch.setattr(weekend_plan_module, "PLAN_MAX_PAIRS", most_pairs)
    assert construct(problem, SolverConfig(workers=2, seed=1), 0.5,
                     weekend_plan=asked) is not None
    assert bool(calls) == planned


@pytest.mark.parametrize("windowed", [True, False])
def test_only_parts_searched_by_windows_ask_for_a_weekend_plan(monkeypatch, windowed) -> None:
    asked = []

    def construct_recorded(problem, config, seconds, *, weekend_plan=False):  # type: ignore[no-untyped-def]
        asked.append(weekend_plan)
        return construct(problem, config, seconds, weekend_plan=weekend_plan)
    monkeypatch.setattr(roster_solve, "construct", construct_recorded)
    monkeypatch.setattr(roster_solve, "_by_windows", lambda part: windowed)
    monkeypatch.setattr(roster_solve, "SMALL_CONSTRUCT_MIN_VARIABLES", 0)
    assert solve_checked(_weekend_post(), seconds=3.0).has_roster
    assert asked == [windowed]
