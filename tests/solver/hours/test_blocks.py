"""The shape of an office's opening: blocks per day, minimum block, no short break, and the
fragmentation cost of every block."""

from __future__ import annotations

from solver.hours import names
from solver.hours.problem import BlockRules
from solver.rules import Enforcement

from .builders import (
    local,
    named,
    office,
    opened,
    problem,
    solve_infeasible,
    solve_optimally,
    span,
    window,
)

MORNING_AND_AFTERNOON = (window("08:00-10:00"), window("14:00-16:00"))
THREE_ROUNDS = (window("08:00-10:00"), window("12:00-14:00"), window("16:00-18:00"))


def test_one_block_a_day_bridges_the_gap_between_two_mandatory_windows() -> None:
    customs = office("customs-BG", officer_hour_cost=10, mandatory=MORNING_AND_AFTERNOON,
                     blocks=BlockRules(max_blocks_per_day=1))
    solution, report = solve_optimally(problem(customs))
    assert opened(solution, "customs-BG") == [span("08:00-16:00")]
    assert report.objective == 80


def test_two_blocks_a_day_keep_the_gap_closed() -> None:
    customs = office("customs-BG", officer_hour_cost=10, mandatory=MORNING_AND_AFTERNOON)
    solution, report = solve_optimally(problem(customs))
    assert opened(solution, "customs-BG") == [span("08:00-10:00"), span("14:00-16:00")]
    assert report.objective == 40


def test_soft_block_limit_is_paid_when_bridging_costs_more() -> None:
    # Bridging a two-hour gap costs 20 in staff hours; a third block costs 10. The plan pays
    # for the extra block.
    customs = office("customs-BG", officer_hour_cost=10, mandatory=THREE_ROUNDS,
                     blocks=BlockRules(max_blocks_per_day=2, max_blocks=Enforcement.soft(10)))
    solution, report = solve_optimally(problem(customs))
    assert len(opened(solution, "customs-BG")) == 3
    assert report.costs == {names.STAFF_HOURS: 60, names.MAX_BLOCKS: 10}


def test_soft_block_limit_is_kept_when_bridging_is_cheaper() -> None:
    customs = office("customs-BG", officer_hour_cost=10, mandatory=THREE_ROUNDS,
                     blocks=BlockRules(max_blocks_per_day=2, max_blocks=Enforcement.soft(100)))
    solution, report = solve_optimally(problem(customs))
    assert len(opened(solution, "customs-BG")) == 2
    assert report.costs == {names.STAFF_HOURS: 80}


def test_a_block_running_from_the_start_of_the_plan_is_not_counted_against_the_limit() -> None:
    # One block a day, a lunch closure between the two windows: the morning window is reached
    # by opening from midnight, which continues the previous day's opening.
    customs = office("customs-BG", officer_hour_cost=10, mandatory=MORNING_AND_AFTERNOON,
                     never_open=(window("11:00-13:00", label="lunch"),),
                     blocks=BlockRules(max_blocks_per_day=1))
    solution, report = solve_optimally(problem(customs))
    assert opened(solution, "customs-BG") == [span("00:00-10:00"), span("14:00-16:00")]
    assert report.objective == 120


def test_hard_block_limit_against_three_separated_mandatory_windows_is_infeasible() -> None:
    customs = office("customs-BG", mandatory=THREE_ROUNDS,
                     never_open=(window("11:00-11:30"), window("15:00-15:30")),
                     blocks=BlockRules(max_blocks_per_day=1))
    solution = solve_infeasible(problem(customs))
    lines = named(solution.explanation, names.MAX_BLOCKS)
    assert lines and lines[0].subject == "Customs BG"


def test_minimum_block_stretches_a_one_hour_mandatory_window_to_two_hours() -> None:
    customs = office("customs-BG", officer_hour_cost=10, mandatory=(window("08:00-09:00"),))
    solution, report = solve_optimally(problem(customs))
    (start, end), = opened(solution, "customs-BG")
    assert end - start == span("08:00-10:00")[1] - span("08:00-10:00")[0]
    assert start <= local("08:00") and end >= local("09:00")
    assert report.objective == 20


def test_soft_minimum_block_pays_per_hour_short() -> None:
    # Three hours minimum at 5 per hour short is cheaper than two more staff hours at 10.
    customs = office("customs-BG", officer_hour_cost=10, mandatory=(window("08:00-09:00"),),
                     blocks=BlockRules(min_block_minutes=180, min_block=Enforcement.soft(5)))
    solution, report = solve_optimally(problem(customs))
    assert opened(solution, "customs-BG") == [span("08:00-09:00")]
    assert report.costs == {names.STAFF_HOURS: 10, names.MIN_BLOCK: 10}


def test_no_break_shorter_than_an_hour_fills_a_half_hour_gap() -> None:
    customs = office("customs-BG", officer_hour_cost=10,
                     mandatory=(window("08:00-10:00"), window("10:30-12:30")))
    solution, report = solve_optimally(problem(customs))
    assert opened(solution, "customs-BG") == [span("08:00-12:30")]
    assert report.objective == 45


def test_soft_fragment_rule_pays_for_a_short_break() -> None:
    customs = office("customs-BG", officer_hour_cost=10,
                     mandatory=(window("08:00-10:00"), window("10:30-12:30")),
                     blocks=BlockRules(min_fragment=Enforcement.soft(4)))
    solution, report = solve_optimally(problem(customs))
    # The half-hour break is half an hour short of the hour: 2 in fragment cost against 5 in
    # staff hours to bridge it.
    assert opened(solution, "customs-BG") == [span("08:00-10:00"), span("10:30-12:30")]
    assert report.costs == {names.STAFF_HOURS: 40, names.MIN_FRAGMENT: 2}


def test_block_cost_merges_blocks_when_a_block_costs_more_than_the_gap() -> None:
    customs = office("customs-BG", officer_hour_cost=10, mandatory=MORNING_AND_AFTERNOON,
                     blocks=BlockRules(block_cost=50))
    solution, report = solve_optimally(problem(customs))
    # One block of 8 h (130) beats two of 4 h (140) and opening from midnight (160).
    assert opened(solution, "customs-BG") == [span("08:00-16:00")]
    assert report.costs == {names.STAFF_HOURS: 80, names.FRAGMENTATION: 50}


def test_a_block_open_when_the_plan_begins_is_neither_counted_nor_measured() -> None:
    # Open from the first slot for 30 minutes: it continues from before the plan.
    customs = office("customs-BG", mandatory=(window("00:00-00:30"),), officer_hour_cost=10,
                     blocks=BlockRules(block_cost=7))
    solution, report = solve_optimally(problem(customs))
    assert opened(solution, "customs-BG") == [span("00:00-00:30")]
    assert report.costs == {names.STAFF_HOURS: 5}


def test_soft_minimum_block_counts_every_short_slot_of_a_half_hour_step() -> None:
    # Opening on half hours, a 30-minute block is two quarter hours short of the hour: 0.5 h
    # at 4, cheaper than another half hour of staff at 10 an hour.
    customs = office("customs-BG", officer_hour_cost=10, step_minutes=30,
                     mandatory=(window("08:00-08:30"),),
                     blocks=BlockRules(min_block_minutes=60, min_block=Enforcement.soft(4)))
    solution, report = solve_optimally(problem(customs))
    assert opened(solution, "customs-BG") == [span("08:00-08:30")]
    assert report.costs == {names.STAFF_HOURS: 5, names.MIN_BLOCK: 2}
    assert [cost.amount for cost in solution.costs if cost.rule == names.MIN_BLOCK] == [0.5]


def test_soft_fragment_rule_counts_every_short_slot_of_a_half_hour_step() -> None:
    customs = office("customs-BG", officer_hour_cost=10, step_minutes=30,
                     mandatory=(window("08:00-10:00"), window("10:30-12:30")),
                     blocks=BlockRules(min_fragment=Enforcement.soft(4)))
    solution, report = solve_optimally(problem(customs))
    assert opened(solution, "customs-BG") == [span("08:00-10:00"), span("10:30-12:30")]
    assert report.costs == {names.STAFF_HOURS: 40, names.MIN_FRAGMENT: 2}
