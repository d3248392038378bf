"""Sharing a staff-hour budget among a post's parts (``solver.hours.budget``): what each part
gets, in what order, and what a part searched again within its share passes on."""

from __future__ import annotations

from solver.hours.budget import Choice, Option, allocate, blend, choice, officer_slots
from solver.hours.checker import evaluate
from solver.hours.present import windows_from_states

from .builders import arrivals, flow, local, office, problem, span


def _option(name: str, slots: int, cost: float) -> Option[str]:
    return Option(plan=name, officer_slots=slots, cost=cost)


def test_a_choice_orders_its_plans_by_officer_hours_and_drops_a_dearer_richer_one() -> None:
    lean, rich = _option("lean", 10, 500.0), _option("free", 30, 100.0)
    assert choice(rich, lean) == Choice(lean=lean, rich=rich)
    assert choice(rich, lean).saving_per_officer_slot == 20.0
    # A free search stopped early may use more hours and cost more: no reason to pay for it.
    worse = _option("free", 30, 600.0)
    assert choice(lean, worse) == Choice(lean=lean, rich=None)
    # Fewer hours and cheaper: the free plan is the lean one, with nothing richer.
    better = _option("free", 5, 50.0)
    assert choice(lean, better) == Choice(lean=better, rich=None)


def _no_search(index: int, allowed: int) -> Option[str] | None:
    raise AssertionError(f"part {index} should not be searched again ({allowed} slots)")


def test_spare_officer_hours_go_to_the_richer_plans_that_save_most_per_hour() -> None:
    choices = [
        Choice(lean=_option("a-lean", 10, 1_000.0), rich=_option("a-free", 20, 900.0)),  # 10 per slot
        Choice(lean=_option("b-lean", 10, 5_000.0), rich=_option("b-free", 30, 1_000.0)),  # 200
        Choice(lean=_option("c-lean", 0, 40.0), rich=None),
    ]
    # 20 spare: b's richer plan fits exactly, and nothing is left for a.
    chosen = allocate(choices, 40, _no_search)
    assert chosen is not None
    assert [option.plan for option in chosen] == ["a-lean", "b-free", "c-lean"]
    # 30 spare: both.
    chosen = allocate(choices, 50, _no_search)
    assert chosen is not None and [option.plan for option in chosen] == ["a-free", "b-free", "c-lean"]


def test_a_part_whose_richer_plan_does_not_fit_is_searched_within_what_is_left_and_passes_on_the_rest() -> None:
    choices = [
        Choice(lean=_option("a-lean", 10, 1_000.0), rich=_option("a-free", 14, 900.0)),  # 25 per slot
        Choice(lean=_option("b-lean", 10, 5_000.0), rich=_option("b-free", 30, 1_000.0)),  # 200
    ]
    searched: list[tuple[int, int]] = []

    def search(index: int, allowed: int) -> Option[str] | None:
        searched.append((index, allowed))
        # b within 18 slots finds a plan that uses 14 of them: 4 pass on to a.
        return _option("b-searched", 14, 3_000.0) if index == 1 else None

    chosen = allocate(choices, 28, search)
    assert searched == [(1, 18)]
    assert chosen is not None and [option.plan for option in chosen] == ["a-free", "b-searched"]


def test_a_search_that_finds_nothing_better_keeps_the_lean_plan() -> None:
    choices = [Choice(lean=_option("a-lean", 10, 1_000.0), rich=_option("a-free", 30, 100.0))]
    chosen = allocate(choices, 15, lambda index, allowed: _option("a-worse", 12, 2_000.0))
    assert chosen is not None and [option.plan for option in chosen] == ["a-lean"]


def test_a_budget_below_the_lean_plans_has_no_share() -> None:
    choices = [Choice(lean=_option("a-lean", 10, 1_000.0), rich=None)] * 2
    assert allocate(choices, 19, _no_search) is None


def _rows(problem, office_id: str, *texts: str) -> dict[str, tuple[bool, ...]]:  # type: ignore[no-untyped-def]
    opened = set()
    for text in texts:
        start, end = span(text)
        opened.update(problem.slot_range(start, end))
    return {office_id: tuple(slot in opened for slot in range(problem.plan_slots))}


def _lab_part():  # type: ignore[no-untyped-def]
    """The laboratory alone with 24/7 police: chemicals arrive 12:00-14:00."""
    police = office("police-BG", always_open=True, crew=2)
    lab = office("lab-BG", regular="08:00-10:00", officer_hour_cost=10)
    chemicals = flow("police-BG", "lab-BG", ident="chemicals", waiting_cost=200,
                     arriving=arrivals(local("12:00"), [2] * 8))
    return problem(police, lab, flows=[chemicals])


def test_a_blend_buys_the_richer_plans_hours_that_clear_the_most_waiting() -> None:
    post = _lab_part()
    lean = _rows(post, "lab-BG", "08:00-10:00")
    rich = _rows(post, "lab-BG", "08:00-10:00", "12:00-14:00", "18:00-20:00")
    plans = blend(post, frozenset({"lab-BG"}), lean, rich, allowed=16)
    # Two hours to spend: the run when the chemicals queue, not the empty evening.
    assert plans and plans[0] == _rows(post, "lab-BG", "08:00-10:00", "12:00-14:00")
    assert officer_slots(post, plans[0], frozenset({"lab-BG"})) <= 16
    assert check_plan(post, plans[0]) == ()


def test_a_blend_opens_a_break_left_shorter_than_an_hour() -> None:
    post = _lab_part()
    lean = _rows(post, "lab-BG", "08:00-12:30")
    rich = _rows(post, "lab-BG", "08:00-10:00", "13:00-15:00")
    plans = blend(post, frozenset({"lab-BG"}), lean, rich, allowed=40, rounds=1)
    # Adding 13:00-15:00 leaves a half-hour break after 12:30, which the rules forbid.
    assert plans == [_rows(post, "lab-BG", "08:00-15:00")]
    assert check_plan(post, plans[0]) == ()


def check_plan(post, rows) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    states = {o.id: (True,) * post.plan_slots for o in post.offices} | rows
    return evaluate(post, windows_from_states(post, states)).errors
