"""Property: whatever a scheduler books and cancels, in whatever order, no officer and no bay
is ever held beyond its capacity, every confirmed booking passes the engine's checker against
all the others, and the claims are exactly those of the confirmed bookings."""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from app.db import make_engine
from app.services import booking as booking_service
from app.services.booking_search import BookingContext
from app.services.inspection_site import request_of
from bench.booking import overbooked
from models import Booking, BookingClaim, BookingStatus
from solver import inspections as engine
from tests.booking.builders import NOW, booker, build_post, everyone_on_duty, post_of, request

AGENCIES = (("BG-CUS",), ("TR-CUS",), ("BG-CUS", "TR-CUS"), ("BG-VET", "TR-CUS"))
operations = st.lists(
    st.one_of(
        st.tuples(st.just("book"), st.integers(0, 5), st.integers(0, 2)),
        st.tuples(st.just("cancel"), st.integers(0, 5), st.just(0)),
    ),
    min_size=3,
    max_size=12,
)
requests = st.lists(
    st.tuples(st.sampled_from(AGENCIES), st.integers(0, 12)), min_size=6, max_size=6
)


def _claims_expected(booking: Booking) -> int:
    """Each sitting holds its officers and one bay unit for each of its 5-minute slots."""
    officers: dict[tuple, int] = {}  # type: ignore[type-arg]
    for part in booking.parts:
        key = (part.start_at, part.end_at, part.resource_id)
        officers[key] = officers.get(key, 0) + 1
    return sum(
        int((end - start) / timedelta(minutes=5)) * (count + 1)
        for (start, end, _bay), count in officers.items()
    )


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(wanted=requests, steps=operations)
def test_bookings_never_overbook_and_always_pass_the_checker(
    sqlite_template: Path, wanted, steps
) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "juxta.sqlite"
        shutil.copy(sqlite_template, path)
        engine_ = make_engine(f"sqlite:///{path}")
        with sessionmaker(engine_, expire_on_commit=False)() as session:
            build_post(session)
            everyone_on_duty(session, BC2=[], TC2=[])
            rows = [
                request(
                    session,
                    f"P-{n}",
                    agencies,
                    hours / 2,
                    category="livestock" if "BG-VET" in agencies else "general",
                )
                for n, (agencies, hours) in enumerate(wanted)
            ]
            session.commit()
            for action, index, pick in steps:
                row = rows[index]
                if action == "book" and row.status.value == "pending":
                    result = booking_service.offers(session, row, NOW)
                    choices = result.offers or result.fallback
                    if choices:
                        booking_service.confirm(
                            session,
                            row,
                            booking_service.parse_offer_key(choices[pick % len(choices)].key),
                            booker(session),
                            NOW,
                        )
                        session.commit()
                elif action == "cancel":
                    booked = booking_service.confirmed_booking(row)
                    if booked is not None:
                        booking_service.cancel(
                            session, booked, "changed plans", booker(session), NOW
                        )
                        session.commit()
                post = post_of(session)
                assert overbooked(session, post) == []
                confirmed = session.scalars(
                    select(Booking).where(Booking.status == BookingStatus.CONFIRMED)
                ).all()
                for booking in confirmed:
                    context = BookingContext.load(
                        session,
                        post,
                        request_of(post, booking.request),
                        NOW,
                        except_booking_id=booking.id,
                    )
                    inspection = context.inspection_for(
                        booking_service.parse_offer_key(_key(booking))
                    )
                    assert (
                        engine.check_booking(
                            context.request, inspection, context.availability, now=NOW
                        )
                        == ()
                    )
                claims = session.scalar(select(func.count()).select_from(BookingClaim))
                assert claims == sum(_claims_expected(b) for b in confirmed)
        engine_.dispose()


def _key(booking: Booking) -> str:
    """The booking as the offer key it was booked from: its parts by start, bay and officers."""
    parts: dict[tuple, list[str]] = {}  # type: ignore[type-arg]
    for part in booking.parts:
        parts.setdefault((part.start_at, part.resource.code), []).append(
            f"{part.agency.code}={part.officer.code}"
        )
    return ";".join(
        f"{start:%Y-%m-%dT%H:%MZ}|{bay}|{','.join(sorted(officers))}"
        for (start, bay), officers in sorted(parts.items())
    )
