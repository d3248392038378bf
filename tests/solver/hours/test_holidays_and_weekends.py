"""Each side's public holidays, weekends and date-ranged hours, in that side's own zone."""

from __future__ import annotations

from datetime import date, timedelta

from solver.hours import names
from solver.hours.problem import Holiday, HoursOverride, Side, WeeklyHours, windows
from solver.rules import HARD, Enforcement

from .builders import (
    DAY,
    TR,
    TR_ZONE,
    costs_of,
    named,
    office,
    opened,
    problem,
    solve_infeasible,
    solve_optimally,
    span,
    window,
)

SATURDAY = date(2025, 1, 18)


def bg_with_holiday(day: date) -> Side:
    return Side(code="BG", name="Bulgaria", holidays=(Holiday(day=day, name="Test Day"),))


def tr_with_holiday(day: date) -> Side:
    return Side(code="TR", name="Türkiye", holidays=(Holiday(day=day, name="Test Bayramı"),))


def test_closed_on_holidays_hard_against_a_mandatory_window_is_infeasible() -> None:
    customs = office("customs-BG", closed_on_holidays=HARD, mandatory=(window("08:00-12:00"),))
    solution = solve_infeasible(problem(customs, sides=(bg_with_holiday(DAY), TR)))
    lines = named(solution.explanation, names.CLOSED_ON_HOLIDAYS)
    assert lines and lines[0].subject == "Customs BG"
    assert "Test Day" in lines[0].message
    assert named(solution.explanation, names.MANDATORY)


def test_a_holiday_closes_the_whole_local_day_of_its_sides_zone() -> None:
    # An evening window running past Istanbul's midnight into the holiday is cut exactly at
    # that midnight (21:00 UTC), not at Sofia's or UTC's.
    holiday = DAY + timedelta(days=1)
    customs = office(
        "customs-TR", "TR", closed_on_holidays=HARD, officer_hour_cost=1,
        mandatory=(window("20:00-04:00", TR_ZONE),), mandatory_rule=Enforcement.soft(10),
    )
    solution, report = solve_optimally(
        problem(customs, days=2, sides=(Side(code="BG", name="Bulgaria"), tr_with_holiday(holiday)))
    )
    assert opened(solution, "customs-TR") == [span("20:00-24:00", TR_ZONE)]
    assert opened(solution, "customs-TR")[0][1].hour == 21
    assert report.costs == {names.MANDATORY: 40, names.STAFF_HOURS: 4}


def test_a_holiday_of_one_side_does_not_close_the_other_side() -> None:
    bulgarian = office("customs-BG", closed_on_holidays=Enforcement.soft(7),
                       mandatory=(window("08:00-12:00"),))
    turkish = office("customs-TR", "TR", closed_on_holidays=HARD,
                     mandatory=(window("08:00-12:00", TR_ZONE),))
    solution, report = solve_optimally(
        problem(bulgarian, turkish, sides=(bg_with_holiday(DAY), TR))
    )
    assert opened(solution, "customs-TR")
    assert report.costs == {names.CLOSED_ON_HOLIDAYS: 28}
    assert [cost.subject for cost in solution.costs] == ["Customs BG"]


def test_closed_on_weekends_keeps_saturday_shut_and_pays_the_missed_window() -> None:
    customs = office("customs-BG", closed_on_weekends=HARD,
                     mandatory=(window("08:00-12:00", first_day=SATURDAY),),
                     mandatory_rule=Enforcement.soft(10))
    solution, report = solve_optimally(problem(customs, first_day=SATURDAY))
    assert opened(solution, "customs-BG") == []
    assert report.costs == {names.MANDATORY: 40}


def test_weekend_days_are_the_sides_own() -> None:
    # A side whose weekend is Sunday only works on Saturday.
    sunday_only = Side(code="BG", name="Bulgaria", weekend_days=frozenset({6}))
    customs = office("customs-BG", closed_on_weekends=HARD,
                     mandatory=(window("08:00-12:00", first_day=SATURDAY),))
    solution, report = solve_optimally(problem(customs, first_day=SATURDAY, sides=(sunday_only, TR)))
    assert opened(solution, "customs-BG")
    assert report.objective == 0


def test_soft_weekend_closure_is_paid_per_hour_open() -> None:
    customs = office("customs-BG", closed_on_weekends=Enforcement.soft(9),
                     mandatory=(window("08:00-11:00", first_day=SATURDAY),))
    solution, report = solve_optimally(problem(customs, first_day=SATURDAY))
    assert report.costs == {names.CLOSED_ON_WEEKENDS: 27}
    assert costs_of(solution, names.CLOSED_ON_WEEKENDS) == 27


def ramadan(exclusive: Enforcement) -> HoursOverride:
    return HoursOverride(
        label="Ramadan hours", first_day=DAY, last_day=DAY,
        hours=WeeklyHours.every_day(*windows("09:00-15:00")), exclusive=exclusive,
    )


def test_exclusive_date_ranged_hours_allow_opening_only_within_them() -> None:
    customs = office("customs-TR", "TR", overrides=(ramadan(HARD),),
                     mandatory=(window("08:00-16:00", TR_ZONE),), mandatory_rule=Enforcement.soft(10))
    solution, report = solve_optimally(problem(customs))
    assert opened(solution, "customs-TR") == [span("09:00-15:00", TR_ZONE)]
    assert report.costs == {names.MANDATORY: 20}


def test_soft_exclusive_date_ranged_hours_pay_per_hour_outside() -> None:
    customs = office("customs-TR", "TR", overrides=(ramadan(Enforcement.soft(4)),),
                     mandatory=(window("08:00-16:00", TR_ZONE),))
    solution, report = solve_optimally(problem(customs))
    assert opened(solution, "customs-TR") == [span("08:00-16:00", TR_ZONE)]
    assert report.costs == {names.DATE_RANGED_HOURS: 8}


def test_exclusive_date_ranged_hours_against_a_mandatory_window_name_the_override() -> None:
    customs = office("customs-TR", "TR", overrides=(ramadan(HARD),),
                     mandatory=(window("07:00-10:00", TR_ZONE),))
    solution = solve_infeasible(problem(customs))
    lines = named(solution.explanation, names.DATE_RANGED_HOURS)
    assert lines and lines[0].subject == "Customs TR"
    assert "Ramadan hours" in lines[0].message
