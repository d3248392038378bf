"""Plan -> feed -> three readers -> the same instants as the plan's rows, across both DST switches."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.services import feeds
from models import Booking, PlannedShift, PlannedWindow
from tests.exports.builders import AUTUMN, SPRING, add_booking, add_plan
from tests.exports.conftest import SETTINGS
from tests.exports.parsers import READERS

NOW = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)


@pytest.fixture
def planned(session, ka):
    plan = add_plan(session, ka, 1)
    # A joint inspection in the first summer-time hour and one in the repeated autumn hour.
    add_booking(session, ka, plan, "MRN-26BG-0001", datetime(2026, 3, 29, 1, 30, tzinfo=UTC), 60)
    add_booking(session, ka, plan, "MRN-26BG-0002", datetime(2026, 10, 25, 1, 30, tzinfo=UTC), 90, bay="PEN-01")
    session.commit()
    return plan


def feed_of(session, post, selection):
    subscription, token = feeds.create_subscription(session, post, selection, "test", None)
    state = feeds.feed_state(session, subscription, token, SETTINGS, NOW)
    return feeds.feed_body(session, state)


def test_every_reader_reads_the_plans_instants_from_the_whole_post_feed(session, ka, planned):
    data = feed_of(session, ka, feeds.Selection.of(None))
    windows = Counter((w.start_at, w.end_at) for w in session.scalars(select(PlannedWindow).where(PlannedWindow.plan_id == planned.id)))
    shifts = {(s.officer.code, s.day.isoformat()): (s.start_at, s.end_at) for s in session.scalars(select(PlannedShift).where(PlannedShift.plan_id == planned.id))}
    bookings = {b.request.reference: (b.start_at, b.end_at) for b in session.scalars(select(Booking))}
    assert any(s.day == SPRING for s in planned.shifts) and any(s.day == AUTUMN for s in planned.shifts)
    for name, read in READERS.items():
        read_back = read(data)
        assert Counter(v for k, v in read_back.items() if k.startswith("hours.")) == windows, name
        assert {tuple(k.split(".")[2:4]): v for k, v in read_back.items() if k.startswith("shift.")} == {
            (officer, day + "@juxta"): v for (officer, day), v in shifts.items()
        }, name
        assert {k.removesuffix("@juxta").split(".")[2]: v for k, v in read_back.items() if k.startswith("inspection.")} == bookings, name


def test_a_night_shift_across_spring_forward_lasts_seven_hours_in_every_reader(session, ka, planned):
    data = feed_of(session, ka, feeds.Selection.of(["shifts"], officer="BG-CUS2"))
    for name, read in READERS.items():
        start, end = read(data)["shift.KA.BG-CUS2.2026-03-28@juxta"]
        assert end - start == timedelta(hours=7), name
        start, end = read(data)["shift.KA.BG-CUS2.2026-10-24@juxta"]
        assert end - start == timedelta(hours=9), name


def test_side_hours_for_the_neighbour_use_each_sides_own_zone(session, ka, planned):
    bg = feed_of(session, ka, feeds.Selection.of(["hours"], side="BG")).decode()
    tr = feed_of(session, ka, feeds.Selection.of(["hours"], side="TR")).decode()
    assert "TZID:Europe/Sofia" in bg and "Europe/Istanbul" not in bg
    assert "TZID:Europe/Istanbul" in tr and "Europe/Sofia" not in tr
    # The 24/7 Bulgarian customs office is open 23 hours on the day clocks go forward.
    for name, read in READERS.items():
        start, end = read(bg.encode())["hours.KA.BG-CUS-OFF.2026-03-29.1@juxta"]
        assert end - start == timedelta(hours=23), name


def test_inspections_per_bay_and_per_agency_have_their_own_uids(session, ka, planned):
    by_bay = feed_of(session, ka, feeds.Selection.of(["inspections"], bay="PEN-01"))
    by_agency = feed_of(session, ka, feeds.Selection.of(["inspections"], agency="TR-VET"))
    assert set(READERS["icalendar"](by_bay)) == {"inspection.KA.MRN-26BG-0002.PEN-01@juxta"}
    assert set(READERS["icalendar"](by_agency)) == {"inspection.KA.MRN-26BG-0002.TR-VET@juxta"}
    assert b"Joint inspection MRN-26BG-0002" in by_agency
