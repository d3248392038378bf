"""The whole journey in a real browser: a manager plans and publishes, a scheduler books and exports.

Debian's chromium runs headless through Playwright against Juxta served on a free port, with
the in-process job worker running plan jobs, CSRF protection on, and a post loaded into a
temporary SQLite database. Every page visited is saved to ``test-artifacts/screenshots/``.
Without chromium the test skips and says why, unless ``JUXTA_REQUIRE_BROWSER=1`` (CI).
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from app.db import session_scope
from app.services import jobs
from models import Agency, BorderPost, Office, Officer, Plan, PlannedShift, Side
from tests.conftest import ROOT, make_test_app
from tests.web.builders import PASSWORD, add_users, first_officer, load_post, role_users
from tests.web.conftest import POST, SCHEDULER_AGENCY, SIDES

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PLAN_FINISHES_WITHIN_MS = 240_000


def _unavailable(reason: str) -> None:
    if os.environ.get("JUXTA_REQUIRE_BROWSER") == "1":
        pytest.fail(f"the browser tests are required here (JUXTA_REQUIRE_BROWSER=1): {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture
def server(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[str, Flask]]:
    """Juxta on a free port with a loaded post, demo users, no plan yet, and a job worker."""
    path = tmp_path / "juxta.sqlite"
    shutil.copy(sqlite_template, path)
    web_app = make_test_app(f"sqlite:///{path}", WTF_CSRF_ENABLED=True)
    start = datetime.now(UTC).date()
    with web_app.app_context(), session_scope() as session:
        # Enough officers that customs and plant health share some hours in a week's roster.
        post = load_post(session, POST, start, officers=60)
        add_users(session, role_users(POST, SIDES, SCHEDULER_AGENCY, first_officer(session, post, SCHEDULER_AGENCY).code))
    importlib.import_module("app.jobs")  # registers the job handlers, as `juxta serve` does
    worker = jobs.Worker(web_app.extensions["juxta.sessions"], poll_seconds=0.2, stale_after_seconds=300)
    worker.start_thread()
    http = make_server("127.0.0.1", 0, web_app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}", web_app
    http.shutdown()
    worker.stop()
    web_app.extensions["juxta.engine"].dispose()


@pytest.fixture
def browser_page(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _unavailable(f"playwright is not installed ({exc})")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        except Exception as exc:  # noqa: BLE001  (any launch failure means: no usable browser here)
            _unavailable(f"chromium did not start ({type(exc).__name__}: {exc})")
        context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield page
        context.close()
        browser.close()


class Journey:
    """Steps in the browser, each page saved as a numbered screenshot."""

    def __init__(self, page, base: str) -> None:  # type: ignore[no-untyped-def]
        self.page, self.base, self.count = page, base, 0

    def shot(self, name: str) -> None:
        self.count += 1
        # A month's roster is tens of thousands of pixels tall; its first screen says enough.
        tall = self.page.evaluate("document.documentElement.scrollHeight") > 6000
        self.page.screenshot(path=str(SCREENSHOTS / f"{self.count:02d}-{name}.png"), full_page=not tall)

    def visit(self, path: str, name: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, f"{path} answered {response.status if response else 'nothing'}"
        self.shot(name)

    def sign_in(self, username: str) -> None:
        self.page.goto(self.base + "/auth/login")
        self.shot(f"sign-in-{username}")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("input[type=submit]")
        self.page.wait_for_url(re.compile(rf".*/posts/{POST}$"))
        self.shot(f"overview-{username}")

    def sign_out(self) -> None:
        self.page.click("button:has-text('Sign out')")
        self.page.wait_for_url(re.compile(r".*/auth/login.*"))


def _on_duty_together(web_app: Flask, plan_version: int, agencies: tuple[str, ...], after: datetime, minutes: int) -> list[datetime]:
    """Instants after ``after`` (on the quarter hour) from which officers of every one of
    ``agencies`` are rostered for ``minutes`` at their own offices in the Polish facility, in
    the published plan: when a scheduler who reads the roster would ask for a joint slot.
    Trucks entering Poland are checked there (a two-facility post)."""
    with web_app.app_context(), session_scope() as session:
        plan = session.scalar(select(Plan).join(BorderPost).where(BorderPost.code == POST, Plan.version == plan_version))
        assert plan is not None
        rows = session.execute(
            select(PlannedShift.start_at, PlannedShift.end_at, Agency.code)
            .join(Officer, PlannedShift.officer_id == Officer.id)
            .join(Agency, Officer.agency_id == Agency.id)
            .join(Office, PlannedShift.office_id == Office.id)
            .join(Side, Office.host_side_id == Side.id)
            # Booking counts an officer on duty only on shifts at their own office.
            .where(PlannedShift.plan_id == plan.id, PlannedShift.office_id == Officer.office_id,
                   Agency.code.in_(agencies), Side.code == SIDES[0])
        ).all()
    duty: dict[str, list[tuple[datetime, datetime]]] = {}
    for start, end, agency in rows:
        duty.setdefault(agency, []).append((start.replace(tzinfo=UTC), end.replace(tzinfo=UTC)))
    need = timedelta(minutes=minutes)
    found = set()
    # Every agency's shift starts are tried: the later of two overlapping shifts' starts is
    # when both are on duty, whichever agency it belongs to.
    for start in sorted({start for shifts in duty.values() for start, _ in shifts}):
        begin = max(start, after)
        begin = begin.replace(second=0, microsecond=0) + timedelta(minutes=-begin.minute % 15)
        if all(any(s <= begin and begin + need <= e for s, e in duty.get(code, [])) for code in agencies):
            found.add(begin)
    return sorted(found)


def test_manager_plans_and_publishes_then_a_scheduler_books_and_exports(server: tuple[str, Flask], browser_page) -> None:  # type: ignore[no-untyped-def]
    base, web_app = server
    page, journey = browser_page, Journey(browser_page, base)

    journey.sign_in("manager")
    assert page.locator("#now").is_visible()
    journey.visit(f"/posts/{POST}/timeline", "timeline-regular-hours")
    journey.visit(f"/posts/{POST}/plans", "plans-empty")
    page.fill("input[name=weeks]", "1")
    page.fill("input[name=time_limit_seconds]", "10")
    page.fill("input[name=workers]", "2")
    page.click("#plan-run-form input[type=submit]")
    page.wait_for_url(re.compile(r".*/plans/jobs/\d+$"))
    journey.shot("plan-run-started")
    # The progress page survives a reload: its state is in the database.
    page.reload()
    assert page.locator("#job").is_visible()
    page.wait_for_selector("#plan-link", timeout=PLAN_FINISHES_WITHIN_MS)
    assert page.locator("#job-status").inner_text() == "succeeded"
    assert page.locator("#progress-chart path").count() >= 1, "the chart drew no objective or bound"
    journey.shot("plan-run-finished")
    page.click("#plan-link")
    page.wait_for_selector("#publish-button")
    journey.shot("plan-draft")
    page.click("#publish-button")
    page.wait_for_selector(".badge-published")
    journey.shot("plan-published")
    version = re.search(r"/plans/(\d+)$", page.url).group(1)  # type: ignore[union-attr]
    journey.visit(f"/posts/{POST}/timeline?plan={version}", "timeline-planned")
    journey.visit(f"/posts/{POST}/roster", "roster")
    journey.visit(f"/posts/{POST}/coverage", "coverage")
    journey.visit(f"/posts/{POST}/audit", "audit-log")
    journey.sign_out()

    journey.sign_in("scheduler")
    journey.visit(f"/posts/{POST}/inspections/new", "request-form")
    page.fill("input[name=reference]", "BROWSER-0001")
    page.select_option("select[name=exit_side]", SIDES[1])
    page.select_option("select[name=category]", "general")
    page.select_option("select[name=arrival_zone]", "UTC")
    # The form offers slots as the arrival changes; like a scheduler, try the times the
    # roster has customs and plant health on duty together until one offers a joint slot.
    joint = (SCHEDULER_AGENCY, f"{SIDES[0]}-PHY")
    page.check(f"input[name=agencies][value={joint[1]}]")
    candidates = _on_duty_together(web_app, int(version), joint, datetime.now(UTC) + timedelta(days=1), 90)
    assert candidates, f"the published roster never has {' and '.join(joint)} on duty together"
    for arrival in candidates[:12]:
        page.evaluate("document.getElementById('offers').replaceChildren()")
        page.fill("input[name=expected_arrival]", f"{arrival:%Y-%m-%dT%H:%M}")
        page.wait_for_selector("#offers .offer, #offers .blockers", timeout=20_000)
        if page.locator("#offers .offer").count():
            break
    assert page.locator("#offers .offer").count(), f"no joint slot offered: {page.locator('#offers').inner_text()}"
    journey.shot("request-form-instant-offers")
    page.click("#request-form input[type=submit]")
    page.wait_for_url(re.compile(r".*/inspections/BROWSER-0001$"))
    journey.shot("request-offers")
    page.click("button.book-offer >> nth=0")
    page.wait_for_selector("#booking")
    assert "Booked" in page.locator("#booking").inner_text()
    journey.shot("request-booked")
    journey.visit(f"/posts/{POST}/bays?day={arrival:%Y-%m-%d}&zone=UTC", "bays-day")
    assert page.locator(".bay-block.booked", has_text="BROWSER-0001").count() == 1

    journey.visit(f"/posts/{POST}/plans/{version}", "plan-for-export")
    with page.expect_download() as download_info:
        page.click("a.export-csv-inspections")
    download = download_info.value
    saved = SCREENSHOTS.parent / f"export-{download.suggested_filename}"
    download.save_as(saved)
    assert saved.stat().st_size > 0
    assert "BROWSER-0001" in saved.read_text(encoding="utf-8")
