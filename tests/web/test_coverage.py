"""Coverage: officers needed against officers rostered, per interval, as a heat map."""

from __future__ import annotations

from sqlalchemy import select

from app.db import session_scope
from app.services.pages.common import clock_for
from app.services.pages.coverage import CoverageCell, build_coverage
from models import BorderPost
from tests.web.builders import build_plan
from tests.web.conftest import POST, Site


def test_cells_say_short_met_or_over_and_the_shortfall_adds_up(site: Site) -> None:
    assert CoverageCell(2, 1).state == "short" and CoverageCell(2, 2).state == "met" and CoverageCell(1, 3).state == "over"
    assert CoverageCell(0, 0).state == "idle" and CoverageCell(4, 2).level == 4
    with site.app.app_context(), session_scope() as session:
        post = session.scalar(select(BorderPost).where(BorderPost.code == POST))
        # Nobody of PL-PHY works: its office is short by its minimum crew every open hour.
        plan = build_plan(session, post, version=4, start=site.start, days=1, rest_officers={"PL00007", "PL00008"})
        coverage = build_coverage(session, post, plan, first_day=site.start, days=1, clock=clock_for(post, "PL"), office_visible=lambda office: office.agency.code == "PL-PHY")
        rows = {row.office.code: row for row in coverage.rows}
        assert set(rows) == {"PL-PHY-OFF", "PL-PHY-JUX"}
        open_hours = 9 if site.start.weekday() < 5 else 5 if site.start.weekday() == 5 else 0
        assert rows["PL-PHY-OFF"].short_officer_hours == open_hours
        assert all(cell.state == "short" for cell in rows["PL-PHY-OFF"].cells.values())


def test_the_page_limits_offices_to_the_readers_scope(site: Site) -> None:
    scheduler = site.client("scheduler").get(f"/posts/{POST}/coverage").get_data(as_text=True)
    assert "Poland Customs at the Poland facility" in scheduler and "Ukraine Customs" not in scheduler
    auditor = site.client("auditor").get(f"/posts/{POST}/coverage").get_data(as_text=True)
    assert "Ukraine Customs" in auditor and "heat-cell" in auditor
