"""The independent checker catches every kind of broken slot and plan."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from solver.inspections import (
    Attendance,
    OutOfHoursCharge,
    PlannedInspection,
    check,
    check_booking,
    find_offers,
    names,
)

from .builders import (
    at,
    availability,
    bay,
    booking,
    officer,
    offices,
    problem,
    request,
    site,
    solve_checked,
)


def _offer(post, req, bookings=()):  # type: ignore[no-untyped-def]
    avail = availability(post, bookings)
    return avail, find_offers(req, avail, now=at(0)).offers[0]


def _moved(inspection: PlannedInspection, hours: float) -> PlannedInspection:
    shift = timedelta(hours=hours)
    parts = tuple(
        dataclasses.replace(p, start=p.start + shift, end=p.end + shift) for p in inspection.parts
    )
    return dataclasses.replace(
        inspection, parts=parts, waiting_minutes=inspection.waiting_minutes + round(hours * 60)
    )


def _rules(found) -> set[str]:  # type: ignore[no-untyped-def]
    return {violation.rule for violation in found}


def test_check_booking_accepts_a_valid_offer() -> None:
    post = site()
    req = request("R1", ["BG-CUS", "TR-CUS"])
    avail, offer = _offer(post, req)
    assert check_booking(req, offer, avail, now=at(0)) == ()


def test_check_booking_flags_an_officer_off_duty() -> None:
    post = site(officers=[officer("BG-CUS-1", "BG-CUS", [(0, 2)]), officer("TR-CUS-1", "TR-CUS")])
    req = request("R1", ["BG-CUS", "TR-CUS"])
    avail, offer = _offer(post, req)
    assert _rules(check_booking(req, _moved(offer, 1.5), avail)) == {names.JOINT_SLOT}


def test_check_booking_flags_an_officer_of_another_agency_or_without_the_skill() -> None:
    post = site(
        officers=[
            officer("BG-CUS-1", "BG-CUS"),
            officer("VET", "BG-VET", skills=["veterinarian"]),
            officer("TRAINEE", "BG-VET"),
        ]
    )
    req = request("R1", ["BG-CUS", "BG-VET"], skills={"BG-VET": "veterinarian"})
    avail, offer = _offer(post, req)
    part = offer.parts[0]
    for wrong in ("BG-CUS-1", "TRAINEE"):
        officers = tuple(
            Attendance(agency=a.agency, officer_id=wrong if a.agency == "BG-VET" else a.officer_id)
            for a in part.officers
        )
        broken = dataclasses.replace(offer, parts=(dataclasses.replace(part, officers=officers),))
        assert _rules(check_booking(req, broken, avail)) == {names.JOINT_SLOT}


def test_check_booking_flags_a_bay_without_the_capability_or_closed() -> None:
    post = site(bays=[bay("B1"), bay("COLD", ["cold_chain"], open_hours=[(0, 1)])])
    req = request("R1", capabilities=["cold_chain"])
    avail, offer = _offer(post, req)
    wrong_bay = dataclasses.replace(
        offer, parts=(dataclasses.replace(offer.parts[0], bay_id="B1"),)
    )
    assert _rules(check_booking(req, wrong_bay, avail)) == {names.JOINT_SLOT}
    assert _rules(check_booking(req, _moved(offer, 0.5), avail)) == {names.JOINT_SLOT}


def test_check_booking_flags_a_closed_office_and_a_wrong_fee() -> None:
    post = site(offices=offices(BG_VET=[(0, 2)]))
    req = request("R1", ["BG-VET"], accepts_out_of_hours=True)
    avail, offer = _offer(post, req)
    late = _moved(offer, 3)
    assert _rules(check_booking(req, late, avail)) == {names.OFFICE_HOURS}
    charged = dataclasses.replace(
        late,
        parts=(
            dataclasses.replace(
                late.parts[0],
                out_of_hours=(OutOfHoursCharge(agency="BG-VET", fee=40, currency="EUR"),),
            ),
        ),
    )
    assert check_booking(req, charged, avail) == ()
    overcharged = dataclasses.replace(
        late,
        parts=(
            dataclasses.replace(
                late.parts[0],
                out_of_hours=(OutOfHoursCharge(agency="BG-VET", fee=80, currency="EUR"),),
            ),
        ),
    )
    assert _rules(check_booking(req, overcharged, avail)) == {names.OFFICE_HOURS}
    charged_in_hours = dataclasses.replace(
        offer,
        parts=(dataclasses.replace(offer.parts[0], out_of_hours=charged.parts[0].out_of_hours),),
    )
    assert _rules(check_booking(req, charged_in_hours, avail)) == {names.OFFICE_HOURS}


def test_check_booking_flags_a_double_booking_against_existing_bookings() -> None:
    post = site()
    req = request("R1")
    avail, offer = _offer(post, req)
    taken = availability(post, [booking("OTHER", 0.5, 1.5, officers=["BG-CUS-1"])])
    assert _rules(check_booking(req, offer, taken)) == {names.NO_DOUBLE_BOOKING}
    # Its own earlier version (a reschedule) does not count against it.
    rebooked = availability(post, [booking("R1", 0.5, 1.5, officers=["BG-CUS-1"])])
    assert check_booking(req, offer, rebooked) == ()


def test_check_booking_flags_a_start_before_the_notice_runs_out() -> None:
    post = site()
    req = request("R1", ["BG-VET"], notified=-20.0)
    avail, offer = _offer(post, req)
    assert offer.first_start == at(4)
    assert _rules(check_booking(req, _moved(offer, -0.25), avail)) == {names.NOTICE}


def test_check_booking_flags_entry_before_exit_and_reversal_without_consent() -> None:
    post = site(offices=offices(BG_VET=[(3, 8)], TR_AGR=[(0, 2)]))
    req = request("R1", ["TR-AGR", "BG-VET"])
    avail = availability(post)
    (fallback,) = find_offers(req, avail, now=at(0)).fallback
    exit_part, entry_part = fallback.parts
    overlapping = dataclasses.replace(
        fallback,
        parts=(
            exit_part,
            dataclasses.replace(
                entry_part,
                start=exit_part.start + timedelta(minutes=30),
                end=exit_part.end + timedelta(minutes=30),
            ),
        ),
    )
    assert names.SEQUENCE in _rules(check_booking(req, overlapping, avail))
    reversed_order = dataclasses.replace(
        fallback, mode="entry_first", parts=(entry_part, exit_part)
    )
    assert names.SEQUENCE in _rules(check_booking(req, reversed_order, avail))


def test_check_booking_flags_a_start_off_the_grid_and_a_misstated_wait() -> None:
    post = site()
    req = request("R1")
    avail, offer = _offer(post, req)
    assert _rules(check_booking(req, _moved(offer, 1 / 60), avail)) == {names.BOOKING_GRID}
    assert _rules(check_booking(req, dataclasses.replace(offer, waiting_minutes=5), avail)) == {
        names.WAITING
    }


def test_check_flags_a_plan_whose_objective_or_kpis_do_not_add_up() -> None:
    instance = problem(site(), [request("R1"), request("R2")])
    solution = solve_checked(instance)
    assert check(
        instance, dataclasses.replace(solution, objective=(solution.objective or 0) + 1)
    ).problems
    assert check(
        instance,
        dataclasses.replace(solution, kpis=dataclasses.replace(solution.kpis, inspected=7)),
    ).problems
    missing = dataclasses.replace(solution, inspections=solution.inspections[:1])
    assert names.INSPECTED in _rules(check(instance, missing).problems)


def test_check_flags_two_planned_inspections_on_one_officer() -> None:
    instance = problem(site(), [request("R1"), request("R2")])
    solution = solve_checked(instance)
    first, second = sorted(solution.inspections, key=lambda i: i.first_start)
    clash = dataclasses.replace(solution, inspections=(first, _moved(second, -0.5)))
    assert names.NO_DOUBLE_BOOKING in _rules(check(instance, clash).problems)
