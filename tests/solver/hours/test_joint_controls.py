"""Juxtaposed offices with joint controls open and close together (RKC Transitional 3.4)."""

from __future__ import annotations

from solver.hours import names
from solver.hours.problem import Holiday, Side
from solver.rules import HARD, Enforcement

from .builders import (
    DAY,
    TR_ZONE,
    local,
    named,
    office,
    opened,
    pair,
    problem,
    solve_infeasible,
    solve_optimally,
    span,
    window,
)


def joint(bulgarian_fields: dict, turkish_fields: dict, **shared: object):  # type: ignore[no-untyped-def]
    return pair(
        office("customs-BG", officer_hour_cost=10, **bulgarian_fields),
        office("customs-TR", "TR", officer_hour_cost=10, **turkish_fields),
        joint_controls=True, **shared,
    )


def test_counterparts_open_the_union_of_their_mandatory_windows_together() -> None:
    # 08:00-12:00 in Sofia is 06:00-10:00 UTC; 14:00-16:00 in Istanbul is 11:00-13:00 UTC.
    bulgarian, turkish = joint({"mandatory": (window("08:00-12:00"),)},
                               {"mandatory": (window("14:00-16:00", TR_ZONE),)})
    solution, report = solve_optimally(problem(bulgarian, turkish))
    assert opened(solution, "customs-BG") == opened(solution, "customs-TR")
    # The hour between them is a break long enough to close for.
    assert opened(solution, "customs-BG") == [span("08:00-12:00"), span("14:00-16:00", TR_ZONE)]
    assert report.objective == 2 * 10 * 6


def test_joint_controls_against_a_one_sided_closure_are_infeasible() -> None:
    bulgarian, turkish = joint({"mandatory": (window("08:00-12:00"),)},
                               {"never_open": (window("10:00-12:00", TR_ZONE, label="system upgrade"),)})
    solution = solve_infeasible(problem(bulgarian, turkish))
    lines = named(solution.explanation, names.JOINT_CONTROLS)
    assert lines
    assert "Customs BG" in lines[0].subject and "Customs TR" in lines[0].subject


def test_soft_joint_controls_pay_per_hour_one_is_open_alone() -> None:
    # The Turkish office may not open 11:00-13:00 Istanbul (09:00-11:00 Sofia); the Bulgarian
    # office must open 08:00-12:00 Sofia, so it is open alone for two hours.
    bulgarian, turkish = pair(
        office("customs-BG", mandatory=(window("08:00-12:00"),)),
        office("customs-TR", "TR", never_open=(window("10:00-12:00", TR_ZONE),)),
        joint_controls=True, joint_controls_rule=Enforcement.soft(25),
    )
    solution, report = solve_optimally(problem(bulgarian, turkish))
    assert report.costs == {names.JOINT_CONTROLS: 50}
    assert [cost.amount for cost in solution.costs] == [2]
    never_open = span("10:00-12:00", TR_ZONE)
    assert all(end <= never_open[0] or start >= never_open[1]
               for start, end in opened(solution, "customs-TR"))


def test_soft_joint_controls_with_costs_trade_staff_hours_against_the_weight() -> None:
    # Opening the Turkish office alongside costs 10 per hour; being apart costs only 4.
    bulgarian, turkish = pair(
        office("customs-BG", officer_hour_cost=10, mandatory=(window("08:00-12:00"),)),
        office("customs-TR", "TR", officer_hour_cost=10),
        joint_controls=True, joint_controls_rule=Enforcement.soft(4),
    )
    solution, report = solve_optimally(problem(bulgarian, turkish))
    assert opened(solution, "customs-TR") == []
    assert report.costs == {names.STAFF_HOURS: 40, names.JOINT_CONTROLS: 16}


def test_joint_controls_are_hard_when_either_office_holds_them_hard() -> None:
    bulgarian = office("customs-BG", mandatory=(window("08:00-12:00"),),
                       joint_controls_rule=Enforcement.soft(4))
    turkish = office("customs-TR", "TR", never_open=(window("10:00-12:00", TR_ZONE),),
                     joint_controls_rule=HARD)
    bulgarian, turkish = pair(bulgarian, turkish, joint_controls=True)
    solution = solve_infeasible(problem(bulgarian, turkish))
    assert named(solution.explanation, names.JOINT_CONTROLS)


def test_joint_controls_follow_the_counterparts_calendar_closures() -> None:
    # A Turkish holiday closes the Turkish office; with joint controls the Bulgarian office,
    # whose own side works, closes with it, and its soft mandatory window is paid.
    sides = (Side(code="BG", name="Bulgaria"),
             Side(code="TR", name="Türkiye", holidays=(Holiday(day=DAY, name="Bayram"),)))
    bulgarian, turkish = pair(
        office("customs-BG", mandatory=(window("08:00-12:00"),), mandatory_rule=Enforcement.soft(10)),
        office("customs-TR", "TR", closed_on_holidays=HARD),
        joint_controls=True,
    )
    solution, report = solve_optimally(problem(bulgarian, turkish, sides=sides))
    # Istanbul's holiday ends at 21:00 UTC, 23:00 in Sofia: the whole window is lost.
    assert opened(solution, "customs-BG") == opened(solution, "customs-TR")
    assert all(start >= local("00:00", TR_ZONE, day=1) for start, _ in opened(solution, "customs-BG"))
    assert report.costs == {names.MANDATORY: 40}
