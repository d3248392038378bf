"""Inspection pages: request form with instant offers, booking, cancelling, moving, the bays' day."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from tests.web.conftest import POST, Site

TOMORROW = (datetime.now(UTC) + timedelta(days=1)).date()
FORM = {"reference": "PAGE-1", "exit_side": "PL", "category": "general", "agencies": ["PL-CUS", "UA-CUS"], "expected_arrival": f"{TOMORROW}T09:00", "arrival_zone": "UTC"}


def test_the_form_previews_offers_then_saves_and_books(site: Site) -> None:
    client = site.client("scheduler")
    form = client.get(f"/posts/{POST}/inspections/new").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="PL-CUS"', form), "the scheduler's own agency is ticked"
    preview = client.post(f"/posts/{POST}/inspections/preview", data={**FORM, "reference": ""})
    assert preview.status_code == 200 and preview.get_data(as_text=True).count('<li class="offer') == 3
    assert "book-offer" not in preview.get_data(as_text=True), "an unsaved request cannot be booked"
    bad = client.post(f"/posts/{POST}/inspections/preview", data={**FORM, "agencies": []})
    assert bad.status_code == 422 and "Tick at least one agency" in bad.get_data(as_text=True)
    saved = client.post(f"/posts/{POST}/inspections/new", data=FORM)
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    key = re.search(r'name="offer" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    booked = client.post(f"/posts/{POST}/inspections/PAGE-1/book", data={"offer": key})
    assert booked.status_code == 302
    page = client.get(booked.headers["Location"]).get_data(as_text=True)
    assert 'id="booking"' in page and "Booked" in page
    duplicate = client.post(f"/posts/{POST}/inspections/new", data=FORM)
    assert duplicate.status_code == 422 and "already has a request" in duplicate.get_data(as_text=True)


def test_a_taken_slot_answers_409_with_the_offers_page(site: Site) -> None:
    client = site.client("manager")
    page = client.get(f"/posts/{POST}/inspections/WALK-1").get_data(as_text=True)
    key = re.search(r'name="offer" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert client.post(f"/posts/{POST}/inspections/WALK-1/book", data={"offer": key}).status_code == 302
    taken = client.post(f"/posts/{POST}/inspections/WALK-6/book", data={"offer": key})
    assert taken.status_code == 409 and "cannot be booked" in taken.get_data(as_text=True)


def test_cancel_needs_a_reason_and_moving_keeps_the_request_booked(site: Site) -> None:
    client = site.client("side-manager")
    page = client.get(f"/posts/{POST}/inspections/WALK-2").get_data(as_text=True)
    cancel_url = re.search(r'action="([^"]+/cancel)"', page).group(1)  # type: ignore[union-attr]
    assert client.post(cancel_url, data={"reason": ""}).status_code == 422
    move_url = cancel_url.replace("/cancel", "/reschedule")
    moving = client.get(move_url).get_data(as_text=True)
    keys = re.findall(r'name="offer" value="([^"]+)"', moving)
    assert len(keys) == 6
    assert client.post(move_url, data={"offer": keys[-1], "reason": ""}).status_code == 422
    moved = client.post(move_url, data={"offer": keys[-1], "reason": "truck delayed at the border"})
    assert moved.status_code == 302
    after = client.get(f"/posts/{POST}/inspections/WALK-2").get_data(as_text=True)
    assert "rescheduled: truck delayed at the border" in after and 'id="booking"' in after


def test_the_bays_day_shows_bookings_and_hides_officer_names_from_the_neighbour(site: Site) -> None:
    manager = site.client("manager").get(f"/posts/{POST}/bays?day={TOMORROW}&zone=UTC").get_data(as_text=True)
    assert manager.count('<a class="bay-block booked"') == 4 and "PL-CUS " in manager
    neighbour = site.client("neighbour").get(f"/posts/{POST}/bays?day={TOMORROW}&zone=UTC").get_data(as_text=True)
    assert neighbour.count('<a class="bay-block booked"') == 4
    assert re.search(r'title="WALK-2 [^"]*: PL-CUS, UA-CUS"', neighbour)
    assert "book-offer" not in site.client("neighbour").get(f"/posts/{POST}/inspections/WALK-1").get_data(as_text=True)
