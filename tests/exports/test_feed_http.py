"""Token feeds over HTTP: caching with ETag and Last-Modified, 404 for revoked tokens, 503 on failure."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
import pytest
from sqlalchemy import select

from app.db import session_scope
from app.services import feeds
from models import BorderPost, FeedSubscription, utcnow
from tests.exports.builders import POST, Variant, add_plan, by_code, load_ka

TODAY = utcnow().date()
DAYS = [TODAY + timedelta(days=offset) for offset in range(1, 4)]


@pytest.fixture
def feed(web):
    """A post with a published plan for the next days, and a feed of its BG side's hours."""
    with web.app_context(), session_scope() as session:
        post = load_ka(session)
        add_plan(session, post, 1, days=DAYS, horizon=(TODAY, 28))
        _, token = feeds.create_subscription(session, post, feeds.Selection.of(["hours", "shifts"], side="BG"), "TR customs desk", None)
    return token


def replan(app, version: int, variant: Variant) -> None:
    with app.app_context(), session_scope() as session:
        add_plan(session, by_code(session, BorderPost, POST), version, days=DAYS, horizon=(TODAY, 28), variant=variant)


def test_a_feed_is_an_icalendar_with_caching_headers(web_client, feed):
    response = web_client.get(f"/feeds/{feed}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["ETag"].startswith('"') and response.headers["Last-Modified"]
    body = response.data.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") > 10
    calendar = icalendar.Calendar.from_ical(response.data)
    assert str(calendar["SOURCE"]) == f"https://juxta.example.org/feeds/{feed}.ics"
    assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"]) == "Kapitan Andreevo / Kapıkule: opening hours, shifts (side BG)"


def test_an_unchanged_feed_answers_304_to_its_etag_and_to_its_date(web_client, feed):
    first = web_client.get(f"/feeds/{feed}.ics")
    by_etag = web_client.get(f"/feeds/{feed}.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert by_etag.status_code == 304 and by_etag.data == b""
    assert by_etag.headers["ETag"] == first.headers["ETag"]
    by_date = web_client.get(f"/feeds/{feed}.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert by_date.status_code == 304
    stale = web_client.get(f"/feeds/{feed}.ics", headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.data == first.data


def test_a_replan_changes_the_etag_and_the_body(web, web_client, feed):
    first = web_client.get(f"/feeds/{feed}.ics")
    replan(web, 2, Variant(drop_officer_shift=("BG-CUS1", DAYS[0])))
    second = web_client.get(f"/feeds/{feed}.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
    assert b"STATUS:CANCELLED" in second.data


@pytest.mark.parametrize("token", ["not-a-token", "x" * 200])
def test_an_unknown_token_is_404(web_client, feed, token):
    assert web_client.get(f"/feeds/{token}.ics").status_code == 404


def test_a_revoked_token_is_404(web, web_client, feed):
    assert web_client.get(f"/feeds/{feed}.ics").status_code == 200
    with web.app_context(), session_scope() as session:
        subscription = feeds.active_subscription(session, feed)
        feeds.revoke_subscription(session, subscription, None, utcnow())
    assert web_client.get(f"/feeds/{feed}.ics").status_code == 404


def test_the_token_itself_is_not_stored(web, feed):
    with web.app_context(), session_scope() as session:
        stored = session.scalars(select(FeedSubscription)).one()
        assert feed not in (stored.token_hash, stored.token_hint) and stored.token_hash == feeds.token_hash(feed)


@pytest.mark.parametrize("broken", ["feed_body", "current_source"])
def test_a_failing_feed_answers_503_never_an_empty_calendar(web_client, feed, monkeypatch, broken):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(feeds, broken, fail)
    response = web_client.get(f"/feeds/{feed}.ics")
    assert response.status_code == 503
    assert b"BEGIN:VCALENDAR" not in response.data
    assert response.headers["Retry-After"] == "300"


def test_the_feed_window_follows_today(web_client, feed):
    body = web_client.get(f"/feeds/{feed}.ics").data.decode()
    assert f"hours.KA.BG-CUS-OFF.{DAYS[0].isoformat()}.1@juxta" in body
    assert date(2026, 3, 29).isoformat() not in body
