"""Re-plans: unchanged events keep UID and SEQUENCE, changed ones go up, removed ones are
cancelled for the grace period and then leave."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar
from sqlalchemy import select

from app.services import feeds
from models import BookingStatus, PlanStatus, PublishedEvent
from tests.exports.builders import SPRING, Variant, add_booking, add_plan
from tests.exports.conftest import SETTINGS

T0 = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
T1 = datetime(2026, 3, 12, 8, 0, tzinfo=UTC)
MONDAY = date(2026, 3, 30)


def read(session, post, selection, now, subscription=None):
    subscription, token = subscription or feeds.create_subscription(session, post, selection, "test", None)
    state = feeds.feed_state(session, subscription, token, SETTINGS, now)
    session.commit()
    calendar = icalendar.Calendar.from_ical(feeds.feed_body(session, state))
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}, state


def test_a_replan_keeps_unchanged_events_bumps_changed_ones_and_cancels_removed_ones(session, ka):
    selection = feeds.Selection.of(["hours", "shifts"], side="BG")
    add_plan(session, ka, 1)
    before, _ = read(session, ka, selection, T0)
    assert {int(e["SEQUENCE"]) for e in before.values()} == {0}
    add_plan(session, ka, 2, variant=Variant(shorten_bg_vet_on=MONDAY, drop_officer_shift=("BG-CUS1", MONDAY)))
    after, state = read(session, ka, selection, T1)

    changed = f"hours.KA.BG-VET-OFF.{MONDAY}.2@juxta"
    removed = f"shift.KA.BG-CUS1.{MONDAY}@juxta"
    assert set(after) == set(before)
    for uid, event in after.items():
        if uid in (changed, removed):
            continue
        assert int(event["SEQUENCE"]) == 0, uid
        assert event["LAST-MODIFIED"].dt == event["DTSTAMP"].dt == T0, uid
        assert event.to_ical() == before[uid].to_ical(), uid
    assert int(after[changed]["SEQUENCE"]) == 1
    assert after[changed]["LAST-MODIFIED"].dt == after[changed]["DTSTAMP"].dt == T1
    assert after[changed]["CREATED"].dt == T0
    assert after[changed]["DTEND"].dt.hour == 15
    assert str(after[removed]["STATUS"]) == "CANCELLED" and int(after[removed]["SEQUENCE"]) == 1
    assert after[removed]["DTSTART"].dt == before[removed]["DTSTART"].dt
    assert sorted(state.synced.updated) == [changed] and state.synced.cancelled == [removed]
    assert state.last_modified == T1


def test_a_cancelled_event_leaves_after_the_grace_period_and_comes_back_with_a_higher_sequence(session, ka):
    selection = feeds.Selection.of(["shifts"], officer="BG-CUS1")
    add_plan(session, ka, 1)
    read(session, ka, selection, T0)
    add_plan(session, ka, 2, variant=Variant(drop_officer_shift=("BG-CUS1", MONDAY)))
    removed = f"shift.KA.BG-CUS1.{MONDAY}@juxta"
    read(session, ka, selection, T1)
    during, _ = read(session, ka, selection, T1 + timedelta(days=SETTINGS.cancelled_grace_days) - timedelta(minutes=1))
    assert str(during[removed]["STATUS"]) == "CANCELLED"
    gone, state = read(session, ka, selection, T1 + timedelta(days=SETTINGS.cancelled_grace_days))
    assert removed not in gone and state.synced is not None and state.synced.removed == [removed]
    add_plan(session, ka, 3)
    back, _ = read(session, ka, selection, T1 + timedelta(days=20))
    assert int(back[removed]["SEQUENCE"]) == 0  # a new event once the old one has left
    add_plan(session, ka, 4, variant=Variant(drop_officer_shift=("BG-CUS1", MONDAY)))
    read(session, ka, selection, T1 + timedelta(days=21))
    add_plan(session, ka, 5)
    again, _ = read(session, ka, selection, T1 + timedelta(days=22))
    assert str(again[removed]["STATUS"]) == "CONFIRMED" and int(again[removed]["SEQUENCE"]) == 2


def test_events_before_a_new_plans_horizon_are_kept_not_cancelled(session, ka):
    selection = feeds.Selection.of(["hours"], office="BG-VET-OFF")
    add_plan(session, ka, 1)
    before, _ = read(session, ka, selection, T0)
    later = add_plan(session, ka, 2, days=[date(2026, 10, 26)])
    later.horizon_start = date(2026, 10, 1)
    later.horizon_days = 31
    session.commit()
    after, state = read(session, ka, selection, T1)
    march = [uid for uid in before if ".2026-03-" in uid]
    assert march and all(str(after[uid]["STATUS"]) == "CONFIRMED" and int(after[uid]["SEQUENCE"]) == 0 for uid in march)
    assert state.synced.cancelled == []


def test_nothing_changes_without_a_new_plan_and_the_state_is_not_rewritten(session, ka):
    selection = feeds.Selection.of(["hours"], side="TR")
    add_plan(session, ka, 1)
    subscription = feeds.create_subscription(session, ka, selection, "desk", None)
    _, first = read(session, ka, selection, T0, subscription)
    _, second = read(session, ka, selection, T1, subscription)
    assert second.synced is None and second.etag == first.etag and second.last_modified == T0


def test_a_draft_plan_changes_no_feed(session, ka):
    selection = feeds.Selection.of(["shifts"], officer="TR-CUS1")
    add_plan(session, ka, 1)
    subscription = feeds.create_subscription(session, ka, selection, "desk", None)
    before, first = read(session, ka, selection, T0, subscription)
    add_plan(session, ka, 2, variant=Variant(drop_officer_shift=("TR-CUS1", MONDAY)), status=PlanStatus.DRAFT)
    after, second = read(session, ka, selection, T1, subscription)
    assert second.etag == first.etag and all(str(e["STATUS"]) == "CONFIRMED" for e in after.values())


def test_a_moved_booking_keeps_its_uid_and_a_cancelled_one_is_shown_cancelled(session, ka):
    selection = feeds.Selection.of(["inspections"], agency="BG-CUS")
    booking = add_booking(session, ka, None, "MRN-26BG-0001", datetime(2026, 3, 29, 9, 0, tzinfo=UTC), 60)
    session.commit()
    uid = "inspection.KA.MRN-26BG-0001.BG-CUS@juxta"
    first, _ = read(session, ka, selection, T0)
    booking.status = BookingStatus.CANCELLED
    booking.sequence += 1
    booking.updated_at = T1
    add_booking(session, ka, None, "MRN-26BG-0001", datetime(2026, 3, 29, 11, 0, tzinfo=UTC), 60)
    session.commit()
    moved, _ = read(session, ka, selection, T1)
    assert int(moved[uid]["SEQUENCE"]) == 1 and moved[uid]["DTSTART"].dt.astimezone(UTC).hour == 11
    for rebooked in session.scalars(select(type(booking))):
        rebooked.status = BookingStatus.CANCELLED
        rebooked.updated_at = T1 + timedelta(hours=1)
    session.commit()
    cancelled, _ = read(session, ka, selection, T1 + timedelta(hours=2))
    assert str(cancelled[uid]["STATUS"]) == "CANCELLED" and int(cancelled[uid]["SEQUENCE"]) == 2
    assert int(first[uid]["SEQUENCE"]) == 0


def test_feeds_of_the_same_selection_share_one_history(session, ka):
    selection = feeds.Selection.of(["hours"], side="BG")
    add_plan(session, ka, 1)
    read(session, ka, selection, T0)
    read(session, ka, selection, T1)
    uids = list(session.scalars(select(PublishedEvent.uid)))
    assert len(uids) == len(set(uids)) > 0
    assert SPRING.isoformat() in " ".join(uids)


def test_publishing_can_sync_every_subscribed_calendar_ahead_of_the_clients(session, ka):
    add_plan(session, ka, 1)
    subscription = feeds.create_subscription(session, ka, feeds.Selection.of(["hours"], side="BG"), "desk", None)
    feeds.create_subscription(session, ka, feeds.Selection.of(["hours"], side="BG"), "second desk, same calendar", None)
    feeds.create_subscription(session, ka, feeds.Selection.of(["shifts"], officer="TR-CUS1"), "officer", None)
    reports = feeds.refresh_post_calendars(session, ka, SETTINGS, T0)
    session.commit()
    assert sorted(reports) == ["hours|side=BG", "shifts|officer=TR-CUS1"]
    assert all(report.added for report in reports.values())
    _, state = read(session, ka, None, T0, subscription)
    assert state.synced is None
