"""Cancelling and moving a booking: a reason every time, the audit log, the claims given
back, and ``sequence``/``updated_at`` bumped so every party's calendar updates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.services import booking as booking_service
from app.services.booking_search import OfferChoice
from app.services.errors import Conflict, InvalidInput
from models import AuditEntry, Booking, BookingClaim, BookingStatus, RequestStatus
from tests.booking.builders import NOW, at, booker, everyone_on_duty, request

LATER = NOW + timedelta(hours=2)


def _booked(session, reference: str, start: float = 1.0, officer: str = "BC1"):  # type: ignore[no-untyped-def]
    row = request(session, reference, ("BG-CUS",), 1.0)
    booking = booking_service.confirm(
        session, row, OfferChoice.joint(at(start), "BAY", {"BG-CUS": officer}), booker(session), NOW
    )
    session.commit()
    return row, booking


def _claims(session, booking: Booking) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(
        select(func.count()).select_from(BookingClaim).where(BookingClaim.booking_id == booking.id)
    )


def _audit(session, action: str) -> list[dict]:  # type: ignore[no-untyped-def]
    return [
        entry.detail
        for entry in session.scalars(select(AuditEntry).where(AuditEntry.action == action))
    ]


def test_cancelling_needs_a_reason_gives_the_slot_back_and_tells_the_calendars(
    any_database,
) -> None:  # type: ignore[no-untyped-def]
    with any_database() as session:
        everyone_on_duty(session)
        row, booking = _booked(session, "C-1")
        with pytest.raises(InvalidInput):
            booking_service.cancel(session, booking, "   ", booker(session), LATER)
        booking_service.cancel(session, booking, "consignment withdrawn", booker(session), LATER)
        session.commit()
        assert (
            booking.status == BookingStatus.CANCELLED
            and booking.sequence == 1
            and booking.updated_at == LATER
        )
        assert (
            booking.cancel_reason == "consignment withdrawn" and row.status == RequestStatus.PENDING
        )
        assert _claims(session, booking) == 0
        assert _audit(session, "booking_cancelled")[0]["reason"] == "consignment withdrawn"
        with pytest.raises(Conflict, match="only a confirmed booking"):
            booking_service.cancel(session, booking, "again", booker(session), LATER)


def test_moving_a_booking_may_keep_its_officer_and_bay_for_an_overlapping_slot(
    any_database,
) -> None:  # type: ignore[no-untyped-def]
    with any_database() as session:
        everyone_on_duty(session)
        row, booking = _booked(session, "C-2")
        moved = booking_service.reschedule(
            session,
            booking,
            OfferChoice.joint(at(1.5), "BAY", {"BG-CUS": "BC1"}),
            "driver late",
            booker(session),
            LATER,
        )
        session.commit()
        assert (
            moved.id != booking.id
            and moved.start_at == at(1.5)
            and moved.status == BookingStatus.CONFIRMED
        )
        assert (
            booking.status == BookingStatus.CANCELLED
            and booking.cancel_reason == "rescheduled: driver late"
            and booking.sequence == 1
        )
        assert _claims(session, booking) == 0 and _claims(session, moved) == 12 * 2
        assert row.status == RequestStatus.BOOKED
        audit = _audit(session, "booking_rescheduled")[0]
        assert (
            audit["reason"] == "driver late"
            and audit["to_booking"] == moved.id
            and audit["start"] == at(1.5).isoformat()
        )


def test_a_move_to_a_taken_slot_keeps_the_old_booking(any_database) -> None:  # type: ignore[no-untyped-def]
    with any_database() as session:
        everyone_on_duty(session, BC2=[])
        _row, booking = _booked(session, "C-3", start=1.0)
        _other, _taken = _booked(session, "C-4", start=3.0)
        with pytest.raises(Conflict) as refused:
            booking_service.reschedule(
                session,
                booking,
                OfferChoice.joint(at(3.5), "BAY", {"BG-CUS": "BC1"}),
                "driver late",
                booker(session),
                LATER,
            )
        session.rollback()
        assert refused.value.detail["offers"]
        session.refresh(booking)
        assert (
            booking.status == BookingStatus.CONFIRMED
            and booking.sequence == 0
            and _claims(session, booking) == 12 * 2
        )


def test_moving_needs_a_reason(session) -> None:  # type: ignore[no-untyped-def]
    everyone_on_duty(session)
    _row, booking = _booked(session, "C-5")
    with pytest.raises(InvalidInput):
        booking_service.reschedule(
            session,
            booking,
            OfferChoice.joint(at(2), "BAY", {"BG-CUS": "BC1"}),
            "",
            booker(session),
            LATER,
        )
