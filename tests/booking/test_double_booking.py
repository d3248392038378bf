"""No officer or bay double-booked: every confirmation is checked again by the engine's
checker inside its transaction and reserved with claims on the 5-minute grid, per officer
and per bay unit. A refused confirmation stores nothing and comes with fresh offers."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app.services import booking as booking_service
from app.services.booking_search import OfferChoice
from app.services.errors import Conflict, InvalidInput
from models import Booking, BookingClaim, BookingStatus, RequestStatus
from tests.booking.builders import NOW, at, booker, everyone_on_duty, post_of, publish_plan, request
from tests.conftest import table_counts


def _choice(start: float, bay: str, **officers: str) -> OfferChoice:
    return OfferChoice.joint(
        at(start), bay, {agency.replace("_", "-"): officer for agency, officer in officers.items()}
    )


def _confirm(session, row, choice):  # type: ignore[no-untyped-def]
    return booking_service.confirm(session, row, choice, booker(session), NOW)


def _claims(session, booking_id: int) -> list[tuple[str, int, int]]:  # type: ignore[no-untyped-def]
    rows = session.execute(
        select(BookingClaim.holder_kind, BookingClaim.unit, BookingClaim.slot_start).where(
            BookingClaim.booking_id == booking_id
        )
    )
    return [(kind, unit, slot) for kind, unit, slot in rows]


def test_a_booking_claims_each_5_minute_slot_of_its_officers_and_bay(any_database) -> None:  # type: ignore[no-untyped-def]
    with any_database() as session:
        everyone_on_duty(session)
        row = request(session, "D-1", ("BG-CUS", "TR-CUS"), 1.0)
        booking = _confirm(session, row, _choice(1, "BAY", BG_CUS="BC1", TR_CUS="TC1"))
        session.commit()
        claims = _claims(session, booking.id)
        assert len(claims) == 12 * 3 and {slot for _, _, slot in claims} == {
            at(1 + n / 12) for n in range(12)
        }
        assert row.status == RequestStatus.BOOKED and booking.status == BookingStatus.CONFIRMED


def test_a_two_truck_bay_takes_two_overlapping_inspections_and_refuses_a_third(
    any_database,
) -> None:  # type: ignore[no-untyped-def]
    with any_database() as session:
        everyone_on_duty(session)
        rows = [
            request(session, f"D-{n}", agencies, 1.0)
            for n, agencies in ((2, ("BG-CUS",)), (3, ("BG-CUS",)), (4, ("TR-CUS",)))
        ]
        session.commit()
        first = _confirm(session, rows[0], _choice(1, "BAY", BG_CUS="BC1"))
        second = _confirm(session, rows[1], _choice(1.5, "BAY", BG_CUS="BC2"))
        session.commit()
        # Where both trucks stand, they stand on two units of the bay.
        overlap = {
            slot: unit
            for kind, unit, slot in _claims(session, second.id)
            if kind == "resource" and slot < at(2)
        }
        assert set(overlap.values()) == {1} and all(
            u == 0 for k, u, _ in _claims(session, first.id) if k == "resource"
        )
        before = table_counts(session.get_bind())
        with pytest.raises(Conflict) as refused:
            _confirm(session, rows[2], _choice(1.75, "BAY", TR_CUS="TC1"))
        session.rollback()
        assert any(
            reason["rule"] == "No officer or bay double-booked" and reason["subject"] == "BAY"
            for reason in refused.value.detail["reasons"]
        )
        assert refused.value.detail["offers"], "a refusal comes with fresh offers"
        assert table_counts(session.get_bind()) == before


def test_a_taken_officer_makes_a_stale_offer_fail_and_nothing_is_stored(any_database) -> None:  # type: ignore[no-untyped-def]
    with any_database() as session:
        everyone_on_duty(session, BC2=[])
        mine, theirs = (
            request(session, "D-5", ("BG-CUS",), 1.0),
            request(session, "D-6", ("BG-CUS",), 1.0),
        )
        session.commit()
        offer = booking_service.offers(session, mine, NOW).offers[0]
        _confirm(session, theirs, booking_service.parse_offer_key(offer.key))
        session.commit()
        before = table_counts(session.get_bind())
        with pytest.raises(Conflict) as refused:
            _confirm(session, mine, booking_service.parse_offer_key(offer.key))
        session.rollback()
        assert table_counts(session.get_bind()) == before
        assert "BC1" in str(refused.value)
        assert all(o["start"] >= offer.end_at.isoformat() for o in refused.value.detail["offers"])
        assert session.get(type(mine), mine.id).status == RequestStatus.PENDING


def test_a_slot_off_the_grid_or_before_arrival_is_refused(any_database) -> None:  # type: ignore[no-untyped-def]
    with any_database() as session:
        everyone_on_duty(session)
        row = request(session, "D-7", ("BG-CUS",), 1.0)
        with pytest.raises(Conflict, match="grid"):
            _confirm(session, row, _choice(1 + 2 / 60, "BAY", BG_CUS="BC1"))
        session.rollback()
        row = request(session, "D-7", ("BG-CUS",), 1.0)
        with pytest.raises(Conflict, match="before the consignment arrives"):
            _confirm(session, row, _choice(0.5, "BAY", BG_CUS="BC1"))


def test_names_that_do_not_fit_the_request_are_bad_input(session) -> None:  # type: ignore[no-untyped-def]
    everyone_on_duty(session)
    row = request(session, "D-8", ("BG-CUS",), 1.0)
    for choice, field in (
        (_choice(1, "BAY", BG_CUS="TC1"), "offer.officers.BG-CUS"),
        (_choice(1, "NOPE", BG_CUS="BC1"), "offer.resource"),
        (_choice(1, "BAY", TR_CUS="TC1"), "offer.officers"),
    ):
        with pytest.raises(InvalidInput) as bad:
            _confirm(session, row, choice)
        assert field in {p.field for p in bad.value.problems}
        assert row.status == RequestStatus.PENDING


def test_a_request_is_booked_once(any_database) -> None:  # type: ignore[no-untyped-def]
    with any_database() as session:
        everyone_on_duty(session)
        row = request(session, "D-9", ("BG-CUS",), 1.0)
        _confirm(session, row, _choice(1, "BAY", BG_CUS="BC1"))
        session.commit()
        with pytest.raises(Conflict, match="is booked"):
            _confirm(session, row, _choice(3, "BAY", BG_CUS="BC1"))
        session.rollback()
        assert session.scalar(select(func.count()).select_from(Booking)) == 1


def test_two_schedulers_confirming_the_same_slot_at_once_get_one_booking(any_database) -> None:  # type: ignore[no-untyped-def]
    with any_database() as session:
        everyone_on_duty(session)
        for reference in ("D-10", "D-11"):
            request(session, reference, ("BG-CUS", "TR-CUS"), 1.0)
        session.commit()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def book(reference: str) -> None:
        with any_database() as session:
            row = booking_service.get_request(session, post_of(session), reference)
            barrier.wait()
            try:
                _confirm(session, row, _choice(1, "BAY", BG_CUS="BC1", TR_CUS="TC1"))
                session.commit()
                outcomes.append("booked")
            except Conflict:
                session.rollback()
                outcomes.append("conflict")
            except OperationalError:
                # SQLite may refuse the loser's write outright ("database is locked").
                session.rollback()
                outcomes.append("locked")

    threads = [threading.Thread(target=book, args=(reference,)) for reference in ("D-10", "D-11")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("booked") == 1, outcomes
    with any_database() as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(Booking)
                .where(Booking.status == BookingStatus.CONFIRMED)
            )
            == 1
        )
        assert session.scalar(select(func.count()).select_from(BookingClaim)) == 12 * 3


def test_a_slot_picked_beyond_the_offers_window_is_checked_against_its_own_days(session) -> None:  # type: ignore[no-untyped-def]
    # Offers look a week past the maximum wait; a scheduler may still name a slot later than that.
    publish_plan(
        session,
        open_hours={"BG-CUS-KA": [(-30, 260)]},
        duty={"BC1": [(210, 222)], "BC2": [(210, 222)]},
    )
    row = request(session, "D-12", ("BG-CUS",), 1.0, max_wait_minutes=14 * 1440)
    _confirm(session, row, _choice(214, "BAY", BG_CUS="BC1"))
    other = request(session, "D-13", ("BG-CUS",), 1.0, max_wait_minutes=14 * 1440)
    with pytest.raises(Conflict, match="officer BC1 is booked by D-12"):
        _confirm(session, other, _choice(214.5, "BAY", BG_CUS="BC1"))
