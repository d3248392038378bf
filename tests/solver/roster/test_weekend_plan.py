"""Weekends planned for all officers at once where they are scarce: the flow plan sends each
weekend the officers it is short of, within each officer's limit and never on a weekend they
are away for; the shift plan gives each of them the shift types the weekend needs; and the
roster built officer by officer keeps to both."""

from __future__ import annotations

import dataclasses
import importlib

import pytest

from solver.config import SolverConfig
from solver.roster import names
from solver.roster.checker import check_assignments
from solver.roster.construct import construct
from solver.roster.model import build_model
from solver.roster.prepare import absence_for_days
from solver.roster.problem import Limit, MinutesWindow, ShiftRequest, Succession, TemplateLimit
from solver.roster.weekend_plan import flow_plan, shift_plan
from solver.rules import Enforcement

from .conftest import EARLY, LATE, cover, day, make_problem, officer, solve_checked

construct_module = importlib.import_module("solver.roster.construct")
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


def test_the_built_roster_works_the_weekends_the_plan_gives(monkeypatch) -> None:
    # A plan (forced here) that gives Chausiku no weekend: left free she would take the first
    # weekend's earlies, which go short; kept to the plan, she works weekdays only.
    problem = _weekend_post()
    planned = {"amani": frozenset({12, 13}), "baraka": frozenset({5, 6}),
               "chausiku": frozenset()}
    monkeypatch.setattr(construct_module, "flow_plan", lambda *_args: planned)
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
    monkeypatch.setattr(construct_module, "flow_plan", lambda *_args: planned)
    roster = construct(problem, SolverConfig(workers=2, seed=1), 2.0, weekend_plan=True)
    assert roster is not None
    assert check_assignments(problem, roster).hard_violations == ()
    amani_days = {problem.day_index(problem.shift(s).day) for o, s in roster if o == "amani"}
    assert 6 not in amani_days


@pytest.mark.parametrize("asked", [True, False])
def test_weekends_are_planned_where_the_solve_asks(monkeypatch, asked) -> None:
    problem = _weekend_post()
    calls = []
    monkeypatch.setattr(construct_module, "flow_plan", lambda *args: calls.append(args) or {})
    assert construct(problem, SolverConfig(workers=2, seed=1), 0.5,
                     weekend_plan=asked) is not None
    assert bool(calls) == asked


@pytest.mark.parametrize(("windowed", "plan_max_days", "asks"),
                         [(True, 7, True), (False, 7, False), (False, 14, True)])
def test_parts_searched_by_windows_and_short_parts_ask_for_a_weekend_plan(
        monkeypatch, windowed, plan_max_days, asks) -> None:
    # The post's two weeks are a long part where plans stop at one week.
    asked = []

    def construct_recorded(problem, config, seconds, *, weekend_plan=False):  # type: ignore[no-untyped-def]
        asked.append(weekend_plan)
        return construct(problem, config, seconds, weekend_plan=weekend_plan)
    monkeypatch.setattr(roster_solve, "construct", construct_recorded)
    monkeypatch.setattr(roster_solve, "_by_windows", lambda part: windowed)
    monkeypatch.setattr(roster_solve, "SMALL_CONSTRUCT_MIN_VARIABLES", 0)
    monkeypatch.setattr(roster_solve, "PLAN_MAX_DAYS", plan_max_days)
    assert solve_checked(_weekend_post(), seconds=3.0).has_roster
    assert asked == [asks]


def _anyone_on_duty(problem):  # type: ignore[no-untyped-def]
    """Availability as the construction reads it: a shift the officer's model can give them."""
    built = build_model(problem)
    return lambda officer_, index: bool(built.vars.on_day(officer_.id, index))


def test_the_flow_plan_sends_each_weekend_the_officers_it_is_short_of() -> None:
    # The first weekend asks for two officers a day, the second for one: with one weekend
    # each, two officers take the first and one the second; Amani, who asked for the first
    # Saturday off, is the one sent to the second. (Shift types are left to the roster.)
    problem = _weekend_post()
    plan = flow_plan(problem, _anyone_on_duty(problem))
    assert plan == {"amani": frozenset({12, 13}), "baraka": frozenset({5, 6}),
                    "chausiku": frozenset({5, 6})}


def test_the_flow_plan_never_gives_a_weekend_an_officer_is_away_for() -> None:
    # Chausiku is away on the first Sunday: she cannot work that weekend whole, so Amani takes
    # it in spite of her request, and Chausiku the second.
    problem = _weekend_post()
    problem = dataclasses.replace(problem, absences=(
        absence_for_days(problem.officer("chausiku"), day(6), day(6)),))
    plan = flow_plan(problem, _anyone_on_duty(problem))
    assert plan == {"amani": frozenset({5, 6}), "baraka": frozenset({5, 6}),
                    "chausiku": frozenset({12, 13})}


def test_the_roster_built_around_the_flow_plan_covers_every_weekend_shift() -> None:
    # The plan sends Amani to the second weekend, Baraka and Chausiku to the first: the roster
    # built around it staffs every weekend early and the first weekend's late (Baraka's).
    problem = _weekend_post()
    roster = construct(problem, SolverConfig(workers=2, seed=1), 2.0, weekend_plan=True)
    assert roster is not None
    worked = {name: {problem.day_index(problem.shift(s).day) for o, s in roster if o == name}
              & WEEKEND_DAYS for name in ("amani", "baraka", "chausiku")}
    assert worked == {"amani": {12, 13}, "baraka": {5, 6}, "chausiku": {5, 6}}
    report = check_assignments(problem, roster)
    assert report.hard_violations == ()
    assert not [c for c in report.costs if c.rule == names.COVER_UNDER
                and c.day is not None and c.day.weekday() >= 5]


LATE_THEN_EARLY = Succession(first_template="late", second_template="early")


def _succession_post(weeks: int = 1, **amani_rules):  # type: ignore[no-untyped-def]
    """Two officers who both work every weekend, each may work either shift but no early
    straight after a late; every weekend day needs one early and one late."""
    weekend_days = [d for w in range(weeks) for d in (7 * w + 5, 7 * w + 6)]
    common = {"max_weekends": Limit(value=weeks), "forbidden_successions": (LATE_THEN_EARLY,)}
    return make_problem(
        [officer("amani", **common, **amani_rules), officer("baraka", **common)],
        templates=(EARLY, LATE), days=7 * weeks,
        shift_cover=cover(EARLY, weekend_days, under=Enforcement.soft(100))
        + cover(LATE, weekend_days, under=Enforcement.soft(100)))


def _shifts_of(problem, shifts):  # type: ignore[no-untyped-def]
    """Each officer's planned (day, template) pairs."""
    return {name: sorted((problem.day_index(problem.shift(s).day), problem.shift(s).template_id)
                         for s in planned) for name, planned in shifts.items()}


def test_the_shift_plan_meets_each_weekend_shift_within_the_successions() -> None:
    # Two officers, two shifts a day: an early and a late each day is met only by one officer
    # on earlies and the other on lates; a late then an early (the other split) is forbidden.
    problem = _succession_post()
    plan = {"amani": frozenset({5, 6}), "baraka": frozenset({5, 6})}
    shifts = _shifts_of(problem, shift_plan(problem, plan, SolverConfig(workers=2, seed=1), 10.0))
    assert sorted(shifts.values()) == [[(5, "early"), (6, "early")], [(5, "late"), (6, "late")]]


def test_the_shift_plan_spends_the_limits_on_a_type_over_the_weekends() -> None:
    # Amani asks for lates on every weekend day but may work two in all: she gets the lates of
    # one weekend only, and Baraka the other's, so every weekend shift is still met.
    requests = tuple(ShiftRequest(officer_id="amani", day=day(d), kind="on", template_id="late",
                                  enforcement=Enforcement.soft(5)) for d in (5, 6, 12, 13))
    problem = dataclasses.replace(
        _succession_post(weeks=2, max_shifts_per_template=(
            TemplateLimit(template_id="late", limit=Limit(value=2)),)), requests=requests)
    plan = {"amani": frozenset({5, 6, 12, 13}), "baraka": frozenset({5, 6, 12, 13})}
    shifts = _shifts_of(problem, shift_plan(problem, plan, SolverConfig(workers=2, seed=1), 10.0))
    assert sum(template == "late" for _, template in shifts["amani"]) == 2
    assert sorted(shifts["amani"] + shifts["baraka"]) == sorted(
        (d, t) for d in (5, 6, 12, 13) for t in ("early", "late"))


def test_the_built_roster_works_the_shifts_the_plan_gives(monkeypatch) -> None:
    # A shift plan (forced here) that puts Baraka on the earlies: the roster keeps to it.
    problem = _succession_post()
    planned = {"amani": frozenset(s.id for s in problem.shifts
                                  if s.template_id == "late" and s.day.weekday() >= 5),
               "baraka": frozenset(s.id for s in problem.shifts
                                   if s.template_id == "early" and s.day.weekday() >= 5)}
    monkeypatch.setattr(construct_module, "shift_plan", lambda *_args: planned)
    roster = construct(problem, SolverConfig(workers=2, seed=1), 2.0, weekend_plan=True)
    assert roster is not None
    assert {(o, s) for o, s in roster if problem.shift(s).day.weekday() >= 5} == {
        (name, shift) for name, shifts in planned.items() for shift in shifts}
    report = check_assignments(problem, roster)
    assert report.hard_violations == ()
    assert report.objective == 0


def test_a_shift_plan_out_of_time_leaves_the_shifts_to_the_construction() -> None:
    problem = _succession_post()
    plan = {"amani": frozenset({5, 6}), "baraka": frozenset({5, 6})}
    assert shift_plan(problem, plan, SolverConfig(workers=2, seed=1), 0.0) == {}
