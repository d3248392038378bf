"""Real time across clocks: counterparts' windows are one interval in UTC, read differently on
each side's clock, through clock changes and zones 15, 30 and 60 minutes apart."""

from __future__ import annotations

from datetime import date

import pytest

from solver.hours import names
from solver.hours.present import local_windows
from solver.hours.problem import Side, StaffingCapacity

from .builders import (
    BG_ZONE,
    TR_ZONE,
    local,
    named,
    office,
    opened,
    pair,
    problem,
    solve_infeasible,
    solve_optimally,
    utc,
    window,
)

SPRING_SATURDAY = date(2025, 3, 29)  # Sofia springs forward on Sunday 30 March at 03:00
AUTUMN_SATURDAY = date(2025, 10, 25)  # and falls back on Sunday 26 October at 04:00


def clocks(solution, post, office_id: str, zone: str | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    return [piece.clock for piece in local_windows(post, solution.windows, office_id, zone)]


def joint_across_dst(first_day: date):  # type: ignore[no-untyped-def]
    bulgarian, turkish = pair(
        office("customs-BG", officer_hour_cost=10,
               mandatory=(window("08:00-12:00", first_day=first_day),
                          window("08:00-12:00", day=1, first_day=first_day))),
        office("customs-TR", "TR", officer_hour_cost=10),
        joint_controls=True,
    )
    return problem(bulgarian, turkish, days=2, first_day=first_day)


def test_joint_controls_across_the_spring_clock_change() -> None:
    post = joint_across_dst(SPRING_SATURDAY)
    solution, _ = solve_optimally(post)
    expected = [(utc(2025, 3, 29, 6), utc(2025, 3, 29, 10)), (utc(2025, 3, 30, 5), utc(2025, 3, 30, 9))]
    assert opened(solution, "customs-BG") == opened(solution, "customs-TR") == expected
    # Sofia keeps 08:00-12:00; Istanbul, which has no clock change, sees the hour move.
    assert clocks(solution, post, "customs-BG") == ["08:00-12:00", "08:00-12:00"]
    assert clocks(solution, post, "customs-TR") == ["09:00-13:00", "08:00-12:00"]


def test_joint_controls_across_the_autumn_clock_change() -> None:
    post = joint_across_dst(AUTUMN_SATURDAY)
    solution, _ = solve_optimally(post)
    expected = [(utc(2025, 10, 25, 5), utc(2025, 10, 25, 9)), (utc(2025, 10, 26, 6), utc(2025, 10, 26, 10))]
    assert opened(solution, "customs-BG") == opened(solution, "customs-TR") == expected
    assert clocks(solution, post, "customs-BG") == ["08:00-12:00", "08:00-12:00"]
    assert clocks(solution, post, "customs-TR") == ["08:00-12:00", "09:00-13:00"]


@pytest.mark.parametrize(("day", "hours"), [(date(2025, 3, 30), 23), (date(2025, 10, 26), 25)])
def test_a_clock_change_day_has_23_or_25_real_hours(day: date, hours: int) -> None:
    customs = office("customs-BG", always_open=True, officer_hour_cost=1,
                     staffing=StaffingCapacity(max_open_minutes_per_day=hours * 60))
    post = problem(customs, first_day=day)
    (office_day,) = post.office_days["customs-BG"]
    assert office_day.end_slot - office_day.first_slot == hours * 4
    solution, report = solve_optimally(post)
    assert report.kpis.office_hours == hours


def test_staffing_for_24_hours_cannot_cover_the_25_hour_autumn_day() -> None:
    customs = office("customs-BG", always_open=True,
                     staffing=StaffingCapacity(max_open_minutes_per_day=24 * 60))
    solution = solve_infeasible(problem(customs, first_day=date(2025, 10, 26)))
    assert named(solution.explanation, names.STAFFING_DAY)[0].subject == "Customs BG"


def test_a_night_window_across_the_spring_gap_lasts_five_real_hours() -> None:
    day = date(2025, 3, 30)
    customs = office("customs-BG", officer_hour_cost=10, mandatory=(window("00:00-06:00", first_day=day),))
    solution, report = solve_optimally(problem(customs, first_day=day))
    assert opened(solution, "customs-BG") == [(utc(2025, 3, 29, 22), utc(2025, 3, 30, 3))]
    assert report.objective == 50


def across(first_zone: str, second_zone: str, text: str, **fields: object):  # type: ignore[no-untyped-def]
    sides = (Side(code="A", name="A"), Side(code="B", name="B"))
    first, second = pair(
        office("customs-A", "A", zone=first_zone, officer_hour_cost=10,
               mandatory=(window(text, first_zone),), **fields),
        office("customs-B", "B", zone=second_zone, officer_hour_cost=10, **fields),
        joint_controls=True,
    )
    return problem(first, second, sides=sides)


@pytest.mark.parametrize(
    ("first_zone", "second_zone", "step", "first_clock", "second_clock", "utc_start"),
    [
        # 15 minutes apart: Nepal (+5:45) and India (+5:30).
        ("Asia/Kathmandu", "Asia/Kolkata", 15, "09:00-17:00", "08:45-16:45", (3, 15)),
        # 30 minutes apart: India and Bangladesh (+6), both opening on the half hour.
        ("Asia/Kolkata", "Asia/Dhaka", 30, "09:00-17:00", "09:30-17:30", (3, 30)),
        # An hour apart: Rwanda (+2) and Tanzania (+3), both on whole hours (Rusumo).
        ("Africa/Kigali", "Africa/Dar_es_Salaam", 60, "08:00-16:00", "09:00-17:00", (6, 0)),
    ],
)
def test_joint_controls_between_zones_apart_by_a_fraction_of_an_hour(
    first_zone: str, second_zone: str, step: int, first_clock: str, second_clock: str,
    utc_start: tuple[int, int],
) -> None:
    post = across(first_zone, second_zone, first_clock, step_minutes=step)
    solution, report = solve_optimally(post)
    start = utc(2025, 1, 14, *utc_start)
    assert opened(solution, "customs-A") == opened(solution, "customs-B")
    ((real_start, real_end),) = opened(solution, "customs-A")
    assert (real_start, (real_end - real_start).total_seconds() / 3600) == (start, 8)
    assert clocks(solution, post, "customs-A") == [first_clock]
    assert clocks(solution, post, "customs-B") == [second_clock]
    assert report.objective == 2 * 8 * 10


def test_hourly_steps_follow_the_offices_own_clock() -> None:
    # Kathmandu opens on its whole hours, which are quarter past in UTC: a mandatory
    # 09:15-10:45 widens to 09:00-11:00 Kathmandu time.
    sides = (Side(code="A", name="Nepal"), Side(code="B", name="India"))
    nepal = office("customs-A", "A", zone="Asia/Kathmandu", officer_hour_cost=10, step_minutes=60,
                   mandatory=(window("09:15-10:45", "Asia/Kathmandu"),))
    solution, report = solve_optimally(problem(nepal, sides=sides))
    assert opened(solution, "customs-A") == [(utc(2025, 1, 14, 3, 15), utc(2025, 1, 14, 5, 15))]
    assert report.objective == 20


def test_a_window_reads_on_the_neighbours_clock() -> None:
    customs = office("customs-BG", officer_hour_cost=1, mandatory=(window("08:00-12:00"),))
    post = problem(customs)
    solution, _ = solve_optimally(post)
    assert opened(solution, "customs-BG") == [(local("08:00"), local("12:00"))]
    assert clocks(solution, post, "customs-BG", TR_ZONE) == ["09:00-13:00"]
    assert clocks(solution, post, "customs-BG", BG_ZONE) == ["08:00-12:00"]
