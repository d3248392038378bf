"""Joint inspection slot: every selecting agency has a qualified officer on duty for the whole
slot, at a bay with the right equipment, open and free; offers pass the independent checker."""

from __future__ import annotations

from datetime import timedelta

from app.services import booking as booking_service
from tests.booking.builders import (
    NOW,
    assert_offers_pass_the_checker,
    at,
    booker,
    everyone_on_duty,
    publish_plan,
    request,
)


def _offers(session, row, now=NOW, **kwargs):  # type: ignore[no-untyped-def]
    return booking_service.offers(session, row, now, **kwargs)


def test_the_best_offers_come_first_from_arrival_on_the_booking_grid(session) -> None:  # type: ignore[no-untyped-def]
    everyone_on_duty(session)
    row = request(session, "J-1", ("BG-CUS", "TR-CUS"), 1.01)
    result = _offers(session, row)
    # 07:00:36 arrival: the first whole grid minute after it, then 30 minutes apart.
    assert [o.start_at for o in result.offers] == [
        at(1) + timedelta(minutes=5),
        at(1.5) + timedelta(minutes=5),
        at(2) + timedelta(minutes=5),
    ]
    first = result.offers[0]
    assert first.mode == "joint" and {a.agency_code for a in first.attendees} == {
        "BG-CUS",
        "TR-CUS",
    }
    # Waiting counts from the first whole minute after arrival (07:01).
    assert first.end_at - first.start_at == timedelta(minutes=60) and first.waiting_minutes == 4
    assert not result.blockers and not result.fallback
    assert_offers_pass_the_checker(session, row, result)


def test_an_officer_must_be_on_duty_for_the_whole_slot(session) -> None:  # type: ignore[no-untyped-def]
    # The only accredited Turkish customs officer starts at 02:30; the other is not accredited.
    everyone_on_duty(session, TC1=[(2.5, 10)])
    row = request(session, "J-2", ("BG-CUS", "TR-CUS"), 1.0)
    result = _offers(session, row, max_offers=1)
    assert result.offers[0].start_at == at(2.5)
    assert result.offers[0].attendees[1].officer_code == "TC1"
    assert_offers_pass_the_checker(session, row, result)


def test_an_officer_without_accreditation_never_inspects_across_the_border(session) -> None:  # type: ignore[no-untyped-def]
    everyone_on_duty(session, TC1=[])
    row = request(session, "J-3", ("BG-CUS", "TR-CUS"), 1.0)
    result = _offers(session, row)
    assert result.offers == () and result.fallback == ()
    assert any(b.subject == "TR-CUS" and "TR-CUS" in b.message for b in result.blockers), (
        result.blockers
    )


def test_the_check_needs_an_officer_with_its_skill(session) -> None:  # type: ignore[no-untyped-def]
    everyone_on_duty(session)
    row = request(session, "J-4", ("BG-VET", "TR-CUS"), 1.0, category="livestock")
    assert {
        a.officer_code
        for o in _offers(session, row).offers
        for a in o.attendees
        if a.agency_code == "BG-VET"
    } == {"BV1"}
    session.rollback()
    everyone_on_duty(session, BV1=[])
    row = request(session, "J-4", ("BG-VET", "TR-CUS"), 1.0, category="livestock")
    result = _offers(session, row)
    assert result.offers == ()
    assert any("BG-VET" in b.message and "veterinary" in b.message for b in result.blockers), [
        b.message for b in result.blockers
    ]


def test_the_bay_must_offer_the_equipment_and_be_open(session) -> None:  # type: ignore[no-untyped-def]
    # Produce needs the cold bay, open 08:00-20:00 in Sofia (06-18 UTC in March). Arriving at
    # 19:30 Sofia time it could only be inspected next morning, after its 4-hour maximum wait.
    everyone_on_duty(session)
    row = request(session, "J-5", ("BG-CUS", "TR-AGR"), 11.5, category="produce")
    result = _offers(session, row)
    assert result.offers == ()
    assert any("cold_chain" in b.message and "19:30" in b.message for b in result.blockers), [
        b.message for b in result.blockers
    ]
    later = next(r for r in result.remedies if r.kind == "later")
    assert later.earliest_start == at(24) and "08:00" in later.message
    patient = request(
        session, "J-5b", ("BG-CUS", "TR-AGR"), 11.5, category="produce", max_wait_minutes=15 * 60
    )
    result = _offers(session, patient, max_offers=1)
    assert result.offers[0].resource_code == "COLD" and result.offers[0].start_at == at(24)
    assert_offers_pass_the_checker(session, patient, result)


def test_a_booked_officer_and_bay_are_not_offered_again(session) -> None:  # type: ignore[no-untyped-def]
    everyone_on_duty(session, BC2=[])
    first = request(session, "J-6", ("BG-CUS",), 1.0)
    offer = _offers(session, first).offers[0]
    booking_service.confirm(
        session, first, booking_service.parse_offer_key(offer.key), booker(session), NOW
    )
    second = request(session, "J-7", ("BG-CUS",), 1.0)
    result = _offers(session, second)
    assert result.offers[0].start_at == offer.end_at, "BC1 is the only customs officer on duty"
    assert_offers_pass_the_checker(session, second, result)


def test_without_a_published_plan_nobody_is_on_duty_and_the_answer_says_so(session) -> None:  # type: ignore[no-untyped-def]
    row = request(session, "J-8", ("BG-CUS",), 1.0)
    result = _offers(session, row)
    assert result.offers == () and result.blockers
    assert all(b.rule for b in result.blockers)


def test_offers_never_start_in_the_past(session) -> None:  # type: ignore[no-untyped-def]
    everyone_on_duty(session)
    row = request(session, "J-9", ("BG-CUS",), 1.0)
    later = at(3) + timedelta(minutes=2)
    result = _offers(session, row, now=later)
    assert result.offers[0].start_at == at(3) + timedelta(minutes=5)
    assert_offers_pass_the_checker(session, row, result, now=later)


def test_publishing_shorter_hours_changes_the_offers(session) -> None:  # type: ignore[no-untyped-def]
    publish_plan(session, open_hours={"BG-CUS-KA": [(-30, 60)]}, duty={"BC1": [(5, 13)]})
    row = request(session, "J-10", ("BG-CUS",), 1.0)
    assert _offers(session, row).offers[0].start_at == at(5)
