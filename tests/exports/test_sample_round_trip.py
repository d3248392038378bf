"""The Kapitan Andreevo sample (data/kapitan-andreevo): its plan read back by every reader at
the instants the plan holds, across both 2026 switches of Europe/Sofia."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.services import feeds
from app.services.scenario.load import load_scenario
from app.services.scenario.validate import read_scenario
from models import BorderPost, PlannedShift, PlannedWindow
from tests.conftest import DATA
from tests.exports.builders import add_plan_from_rules
from tests.exports.conftest import SETTINGS
from tests.exports.parsers import READERS

DAYS = [date(2026, 3, 27) + timedelta(days=n) for n in range(4)] + [date(2026, 10, 23) + timedelta(days=n) for n in range(4)]


def test_the_sample_plan_reads_back_at_the_same_instants_in_every_reader(sqlite_session):
    load_scenario(sqlite_session, read_scenario(DATA / "kapitan-andreevo"))
    post = sqlite_session.scalar(select(BorderPost).where(BorderPost.code == "kapitan-andreevo"))
    plan = add_plan_from_rules(sqlite_session, post, 1, DAYS)
    sqlite_session.commit()
    subscription, token = feeds.create_subscription(sqlite_session, post, feeds.Selection.of(["hours", "shifts"]), "everything", None)
    state = feeds.feed_state(sqlite_session, subscription, token, SETTINGS, datetime(2026, 3, 20, tzinfo=UTC))
    data = feeds.feed_body(sqlite_session, state)
    windows = Counter((w.start_at, w.end_at) for w in sqlite_session.scalars(select(PlannedWindow).where(PlannedWindow.plan_id == plan.id)))
    shifts = {(s.officer.code, s.day.isoformat()): (s.start_at, s.end_at) for s in sqlite_session.scalars(select(PlannedShift).where(PlannedShift.plan_id == plan.id))}
    assert sum(windows.values()) > 50 and len(shifts) > 50
    assert {zone for zone in ("Europe/Sofia", "Europe/Istanbul") if f"TZID:{zone}".encode() in data} == {"Europe/Sofia", "Europe/Istanbul"}
    for name, read in READERS.items():
        read_back = read(data)
        assert Counter(v for k, v in read_back.items() if k.startswith("hours.")) == windows, name
        by_shift = {}
        for uid, instants in read_back.items():
            if uid.startswith("shift."):
                _, _, officer, day = uid.removesuffix("@juxta").split(".")
                by_shift[officer, day] = instants
        assert by_shift == shifts, name
