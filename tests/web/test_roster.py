"""The roster grid: shifts by officer and day, marks from the engines, filters, scope, print."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.db import session_scope
from app.services.pages.roster import build_roster
from models import BorderPost
from tests.web.builders import build_plan
from tests.web.conftest import POST, Site


def test_violations_and_costs_land_on_the_officer_and_day_they_name(site: Site) -> None:
    day = site.start + timedelta(days=1)
    breakdown = [
        {"rule": "Preferred days off", "subject": "PL00002", "day": day.isoformat(), "amount": 1, "cost": 3, "message": "works on a requested day off"},
        {"rule": "Fair share of nights", "subject": "Orhan Petrov (PL00002)", "day": None, "amount": 2, "cost": 8, "message": "two nights above the average"},
        {"rule": "Uncovered demand", "subject": "PL-CUS-OFF", "day": day.isoformat(), "amount": 2, "cost": 20, "message": "two officer-hours short"},
    ]
    explanations = [{"rule": "Minimum rest between shifts", "subject": "PL00003", "day": day.isoformat(), "amount": 0, "cost": 0, "message": "cannot rest 11 h"}]
    with site.app.app_context(), session_scope() as session:
        post = session.scalar(select(BorderPost).where(BorderPost.code == POST))
        plan = build_plan(session, post, version=4, start=site.start, days=3, breakdown=breakdown, explanations=explanations)
        grid = build_roster(session, post, plan, first_day=site.start, days=3, agency="PL-CUS", side=None, officer_visible=lambda _o: True)
        rows = {row.officer.code: row for row in grid.rows}
        assert set(rows) == {"PL00001", "PL00002", "PL00003"}
        assert [m.cost for m in rows["PL00002"].cells[1].marks] == [3.0] and rows["PL00002"].cells[0].marks == []
        assert [m.rule for m in rows["PL00002"].marks] == ["Fair share of nights"] and rows["PL00002"].cost == 11
        assert rows["PL00003"].cells[1].marks[0].blocking
        assert [(subject, mark.cost) for subject, mark in grid.post_marks] == [("PL-CUS-OFF", 20.0)]
        assert rows["PL00001"].cells[0].shift_code == "PL-E8" and rows["PL00001"].cells[0].hours == "06:00–14:00"
        assert rows["PL00001"].minutes == 3 * 8 * 60


def test_filters_and_scope_decide_the_rows(site: Site) -> None:
    side = site.client("manager").get(f"/posts/{POST}/roster?side=UA&days=2").get_data(as_text=True)
    assert "UA00013" in side and "PL00001" not in side
    scheduler = site.client("scheduler").get(f"/posts/{POST}/roster?days=2").get_data(as_text=True)
    assert "PL00001" in scheduler and "PL00004" not in scheduler and "UA00013" not in scheduler
    officer = site.client("officer").get(f"/posts/{POST}/roster?days=2").get_data(as_text=True)
    assert site.officer_code in officer and officer.count('<th scope="row" class="officer">') == 1
    assert site.client("manager").get(f"/posts/{POST}/roster?agency=NOPE").status_code == 422


def test_the_grid_is_printable(site: Site) -> None:
    page = site.client("manager").get(f"/posts/{POST}/roster").get_data(as_text=True)
    assert "window.print()" in page and "pages.css" in page
    css = site.client().get("/static/pages.css")
    assert "@media print" in css.get_data(as_text=True)
    css.close()
