"""The post overview: who is open now, staffing against demand, bookings, and warnings."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.db import session_scope
from app.services.pages.overview import build_overview
from models import BorderPost, Officer
from tests.web.conftest import POST, Site


def _overview(site: Site, now: datetime, **kwargs):  # type: ignore[no-untyped-def]
    with site.app.app_context(), session_scope() as session:
        post = session.scalar(select(BorderPost).where(BorderPost.code == POST))
        for key, value in kwargs.items():
            for side in post.sides:
                setattr(side, key, value(side))
        session.flush()
        return build_overview(session, post, now, include_drafts=True, show_staffing=True)


def test_the_week_before_a_dst_switch_and_a_one_sided_holiday_warns(site: Site) -> None:
    overview = _overview(site, datetime(2026, 3, 25, 12, 0, tzinfo=UTC))
    dst = [n.message for n in overview.notices if n.kind == "dst"]
    assert len(dst) == 2 and any("Poland: clocks change Sun 29 Mar at 03:00" in m for m in dst)
    may_day = _overview(site, datetime(2026, 4, 28, 12, 0, tzinfo=UTC))
    holidays = [n.message for n in may_day.notices if n.kind == "holiday"]
    # 3 May is Constitution Day in Poland only.
    assert any("Sun 03 May" in m and "Poland only" in m for m in holidays)


def test_offices_open_now_follow_the_published_plan_and_staffing_is_compared(site: Site) -> None:
    now = datetime.combine(site.start, datetime.min.time(), tzinfo=UTC).replace(hour=9)
    overview = _overview(site, now)
    offices = {o.office.code: o for side in overview.sides for o in side.offices}
    with site.app.app_context(), session_scope() as session:
        stationed = len(session.scalars(select(Officer).where(Officer.office_id == offices["PL-CUS-OFF"].office.id)).all())
    assert offices["PL-CUS-OFF"].open_now and offices["PL-CUS-OFF"].on_duty == stationed and offices["PL-CUS-OFF"].required == 2
    if site.start.weekday() < 5:
        assert offices["PL-PHY-OFF"].open_now and offices["PL-PHY-OFF"].next_change_local.startswith("closes")
    night = _overview(site, now.replace(hour=23))
    closed = {o.office.code: o for side in night.sides for o in side.offices}
    assert not closed["PL-PHY-OFF"].open_now and closed["PL-PHY-OFF"].next_change_local.startswith("opens")
    # Everyone works 06-14 in the test plan: at night the 24/7 offices are short, and it says so.
    assert any(n.kind == "staffing" and "Poland Customs" in n.message for n in night.notices)


def test_draft_and_missing_plans_are_warned_about(site: Site) -> None:
    overview = _overview(site, datetime.now(UTC))
    assert any("Draft plan v3 is not published" in n.message for n in overview.notices)
    page = site.client("neighbour").get(f"/posts/{POST}").get_data(as_text=True)
    assert "Draft plan" not in page and "On duty" not in page
    assert "Draft plan v3" in site.client("manager").get(f"/posts/{POST}").get_data(as_text=True)
