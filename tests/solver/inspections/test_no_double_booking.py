"""No officer and no bay double-booked: within the plan and against existing bookings."""

from __future__ import annotations

from solver.inspections.build import build
from solver.inspections.constraints import add_inspected, add_joint_slot, add_no_double_booking

from .builders import (
    at,
    bay,
    booking,
    fix_start,
    model_status,
    officer,
    problem,
    request,
    site,
    solve_checked,
)


def test_no_double_booking_of_an_officer_already_booked() -> None:
    post = site()
    held = booking("EARLIER", 0, 2, officers=["BG-CUS-1"], bay_id="COLD")
    solution = solve_checked(problem(post, [request("R1")], bookings=[held]))
    assert solution.inspections[0].first_start == at(2)


def test_no_double_booking_of_a_bay_already_booked() -> None:
    post = site(bays=[bay("B1")])
    held = booking("EARLIER", 0, 1.5, bay_id="B1")
    solution = solve_checked(problem(post, [request("R1")], bookings=[held]))
    assert solution.inspections[0].first_start == at(1.5)


def test_no_double_booking_one_officer_takes_one_truck_at_a_time() -> None:
    post = site()
    solution = solve_checked(problem(post, [request("R1"), request("R2")]))
    starts = sorted(i.first_start for i in solution.inspections)
    assert starts == [at(0), at(1)]


def test_no_double_booking_a_bay_holds_its_capacity() -> None:
    officers = [officer("C1", "BG-CUS"), officer("C2", "BG-CUS")]
    for capacity, expected in ((2, [at(0), at(0)]), (1, [at(0), at(1)])):
        post = site(officers=officers, bays=[bay("SHED", capacity=capacity)])
        solution = solve_checked(problem(post, [request("R1"), request("R2")]))
        assert sorted(i.first_start for i in solution.inspections) == expected


def test_no_double_booking_interchangeable_officers_take_a_truck_each() -> None:
    # Two customs officers on the same shift are one pool in the model; the plan still names
    # a different officer for each of the two simultaneous inspections.
    post = site(
        officers=[officer("C1", "BG-CUS"), officer("C2", "BG-CUS")], bays=[bay("B1"), bay("B2")]
    )
    solution = solve_checked(problem(post, [request("R1"), request("R2")]))
    assert [i.first_start for i in solution.inspections] == [at(0), at(0)]
    assert {i.parts[0].officer_for("BG-CUS") for i in solution.inspections} == {"C1", "C2"}


def test_add_no_double_booking_forbids_two_trucks_on_one_officer() -> None:
    instance = problem(site(), [request("R1"), request("R2")])

    def status(second_start: float) -> str:
        built = build(
            instance, tighten=False, families=(add_joint_slot, add_no_double_booking, add_inspected)
        )
        for reference in ("R1", "R2"):
            built.model.add(built.vars.requests[reference].inspected == 1)
        fix_start(built, "R1", 0.0)
        fix_start(built, "R2", second_start)
        return model_status(built)

    assert status(0.5) == "infeasible"
    assert status(1.0) == "optimal"
