"""Within office hours, or out-of-hours service at its fee when the trader accepts it."""

from __future__ import annotations

from app.services import booking as booking_service
from tests.booking.builders import ALL_DAY, NOW, at, booker, everyone_on_duty, request

# Both agencies open 12:00-16:00 Sofia time only: five hours after a 09:00 arrival.
LATE = [(4.0, 8.0)]


def test_closed_offices_block_and_the_answer_quotes_the_out_of_hours_fee(session) -> None:  # type: ignore[no-untyped-def]
    everyone_on_duty(session, TR_AGR_JUX=LATE)
    row = request(
        session, "H-1", ("BG-CUS", "TR-AGR"), 1.0, category="produce", max_wait_minutes=120
    )
    result = booking_service.offers(session, row, NOW)
    assert result.offers == ()
    assert any(
        b.subject == "TR-AGR" and b.rule == "Within office hours" for b in result.blockers
    ), result.blockers
    quote = next(r for r in result.remedies if r.kind == "out_of_hours")
    assert (
        quote.fees == {"TRY": 1200}
        and "1200 TRY" in quote.message
        and quote.earliest_start == at(1)
    )


def test_an_accepted_out_of_hours_slot_is_booked_with_the_agencys_fee_per_started_hour(
    session,
) -> None:  # type: ignore[no-untyped-def]
    everyone_on_duty(session, TR_AGR_JUX=LATE)
    row = request(
        session,
        "H-2",
        ("BG-CUS", "TR-AGR"),
        1.0,
        category="produce",
        max_wait_minutes=120,
        accepts_out_of_hours=True,
        duration_minutes=75,
    )
    offer = booking_service.offers(session, row, NOW).offers[0]
    assert offer.start_at == at(1) and offer.fees == {"TRY": 2400}, (
        "75 minutes are two started hours"
    )
    booking = booking_service.confirm(
        session, row, booking_service.parse_offer_key(offer.key), booker(session), NOW
    )
    fees = {part.agency.code: (float(part.fee), part.currency) for part in booking.parts}
    assert fees == {"BG-CUS": (0.0, ""), "TR-AGR": (2400.0, "TRY")}
    assert booking.out_of_hours and float(booking.fee) == 2400


def test_charges_in_two_currencies_stay_on_their_parts(session) -> None:  # type: ignore[no-untyped-def]
    everyone_on_duty(session, TR_AGR_JUX=LATE, BG_VET_KA=LATE)
    row = request(
        session, "H-3", ("BG-VET", "TR-AGR"), 1.0, max_wait_minutes=120, accepts_out_of_hours=True
    )
    offer = booking_service.offers(session, row, NOW).offers[0]
    assert offer.fees == {"EUR": 40, "TRY": 1200}
    booking = booking_service.confirm(
        session, row, booking_service.parse_offer_key(offer.key), booker(session), NOW
    )
    assert float(booking.fee) == 0, "no single total across currencies"
    assert sorted((part.currency, float(part.fee)) for part in booking.parts) == [
        ("EUR", 40.0),
        ("TRY", 1200.0),
    ]


def test_an_agency_without_out_of_hours_service_is_never_booked_outside_its_hours(session) -> None:  # type: ignore[no-untyped-def]
    # Customs charges nothing out of hours because it offers no such service (a fee of 0).
    everyone_on_duty(session, BG_CUS_KA=LATE)
    row = request(session, "H-4", ("BG-CUS",), 1.0, max_wait_minutes=120, accepts_out_of_hours=True)
    result = booking_service.offers(session, row, NOW)
    assert result.offers == () and not any(r.kind == "out_of_hours" for r in result.remedies)


def test_inside_hours_no_fee_is_charged(session) -> None:  # type: ignore[no-untyped-def]
    everyone_on_duty(session, TR_AGR_JUX=ALL_DAY)
    row = request(
        session, "H-5", ("BG-CUS", "TR-AGR"), 1.0, category="produce", accepts_out_of_hours=True
    )
    offer = booking_service.offers(session, row, NOW).offers[0]
    assert offer.fees == {} and not offer.out_of_hours
