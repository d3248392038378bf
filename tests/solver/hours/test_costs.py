"""What opening costs: staff hours (crew x open hours x officer-hour cost) and the premium
for officer-hours outside the regular hours of the day (RKC Standard 3.2)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from solver.hours import names
from solver.hours.problem import CorrelationRule, Holiday, HoursOverride, Side, WeeklyHours, windows

from .builders import (
    BG_ZONE,
    DAY,
    TR,
    TR_ZONE,
    office,
    opened,
    pair,
    problem,
    solve_optimally,
    span,
    window,
)


def test_staff_hours_are_crew_times_open_hours_times_the_officer_hour_cost() -> None:
    customs = office("customs-BG", crew=3, officer_hour_cost=10, mandatory=(window("08:00-12:00"),))
    solution, report = solve_optimally(problem(customs))
    assert report.costs == {names.STAFF_HOURS: 120}
    (cost,) = solution.costs
    assert (cost.rule, cost.subject, cost.day, cost.amount, cost.cost) == (
        names.STAFF_HOURS, "Customs BG", DAY, 4, 120
    )
    assert (report.kpis.office_hours, report.kpis.staff_hours) == (4, 12)


def test_the_premium_is_paid_for_officer_hours_outside_regular_hours() -> None:
    # Regular 08:00-16:00; open 06:00-10:00, two hours of it early, with a crew of two.
    customs = office("customs-BG", crew=2, officer_hour_cost=10, out_of_hours_premium=5,
                     mandatory=(window("06:00-10:00"),))
    solution, report = solve_optimally(problem(customs))
    assert opened(solution, "customs-BG") == [span("06:00-10:00")]
    assert report.costs == {names.STAFF_HOURS: 80, names.OUT_OF_HOURS: 20}
    assert report.kpis.out_of_hours_staff_hours == 4


def test_the_premium_counts_regular_hours_on_the_offices_own_clock() -> None:
    # 08:00-16:00 in Sofia is 09:00-17:00 in Istanbul: one hour past Turkish regular hours.
    customs = office("customs-TR", "TR", out_of_hours_premium=7, mandatory=(window("08:00-16:00"),),
                     officer_hour_cost=1)
    solution, report = solve_optimally(problem(customs))
    assert opened(solution, "customs-TR") == [span("09:00-17:00", TR_ZONE)]
    assert report.costs == {names.STAFF_HOURS: 8, names.OUT_OF_HOURS: 7}


def test_on_a_holiday_without_hours_every_open_hour_is_out_of_hours() -> None:
    customs = office("customs-BG", out_of_hours_premium=5, mandatory=(window("08:00-12:00"),))
    holiday = Side(code="BG", name="Bulgaria", holidays=(Holiday(day=DAY, name="Liberation Day"),))
    solution, report = solve_optimally(problem(customs, sides=(holiday, TR)))
    assert report.costs == {names.OUT_OF_HOURS: 20}


def test_an_office_keeping_its_weekday_hours_on_holidays_pays_no_premium() -> None:
    customs = dataclasses.replace(
        office("customs-BG", out_of_hours_premium=5, mandatory=(window("08:00-12:00"),)),
        regular_hours=WeeklyHours.every_day(*windows("08:00-16:00"), holidays=None),
    )
    holiday = Side(code="BG", name="Bulgaria", holidays=(Holiday(day=DAY, name="Liberation Day"),))
    solution, report = solve_optimally(problem(customs, sides=(holiday, TR)))
    assert report.objective == 0


def test_date_ranged_hours_redefine_the_regular_hours_the_premium_counts_from() -> None:
    ramadan = HoursOverride(label="Ramadan hours", first_day=DAY, last_day=DAY + timedelta(days=1),
                            hours=WeeklyHours.every_day(*windows("09:00-15:00")))
    customs = office("customs-TR", "TR", overrides=(ramadan,), out_of_hours_premium=3,
                     mandatory=(window("08:00-16:00", TR_ZONE),), officer_hour_cost=1)
    solution, report = solve_optimally(problem(customs))
    assert report.costs == {names.STAFF_HOURS: 8, names.OUT_OF_HOURS: 6}


def test_a_premium_moves_optional_opening_into_regular_hours() -> None:
    # Two hours open anywhere on the day would do (a minimum overlap with a partner that is
    # open all day, on the same clock); the premium puts them inside regular hours.
    partner = office("customs-TR", "TR", always_open=True, zone=BG_ZONE)
    customs = office("customs-BG", out_of_hours_premium=5, officer_hour_cost=1)
    customs, partner = pair(customs, partner, correlation=CorrelationRule(min_overlap_minutes=120))
    solution, report = solve_optimally(problem(customs, partner))
    ((start, end),) = opened(solution, "customs-BG")
    assert span("08:00-16:00")[0] <= start and end <= span("08:00-16:00")[1]
    assert report.costs == {names.STAFF_HOURS: 2}
