"""The sequential fallback: when no joint slot exists, exit controls finish before entry
controls start (or the reverse where the administrations allow it), and the booking says
why it is not joint. While a joint slot exists, sequential is not booked."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.services import booking as booking_service
from app.services.errors import Conflict
from models import BookingClaim, BookingMode
from tests.booking.builders import (
    NOW,
    assert_offers_pass_the_checker,
    at,
    booker,
    everyone_on_duty,
    request,
)


def _apart(session, *, turkish, bulgarian):  # type: ignore[no-untyped-def]
    # Customs of the two sides are never on duty together for a whole hour.
    return everyone_on_duty(session, TC1=turkish, TC2=[], BC1=bulgarian, BC2=[])


def test_without_a_joint_slot_the_exit_side_goes_first_and_the_booking_says_why(session) -> None:  # type: ignore[no-untyped-def]
    _apart(session, turkish=[(1, 5.5)], bulgarian=[(6, 12)])
    row = request(session, "S-1", ("BG-CUS", "TR-CUS"), 1.0)
    result = booking_service.offers(session, row, NOW)
    assert result.offers == () and len(result.fallback) == 1
    fallback = result.fallback[0]
    assert fallback.mode == "exit_first"
    assert [(p.start_at, [a.agency_code for a in p.attendees]) for p in fallback.parts] == [
        (at(1), ["TR-CUS"]),
        (at(6), ["BG-CUS"]),
    ]
    assert fallback.waiting_minutes == 240 and fallback.joint_failure
    assert any(r.kind == "sequential" for r in result.remedies)
    assert_offers_pass_the_checker(session, row, result)
    booking = booking_service.confirm(
        session, row, booking_service.parse_offer_key(fallback.key), booker(session), NOW
    )
    assert booking.mode == BookingMode.SEQUENTIAL and (booking.start_at, booking.end_at) == (
        at(1),
        at(7),
    )
    assert [(p.agency.code, p.start_at) for p in booking.parts] == [
        ("TR-CUS", at(1)),
        ("BG-CUS", at(6)),
    ]
    assert "TR-CUS" in booking.joint_failure_reason or "BG-CUS" in booking.joint_failure_reason
    # Each part holds its officer and bay for its own twelve 5-minute slots.
    assert (
        session.scalar(
            select(func.count())
            .select_from(BookingClaim)
            .where(BookingClaim.booking_id == booking.id)
        )
        == 2 * 12 * 2
    )


def test_entry_controls_go_first_only_where_reversal_is_allowed(session) -> None:  # type: ignore[no-untyped-def]
    _apart(session, turkish=[(6, 12)], bulgarian=[(1, 5.5)])
    strict = request(session, "S-2", ("BG-CUS", "TR-CUS"), 1.0)
    assert booking_service.offers(session, strict, NOW).fallback == ()
    agreed = request(session, "S-3", ("BG-CUS", "TR-CUS"), 1.0, reversal_allowed=True)
    fallback = booking_service.offers(session, agreed, NOW).fallback[0]
    assert fallback.mode == "entry_first" and fallback.parts[0].attendees[0].agency_code == "BG-CUS"


def test_while_a_joint_slot_exists_a_sequential_booking_is_refused_with_the_joint_offers(
    session,
) -> None:  # type: ignore[no-untyped-def]
    everyone_on_duty(session)
    row = request(session, "S-4", ("BG-CUS", "TR-CUS"), 1.0)
    sequential = booking_service.parse_offer_key(
        f"{at(1):%Y-%m-%dT%H:%MZ}|BAY|TR-CUS=TC1;{at(2):%Y-%m-%dT%H:%MZ}|BAY|BG-CUS=BC1"
    )
    with pytest.raises(Conflict) as refused:
        booking_service.confirm(session, row, sequential, booker(session), NOW)
    assert "joint slot is available" in str(refused.value) and refused.value.detail["offers"]
