"""What the neighbouring administration announced for its own side: closures and reduced
hours bind that side's offices, all of them or the ones named."""

from __future__ import annotations

from solver.hours import names
from solver.hours.problem import NeighbourClosure
from solver.rules import HARD, Enforcement

from .builders import (
    TR_ZONE,
    named,
    office,
    opened,
    problem,
    solve_infeasible,
    solve_optimally,
    span,
    window,
)

LABEL = "Kapikule system maintenance"


def closure(text: str = "10:00-14:00", *, office_ids: tuple[str, ...] = (),
            open_windows: tuple[str, ...] = (), enforcement=HARD) -> NeighbourClosure:  # type: ignore[no-untyped-def]
    start, end = span(text, TR_ZONE)
    return NeighbourClosure(side="TR", start=start, end=end, label=LABEL, office_ids=office_ids,
                            open_windows=tuple(window(w, TR_ZONE) for w in open_windows),
                            enforcement=enforcement)


def turkish(ident: str = "customs-TR", **fields: object):  # type: ignore[no-untyped-def]
    return office(ident, "TR", mandatory=(window("08:00-16:00", TR_ZONE),), **fields)


def test_a_hard_closure_against_a_mandatory_window_is_infeasible_and_named() -> None:
    solution = solve_infeasible(problem(turkish(), neighbour_closures=(closure(),)))
    lines = named(solution.explanation, names.NEIGHBOUR_CLOSURE)
    assert lines and lines[0].subject == "Customs TR"
    assert LABEL in lines[0].message


def test_a_closure_closes_the_office_for_its_span() -> None:
    customs = office("customs-TR", "TR", mandatory=(window("08:00-16:00", TR_ZONE),),
                     mandatory_rule=Enforcement.soft(10), officer_hour_cost=1)
    solution, report = solve_optimally(problem(customs, neighbour_closures=(closure(),)))
    assert opened(solution, "customs-TR") == [span("08:00-10:00", TR_ZONE), span("14:00-16:00", TR_ZONE)]
    assert report.costs == {names.MANDATORY: 40, names.STAFF_HOURS: 4}


def test_a_soft_closure_pays_per_hour_open() -> None:
    solution, report = solve_optimally(
        problem(turkish(), neighbour_closures=(closure(enforcement=Enforcement.soft(6)),))
    )
    assert report.costs == {names.NEIGHBOUR_CLOSURE: 24}
    assert solution.costs[0].subject == "Customs TR"


def test_a_closure_binds_only_its_own_side() -> None:
    bulgarian = office("customs-BG", mandatory=(window("08:00-16:00"),), officer_hour_cost=1)
    solution, report = solve_optimally(problem(bulgarian, neighbour_closures=(closure(),)))
    assert opened(solution, "customs-BG") == [span("08:00-16:00")]
    assert report.objective == 8


def test_a_closure_naming_offices_leaves_the_others_open() -> None:
    plant = turkish("plant-TR")
    customs = turkish()
    solution = solve_infeasible(
        problem(customs, plant, neighbour_closures=(closure(office_ids=("plant-TR",)),))
    )
    subjects = {line.subject for line in named(solution.explanation, names.NEIGHBOUR_CLOSURE)}
    assert subjects == {"Plant TR"}


def test_reduced_hours_keep_the_office_within_the_announced_windows() -> None:
    customs = office("customs-TR", "TR", mandatory=(window("08:00-16:00", TR_ZONE),),
                     mandatory_rule=Enforcement.soft(10), officer_hour_cost=1)
    reduced = closure("00:00-24:00", open_windows=("10:00-14:00",))
    solution, report = solve_optimally(problem(customs, neighbour_closures=(reduced,)))
    assert opened(solution, "customs-TR") == [span("10:00-14:00", TR_ZONE)]
    assert report.costs == {names.MANDATORY: 40, names.STAFF_HOURS: 4}


def test_opening_beyond_reduced_hours_is_named_as_such() -> None:
    reduced = closure("00:00-24:00", open_windows=("10:00-14:00",))
    solution = solve_infeasible(problem(turkish(), neighbour_closures=(reduced,)))
    assert named(solution.explanation, names.NEIGHBOUR_REDUCED)[0].subject == "Customs TR"
