"""Fifty schedulers confirming overlapping slots at once, over real PostgreSQL: exactly the
confirmations that fit win, every other one is answered 409 with fresh offers, and no
officer or bay ends up double-booked.

Each of the 50 threads has its own test client, so its own request and database session.
Three groups race for the two units of the general bay: 20 for customs officer BC1 from
07:00, 20 for BC2 from 07:30 and 10 for the Turkish officer TC1 from 07:15 (all local Sofia
time minus two hours: UTC). A group can win only once (its officer), and the bay holds two
trucks at once, which the three slots need together between 07:30 and 08:00: whatever the
order, exactly two confirmations fit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from app.db import session_scope
from app.services import users as user_service
from bench.booking import overbooked, race_confirmations
from models import Base, Booking, BookingClaim, BookingStatus
from tests.booking.builders import at, build_post, everyone_on_duty, post_of, request
from tests.conftest import make_test_app

pytestmark = pytest.mark.postgres

RACERS = {"BC1": (20, 1.0, "BG-CUS"), "BC2": (20, 1.5, "BG-CUS"), "TC1": (10, 1.25, "TR-CUS")}


@pytest.fixture
def app(postgres_url: str) -> Iterator:  # type: ignore[type-arg]
    app = make_test_app(postgres_url)
    yield app
    engine = app.extensions["juxta.engine"]
    with engine.begin() as connection:
        tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


def test_fifty_racing_confirmations_book_exactly_what_fits(app) -> None:  # type: ignore[no-untyped-def]
    # A week from now, so that no slot is in the past when the race runs.
    base = datetime.combine(
        datetime.now(UTC).date() + timedelta(days=7), datetime.min.time(), tzinfo=UTC
    ) + timedelta(hours=6)
    attempts = []
    with app.app_context(), session_scope() as session:
        build_post(session)
        everyone_on_duty(session, base=base)
        for officer, (count, start, agency) in RACERS.items():
            for n in range(count):
                reference = f"RACE-{officer}-{n:02d}"
                request(session, reference, (agency,), start, base=base, now=datetime.now(UTC))
                attempts.append(
                    (
                        reference,
                        {
                            "start": at(start, base).isoformat(),
                            "resource": "BAY",
                            "officers": {agency: officer},
                        },
                    )
                )
        token = user_service.issue_token(
            session, user_service.get_user(session, "booker"), label="race"
        )
    outcomes = race_confirmations(app, {"Authorization": f"Bearer {token}"}, "mini", attempts)
    statuses = Counter(outcome.status for outcome in outcomes)
    assert statuses == {201: 2, 409: 48}, statuses
    winners = [o for o in outcomes if o.status == 201]
    assert len({o.reference.split("-")[1] for o in winners}) == 2, "one winner per officer at most"
    for loser in (o for o in outcomes if o.status == 409):
        assert "offers" in loser.body and loser.body["error"], loser.body
    with app.app_context(), session_scope() as session:
        post = post_of(session)
        assert overbooked(session, post) == []
        assert (
            session.scalar(
                select(func.count())
                .select_from(Booking)
                .where(Booking.status == BookingStatus.CONFIRMED)
            )
            == 2
        )
        # The two winners' claims: 12 slots each of an officer and a bay unit, both units used where they overlap.
        assert session.scalar(select(func.count()).select_from(BookingClaim)) == 2 * 12 * 2
        assert (
            session.scalar(
                select(func.count(func.distinct(BookingClaim.unit))).where(
                    BookingClaim.holder_kind == "resource"
                )
            )
            == 2
        )
