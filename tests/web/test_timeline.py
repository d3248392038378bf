"""The two-side timeline: one axis in the reader's clock, the DST switch marked, hours per side."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from app.db import session_scope
from app.services.pages.common import clock_for, offset_changes
from app.services.pages.timeline import build_timeline
from models import BorderPost
from tests.web.conftest import POST, Site


def _timeline(site: Site, first: date, days: int, zone: str, plan=None):  # type: ignore[no-untyped-def]
    with site.app.app_context(), session_scope() as session:
        post = session.scalar(select(BorderPost).where(BorderPost.code == POST))
        return build_timeline(session, post, plan, first_day=first, days=days, clock=clock_for(post, zone), show_staffing=False)


def test_the_spring_switch_is_marked_for_both_sides_at_the_same_instant(site: Site) -> None:
    # Warsaw and Kyiv both move their clocks forward at 01:00 UTC on the last Sunday of March.
    timeline = _timeline(site, date(2026, 3, 28), 3, "UTC")
    changes = {(m.side_code, m.change.at, m.change.before_minutes, m.change.after_minutes) for m in timeline.markers}
    switch = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert changes == {("PL", switch, 60, 120), ("UA", switch, 120, 180)}
    marker = timeline.markers[0]
    assert 0 < marker.left < 100 and abs(marker.left - (25 / 72 * 100)) < 0.01


def test_a_local_day_with_a_skipped_hour_is_shorter_on_the_axis(site: Site) -> None:
    timeline = _timeline(site, date(2026, 3, 29), 1, "PL")
    assert (timeline.end - timeline.start).total_seconds() == 23 * 3600
    assert [t.label for t in timeline.ticks][:3] == ["Sun 29 Mar", "01:00", "03:00"]


def test_without_a_plan_lanes_show_regular_hours_placed_in_each_sides_own_zone(site: Site) -> None:
    timeline = _timeline(site, date(2026, 1, 5), 1, "UTC")  # a Monday in winter
    assert timeline.from_regular_hours
    lanes = {lane.key: lane for entry in timeline.sides for lane in entry.lanes}
    # 08:00-17:00 in Warsaw (UTC+1) is 07:00-16:00 UTC; in Kyiv (UTC+2) 06:00-15:00 UTC.
    assert lanes["PL-PHY-OFF"].bars[0].left == round(7 / 24 * 100, 4) and lanes["PL-PHY-OFF"].bars[0].width == round(9 / 24 * 100, 4)
    assert lanes["UA-PHY-OFF"].bars[0].left == round(6 / 24 * 100, 4)
    assert lanes["PL-CUS-OFF"].bars[0].width == 100.0


def test_offset_changes_are_found_to_the_quarter_hour() -> None:
    autumn = offset_changes("Europe/Chisinau", datetime(2026, 10, 24, tzinfo=UTC), datetime(2026, 10, 27, tzinfo=UTC))
    assert [(c.at, c.before_minutes, c.after_minutes) for c in autumn] == [(datetime(2026, 10, 25, 0, 0, tzinfo=UTC), 180, 120)]
    assert offset_changes("Africa/Kigali", datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC)) == []


def test_the_page_shows_either_clock_and_hides_staffing_from_the_neighbour(site: Site) -> None:
    manager = site.client("manager").get(f"/posts/{POST}/timeline?zone=UA&day={site.start}&days=1").get_data(as_text=True)
    assert "Ukraine time (Europe/Kyiv)" in manager and 'class="tl-count"' in manager
    neighbour = site.client("neighbour").get(f"/posts/{POST}/timeline?day={site.start}&days=1").get_data(as_text=True)
    assert "Ukraine time (Europe/Kyiv)" in neighbour, "the neighbour's own side is their default clock"
    assert 'class="tl-count"' not in neighbour and "tl-window" in neighbour
    assert site.client("manager").get(f"/posts/{POST}/timeline?zone=Mars").status_code == 422
    assert site.client("manager").get(f"/posts/{POST}/timeline?days=99").status_code == 422
