"""Staffing capacity per day, per week and over the plan, the post's staff-hour budget, and
how capacity follows from an officer pool."""

from __future__ import annotations

import pytest

from solver.hours import names
from solver.hours.baseline import aligned_reference, fallback_reference
from solver.hours.capacity import staffing_capacity
from solver.hours.problem import StaffingCapacity
from solver.rules import HARD, Enforcement

from .builders import (
    POST,
    TR_ZONE,
    named,
    office,
    opened,
    pair,
    problem,
    solve_infeasible,
    solve_optimally,
    window,
)

TEN_HOURS = (window("07:00-17:00"),)


def test_daily_capacity_below_a_mandatory_window_is_infeasible() -> None:
    customs = office("customs-BG", mandatory=TEN_HOURS,
                     staffing=StaffingCapacity(max_open_minutes_per_day=8 * 60))
    solution = solve_infeasible(problem(customs))
    lines = named(solution.explanation, names.STAFFING_DAY)
    assert lines and lines[0].subject == "Customs BG"
    assert "8 h" in lines[0].message


def test_soft_daily_capacity_pays_per_hour_beyond_it() -> None:
    customs = office("customs-BG", mandatory=TEN_HOURS,
                     staffing=StaffingCapacity(max_open_minutes_per_day=8 * 60,
                                               enforcement=Enforcement.soft(15)))
    solution, report = solve_optimally(problem(customs))
    assert report.costs == {names.STAFFING_DAY: 30}
    assert [cost.amount for cost in solution.costs] == [2]


def test_daily_capacity_binds_each_local_day_separately() -> None:
    # Ten hours over two days, five each: a daily limit of six holds, but not of four.
    both_days = (window("10:00-15:00"), window("10:00-15:00", day=1))
    ok = office("customs-BG", mandatory=both_days,
                staffing=StaffingCapacity(max_open_minutes_per_day=6 * 60))
    solution, report = solve_optimally(problem(ok, days=2))
    assert report.kpis.office_hours >= 10
    tight = office("customs-BG", mandatory=both_days,
                   staffing=StaffingCapacity(max_open_minutes_per_day=4 * 60))
    solve_infeasible(problem(tight, days=2))


def test_capacity_over_the_plan_caps_the_sum_of_both_days() -> None:
    both_days = (window("10:00-15:00"), window("10:00-15:00", day=1))
    customs = office("customs-BG", mandatory=both_days, mandatory_rule=Enforcement.soft(20),
                     staffing=StaffingCapacity(max_open_minutes_in_plan=8 * 60))
    solution, report = solve_optimally(problem(customs, days=2))
    # Eight hours can be staffed; the two mandatory hours left closed are paid.
    assert report.kpis.office_hours == 8
    assert report.costs == {names.MANDATORY: 40}


def test_hard_capacity_over_the_plan_names_the_rule() -> None:
    both_days = (window("10:00-15:00"), window("10:00-15:00", day=1))
    customs = office("customs-BG", mandatory=both_days,
                     staffing=StaffingCapacity(max_open_minutes_in_plan=8 * 60))
    solution = solve_infeasible(problem(customs, days=2))
    assert named(solution.explanation, names.STAFFING_PLAN)[0].subject == "Customs BG"


def test_weekly_capacity_counts_the_local_days_of_the_week() -> None:
    both_days = (window("10:00-15:00"), window("10:00-15:00", day=1))
    customs = office("customs-BG", mandatory=both_days,
                     staffing=StaffingCapacity(max_open_minutes_per_week=9 * 60,
                                               enforcement=Enforcement.soft(3)))
    solution, report = solve_optimally(problem(customs, days=2))
    assert report.costs == {names.STAFFING_WEEK: 3}
    assert [cost.rule for cost in solution.costs] == [names.STAFFING_WEEK]


def test_staff_budget_counts_officer_hours_of_every_office() -> None:
    bulgarian = office("customs-BG", crew=3, mandatory=(window("08:00-12:00"),))
    turkish = office("customs-TR", "TR", crew=2, mandatory=(window("08:00-12:00", TR_ZONE),))
    # 3 x 4 + 2 x 4 = 20 officer-hours: a budget of 20 holds.
    solution, report = solve_optimally(problem(bulgarian, turkish, staff_hours_budget=20))
    assert report.kpis.staff_hours == 20
    short = solve_infeasible(problem(bulgarian, turkish, staff_hours_budget=19))
    lines = named(short.explanation, names.STAFF_BUDGET)
    assert lines and lines[0].subject == POST


def test_soft_staff_budget_pays_per_officer_hour_beyond_it() -> None:
    bulgarian = office("customs-BG", crew=3, mandatory=(window("08:00-12:00"),))
    turkish = office("customs-TR", "TR", crew=2, mandatory=(window("08:00-12:00", TR_ZONE),))
    solution, report = solve_optimally(
        problem(bulgarian, turkish, staff_hours_budget=17, staff_budget_rule=Enforcement.soft(6))
    )
    assert report.costs == {names.STAFF_BUDGET: 18}
    assert opened(solution, "customs-BG") and opened(solution, "customs-TR")


def test_staffing_capacity_derivation() -> None:
    # 10 officers in crews of 2, 40 h contracts, 12 h shifts with a 30-minute handover:
    # week = 10 x 2400 x 690/720 / 2 = 11,500 min, down to the grid 11,490; five crews a day
    # could staff far more than a day, so the day is 24 h.
    capacity = staffing_capacity(officers=10, crew=2, contract_minutes_per_week=2400,
                                 handover_minutes=30)
    assert capacity == StaffingCapacity(max_open_minutes_per_day=1440,
                                        max_open_minutes_per_week=11490, enforcement=HARD)


def test_staffing_capacity_of_a_single_crew_is_one_shift_a_day() -> None:
    # Three officers make one crew of two; a day then is one shift less its handover, and a
    # longer daily rest shortens the longest shift.
    capacity = staffing_capacity(officers=3, crew=2, contract_minutes_per_week=2400,
                                 min_daily_rest_minutes=14 * 60, handover_minutes=15)
    assert capacity.max_open_minutes_per_day == 10 * 60 - 15
    assert capacity.max_open_minutes_per_week == 3510  # 3 x 2400 x 585/600 / 2


def test_staffing_capacity_with_absences_and_no_full_crew() -> None:
    capacity = staffing_capacity(officers=2, crew=3, contract_minutes_per_week=2400,
                                 availability=0.5)
    assert capacity.max_open_minutes_per_day == 0
    assert capacity.max_open_minutes_per_week == 795  # 2 x 0.5 x 2400 / 3 = 800, down to 795


def test_staffing_capacity_refuses_impossible_inputs() -> None:
    with pytest.raises(ValueError):
        staffing_capacity(officers=3, crew=0, contract_minutes_per_week=2400)
    with pytest.raises(ValueError):
        staffing_capacity(officers=3, crew=1, contract_minutes_per_week=2400, availability=1.5)
    with pytest.raises(ValueError):
        staffing_capacity(officers=3, crew=1, contract_minutes_per_week=2400,
                          max_shift_minutes=60, handover_minutes=60)


def test_under_a_budget_counterparts_fall_back_on_the_hours_they_share() -> None:
    # Both open 08:00-16:00 local; in January Istanbul's day starts an hour before Sofia's,
    # so together they open 06:00-13:00 UTC, and either of them 05:00-14:00 UTC.
    post = problem(*pair(office("customs-BG", crew=2), office("customs-TR", "TR", crew=2),
                         joint_controls=True),
                   staff_hours_budget=2 * 2 * 7)
    widened, narrowed = aligned_reference(post), aligned_reference(post, how="narrow")
    for office_id in ("customs-BG", "customs-TR"):
        assert sum(widened[office_id][:post.plan_slots]) == 9 * 4
        assert sum(narrowed[office_id][:post.plan_slots]) == 7 * 4
        assert all(post.reference_open[office_id][slot] for slot, is_open in enumerate(narrowed[office_id]) if is_open)
    # The widened hours break the budget, the shared ones keep it and every other rule.
    rows, report = fallback_reference(post)
    assert rows == narrowed and report.errors == ()
    assert report.kpis is not None and report.kpis.staff_hours == 28
