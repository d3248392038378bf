"""Priority order and quotas: the post's queue, cycling through classes by their quotas."""

from __future__ import annotations

from solver.inspections import InspectionRules, names
from solver.inspections.queue import QueueEntry, cycle_of, queue_order
from solver.rules import Enforcement

from .builders import CLASSES, at, problem, request, site, solve_checked


def test_cycle_of_repeats_each_class_by_its_quota_in_rank_order() -> None:
    assert cycle_of(CLASSES) == ("live_animals", "perishable", "aeo", *["regular"] * 5)


def test_queue_order_interleaves_classes_one_one_one_five() -> None:
    entries = [QueueEntry(f"R{i}", "regular", i) for i in range(7)]
    entries += [
        QueueEntry("P1", "perishable", 20),
        QueueEntry("P2", "perishable", 21),
        QueueEntry("A1", "aeo", 22),
    ]
    order = queue_order(entries, CLASSES, window_minutes=60)
    assert order == ("P1", "A1", "R0", "R1", "R2", "R3", "R4", "P2", "R5", "R6")


def test_queue_order_keeps_queue_windows_in_time_order() -> None:
    entries = [QueueEntry("R-early", "regular", 10), QueueEntry("P-late", "perishable", 70)]
    assert queue_order(entries, CLASSES, window_minutes=60) == ("R-early", "P-late")


def _pair(rules: InspectionRules):  # type: ignore[no-untyped-def]
    # One customs officer; "A" has the earlier turn but takes 120 min, "B" 30 min.
    post = site(rules=rules)
    first, second = request("A", duration=120), request("B", duration=30)
    return solve_checked(problem(post, [first, second]))


def test_queue_order_soft_lets_a_short_inspection_overtake_at_a_price() -> None:
    solution = _pair(InspectionRules())
    assert solution.inspection("B").first_start == at(0)  # type: ignore[union-attr]
    assert solution.inspection("A").first_start == at(0.5)  # type: ignore[union-attr]
    (overtaken,) = [v for v in solution.violations if v.rule == names.QUEUE_ORDER]
    assert (overtaken.subject, overtaken.amount, overtaken.cost) == ("A", 30, 30)


def test_queue_order_weight_decides_whether_overtaking_pays() -> None:
    solution = _pair(InspectionRules(queue_order=Enforcement.soft(4)))
    assert solution.inspection("A").first_start == at(0)  # type: ignore[union-attr]
    assert solution.inspection("B").first_start == at(2)  # type: ignore[union-attr]


def test_queue_order_hard_never_overtakes() -> None:
    solution = _pair(InspectionRules(queue_order=Enforcement()))
    assert solution.inspection("A").first_start == at(0)  # type: ignore[union-attr]
    assert not [v for v in solution.violations if v.rule == names.QUEUE_ORDER]
