"""The request page shows what the engine answers: joint offers to book, or the blockers, the
sequential fallback (bookable) and the remedies with their fees."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask

from app.db import session_scope
from tests.booking.builders import NEXT_TUESDAY, build_post, everyone_on_duty, request
from tests.conftest import make_test_app

BASE = NEXT_TUESDAY


@pytest.fixture
def app(sqlite_url: str) -> Iterator[Flask]:
    app = make_test_app(sqlite_url)
    with app.app_context(), session_scope() as session:
        build_post(session)
        # Customs of the two sides never meet; plant health opens five hours after arrival.
        everyone_on_duty(
            session, base=BASE, TC1=[(1, 5.5)], TC2=[], BC1=[(6, 12)], BC2=[], TR_AGR_JUX=[(6, 10)]
        )
        now = datetime.now(UTC)
        request(session, "P-1", ("BG-CUS", "TR-CUS"), 1.0, base=BASE, now=now)
        request(
            session,
            "P-2",
            ("TR-CUS", "TR-AGR"),
            1.0,
            base=BASE,
            now=now,
            category="produce",
            max_wait_minutes=120,
        )
    yield app
    app.extensions["juxta.engine"].dispose()


def _signed_in(app: Flask):  # type: ignore[no-untyped-def]
    client = app.test_client()
    assert (
        client.post(
            "/auth/login", data={"username": "booker", "password": "correct horse"}
        ).status_code
        == 302
    )
    return client


def test_without_a_joint_slot_the_page_offers_the_sequential_inspection_and_books_it(
    app: Flask,
) -> None:
    client = _signed_in(app)
    page = client.get("/posts/mini/inspections/P-1").get_data(as_text=True)
    assert "No joint slot before the maximum wait" in page and "Sequential inspection" in page
    assert "remedy-sequential" in page
    key = re.search(r'name="offer" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert ";" in key, "a sequential offer has two parts"
    booked = client.post("/posts/mini/inspections/P-1/book", data={"offer": key})
    assert booked.status_code == 302
    page = client.get("/posts/mini/inspections/P-1").get_data(as_text=True)
    assert "one side after the other" in page and "Not joint because" in page


def test_the_page_quotes_the_out_of_hours_fee_that_would_unblock(app: Flask) -> None:
    page = _signed_in(app).get("/posts/mini/inspections/P-2").get_data(as_text=True)
    assert "Within office hours" in page
    assert re.search(r'class="remedy-out_of_hours">[^<]*1200 TRY', page), "the fee is quoted"
