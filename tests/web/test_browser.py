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
from werkzeug.serving import make_server

from app.db import session_scope
from app.services import jobs
from app.services.plans import PLAN_JOB
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
def server(tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """Juxta on a free port with a loaded post, demo users, no plan yet, and a job worker."""
    path = tmp_path / "juxta.sqlite"
    shutil.copy(sqlite_template, path)
    web_app = make_test_app(f"sqlite:///{path}", WTF_CSRF_ENABLED=True)
    start = datetime.now(UTC).date()
    with web_app.app_context(), session_scope() as session:
        post = load_post(session, POST, start)
        add_users(session, role_users(POST, SIDES, SCHEDULER_AGENCY, first_officer(session, post, SCHEDULER_AGENCY).code))
    importlib.import_module("app.jobs")  # registers the job handlers, as `juxta serve` does
    worker = jobs.Worker(web_app.extensions["juxta.sessions"], poll_seconds=0.2, stale_after_seconds=300)
    worker.start_thread()
    http = make_server("127.0.0.1", 0, web_app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
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
        self.page.screenshot(path=str(SCREENSHOTS / f"{self.count:02d}-{name}.png"), full_page=True)

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


def test_manager_plans_and_publishes_then_a_scheduler_books_and_exports(server: str, browser_page) -> None:  # type: ignore[no-untyped-def]
    page, journey = browser_page, Journey(browser_page, server)

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
    if PLAN_JOB not in jobs.HANDLERS:
        journey.shot("plan-run-waiting-for-a-handler")
        pytest.xfail("the `plan` job handler (app/jobs, the planning pipeline) has not landed yet; the rest of the journey needs its plan")
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
    arrival = datetime.now(UTC) + timedelta(days=1)
    page.fill("input[name=reference]", "BROWSER-0001")
    page.select_option("select[name=exit_side]", SIDES[0])
    page.select_option("select[name=category]", "general")
    page.check(f"input[name=agencies][value={SIDES[1]}-CUS]")
    page.fill("input[name=expected_arrival]", f"{arrival:%Y-%m-%d}T10:00")
    page.select_option("select[name=arrival_zone]", "UTC")
    page.wait_for_selector("#offers .offer, #offers .blockers", timeout=20_000)
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
