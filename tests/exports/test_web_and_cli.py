"""Downloads and the calendars page over HTTP, and the same files from ``juxta export``."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.cli import cli
from app.db import session_scope
from app.services import users as user_service
from models import Job, Plan, PlanStatus, PushTarget
from tests.exports.builders import add_booking, add_plan, load_ka

PASSWORD = "correct horse battery"


@pytest.fixture
def site(web):
    with web.app_context(), session_scope() as session:
        post = load_ka(session)
        plan = add_plan(session, post, 1)
        add_booking(session, post, plan, "MRN-26BG-0001", datetime(2026, 3, 29, 9, 0, tzinfo=UTC), 60)
        add_plan(session, post, 2, status=PlanStatus.DRAFT)
    return web


SCOPES = {
    "admin": {"role": "admin"},
    "manager": {"role": "post_manager", "post": "KA"},
    "officer": {"role": "officer", "post": "KA", "officer": "BG-CUS1"},
    "neighbour": {"role": "neighbour_viewer", "post": "KA", "side": "TR"},
}


def sign_in(client, username):
    """Make the user (hashing a password is slow, so only the one a test needs) and sign in."""
    with client.application.app_context(), session_scope() as session:
        user_service.create_user(session, username=username, password=PASSWORD, **SCOPES[username])
    response = client.post("/auth/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.data


def invoke(app, *args):
    return app.test_cli_runner().invoke(cli, list(args))


def plan_id(app, version=1):
    with app.app_context(), session_scope() as session:
        return session.scalar(select(Plan.id).where(Plan.version == version))


@pytest.mark.parametrize(("fmt", "query"), [("ics", "side=BG&calendar=hours"), ("csv", "calendar=shifts&agency=TR-CUS"), ("ics", "calendar=inspections&bay=BAY-01")])
def test_the_command_line_writes_the_file_the_web_gives(site, web_client, tmp_path, fmt, query):
    sign_in(web_client, "admin")
    response = web_client.get(f"/posts/KA/plans/1/export.{fmt}?{query}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=\"KA-v1-")
    options = [part for pair in query.split("&") for part in (f"--{pair.split('=')[0]}", pair.split("=")[1])]
    out = tmp_path / f"out.{fmt}"
    result = invoke(site, "export", fmt, "--plan", str(plan_id(site)), *options, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == response.data


def test_the_workbook_download_and_command_agree(site, web_client, tmp_path):
    sign_in(web_client, "manager")
    response = web_client.get("/posts/KA/plans/1/export.xlsx?side=TR")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    out = tmp_path / "plan.xlsx"
    assert invoke(site, "export", "xlsx", "--plan", str(plan_id(site)), "--side", "TR", "--out", str(out)).exit_code == 0
    web_book, cli_book = load_workbook(io.BytesIO(response.data)), load_workbook(out)
    assert web_book.sheetnames == cli_book.sheetnames == ["Plan", "TR-CUS", "TR-VET"]
    for name in web_book.sheetnames:
        assert list(web_book[name].values) == list(cli_book[name].values)


def test_bad_command_line_input_exits_2_with_the_fix(site, tmp_path):
    result = invoke(site, "export", "csv", "--plan", str(plan_id(site)), "--out", str(tmp_path / "x.csv"))
    assert result.exit_code == 2 and "calendar=hours, shifts or inspections" in result.output
    result = invoke(site, "export", "ics", "--plan", str(plan_id(site)), "--agency", "GR-CUS", "--out", str(tmp_path / "x.ics"))
    assert result.exit_code == 2 and "KA has no agency 'GR-CUS'" in result.output
    assert invoke(site, "sync", "nowhere").exit_code == 2


def test_import_commands_report_and_change_nothing_on_error(site, tmp_path):
    good = tmp_path / "officers.csv"
    good.write_text("code,name,agency,office\nTR-CUS7,Elif Kaya,TR-CUS,TR-CUS-OFF\n")
    assert "1 officers row(s) added" in invoke(site, "import", "officers", "KA", str(good)).output
    bad = tmp_path / "leave.csv"
    bad.write_text("officer,from,to\nTR-CUS7,2026-02-30,2026-03-02\nGHOST,2026-03-01,2026-03-02\n")
    result = invoke(site, "import", "leave", "KA", str(bad))
    assert result.exit_code == 2
    assert "leave.csv, line 2: from:" in result.output and "leave.csv, line 3: officer:" in result.output
    ics = tmp_path / "tr.ics"
    ics.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:h@tr\r\nDTSTART;VALUE=DATE:20260423\r\nSUMMARY:Holiday\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    result = invoke(site, "import-ics", "KA", "TR", str(ics), "--from", "2026-04-01", "--to", "2026-04-30")
    assert result.exit_code == 0 and "imported 1 closed period(s) for side TR (1 holiday)" in result.output


def test_an_officer_downloads_only_their_own_shifts_and_no_drafts(site, web_client):
    sign_in(web_client, "officer")
    own = web_client.get("/posts/KA/plans/1/export.ics?calendar=shifts")
    assert own.status_code == 200
    assert set(re.findall(rb"UID:shift\.KA\.([A-Z0-9-]+)\.", own.data)) == {b"BG-CUS1"}
    assert web_client.get("/posts/KA/plans/1/export.ics?calendar=shifts&officer=TR-CUS1").status_code == 404
    assert web_client.get("/posts/KA/plans/2/export.ics").status_code == 404


def test_a_neighbour_viewer_gets_hours_but_no_shifts(site, web_client):
    sign_in(web_client, "neighbour")
    assert web_client.get("/posts/KA/plans/1/export.ics?calendar=hours&side=BG").status_code == 200
    assert web_client.get("/posts/KA/plans/1/export.ics?calendar=shifts").status_code == 404
    both = web_client.get("/posts/KA/plans/1/export.ics?calendar=hours&calendar=shifts")
    assert both.status_code == 200 and b"UID:shift." not in both.data
    inspections = web_client.get("/posts/KA/plans/1/export.ics?calendar=inspections")
    assert b"UID:inspection.KA.MRN-26BG-0001" in inspections.data and b"Officers:" not in inspections.data


def test_planners_see_the_officers_of_an_inspection(site, web_client):
    sign_in(web_client, "manager")
    assert b"Officers: BG-CUS officer 1" in web_client.get("/posts/KA/plans/1/export.ics?calendar=inspections&agency=BG-CUS").data


def test_the_calendars_page_makes_shows_once_and_revokes_a_feed(site, web_client):
    sign_in(web_client, "manager")
    page = web_client.post("/posts/KA/calendars/feeds", data={"label": "TR customs desk", "calendar": ["hours"], "side": "BG"})
    assert page.status_code == 201
    url = re.search(rb'value="(https://juxta\.example\.org/feeds/[^"]+\.ics)"', page.data).group(1).decode()
    path = url.removeprefix("https://juxta.example.org")
    assert web_client.get(path).status_code == 200
    listing = web_client.get("/posts/KA/calendars")
    assert b"TR customs desk" in listing.data and url.encode() not in listing.data
    subscription_id = re.search(rb"/calendars/feeds/(\d+)/revoke", listing.data).group(1).decode()
    assert web_client.post(f"/posts/KA/calendars/feeds/{subscription_id}/revoke").status_code == 302
    assert web_client.get(path).status_code == 404


def test_a_manager_saves_a_push_target_and_the_sync_button_queues_a_job(site, web_client):
    sign_in(web_client, "manager")
    saved = web_client.post("/posts/KA/calendars/targets", data={"name": "tr-customs", "side": "BG", "url": "https://caldav.example.org/ka/", "password_ref": "env:KA_CALDAV", "calendar": ["hours", "inspections"]})
    assert saved.status_code == 302
    queued = web_client.post("/posts/KA/plans/1/sync")
    assert queued.status_code == 302
    with site.app_context(), session_scope() as session:
        target = session.scalars(select(PushTarget)).one()
        job = session.scalars(select(Job)).one()
        assert target.calendars == ["hours", "inspections"] and job.kind == "caldav_sync" and job.params["target"] == target.id
    assert web_client.post("/posts/KA/plans/2/sync").status_code == 404  # drafts are never pushed


def test_an_officer_may_not_manage_push_targets(site, web_client):
    sign_in(web_client, "officer")
    refused = web_client.post("/posts/KA/calendars/targets", data={"name": "x", "side": "BG", "url": "https://caldav.example.org/ka/"})
    assert refused.status_code == 403
    assert b"Push to a neighbour" not in web_client.get("/posts/KA/calendars").data
