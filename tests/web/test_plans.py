"""Plan versions: comparing two, publishing with the notice-period check, plan runs from the page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.db import session_scope
from app.services import feeds, jobs
from app.services import plans as plan_service
from app.services import users as user_service
from app.services.errors import Conflict
from models import (
    AuditEntry,
    BorderPost,
    CalendarKind,
    Job,
    JobStatus,
    NoticePolicy,
    Plan,
    PlanStatus,
)
from tests.web.builders import build_plan
from tests.web.conftest import POST, Site


def _post(session) -> BorderPost:  # type: ignore[no-untyped-def]
    return session.scalar(select(BorderPost).where(BorderPost.code == POST))


def _plan(session, version: int) -> Plan:  # type: ignore[no-untyped-def]
    return plan_service.get_plan(session, _post(session), version)


def test_comparison_names_changed_windows_and_the_officers_whose_shifts_change(site: Site) -> None:
    with site.app.app_context(), session_scope() as session:
        post = _post(session)
        changed = build_plan(session, post, version=4, start=site.start, days=7, close_early={"PL-PHY-OFF": 60}, rest_officers={"PL00001"})
        comparison = plan_service.compare_plans(session, _plan(session, 1), changed)
        plant_days = {change.starts.date() for change in comparison.windows if change.office_code == "PL-PHY-OFF"}
        assert {change.office_code for change in comparison.windows} == {"PL-PHY-OFF"}
        assert all(change.kind == "changed" for change in comparison.windows) and len(plant_days) == len(comparison.windows)
        assert "becomes" in comparison.windows[0].describe() and "Europe/Warsaw" in comparison.windows[0].describe()
        assert {c.officer_code for c in comparison.shifts} == {"PL00001"} and len(comparison.shifts) == 7
        assert all(c.before == "PL-E8" and c.after is None for c in comparison.shifts)
        hidden = plan_service.compare_plans(session, _plan(session, 1), changed, officer_visible=lambda officer: officer.code != "PL00001")
        assert hidden.shifts == () and hidden.windows == comparison.windows
        assert plan_service.compare_plans(session, _plan(session, 1), _plan(session, 2)).unchanged


def _late_draft(session, site: Site, policy: NoticePolicy) -> Plan:  # type: ignore[no-untyped-def]
    post = _post(session)
    post.notice_policy = policy
    post.notice_period_hours = 120
    # Plant health closes an hour earlier every day, starting well inside the 120 h notice period.
    return build_plan(session, post, version=4, start=site.start, days=7, close_early={"PL-PHY-OFF": 60})


def test_a_late_change_is_refused_under_the_forbid_policy_naming_the_window(site: Site) -> None:
    with site.app.app_context(), session_scope() as session:
        draft = _late_draft(session, site, NoticePolicy.FORBID)
        admin = user_service.get_user(session, "admin")
        with pytest.raises(Conflict) as refused:
            plan_service.publish(session, draft, admin, datetime.now(UTC))
        messages = refused.value.detail["late_changes"]
        assert messages and all("Poland Plant health" in m and "120 h are owed" in m for m in messages)
        assert draft.status == PlanStatus.DRAFT and _plan(session, 1).status == PlanStatus.PUBLISHED
    # Far enough ahead, the same change is on time.
    with site.app.app_context(), session_scope() as session:
        check = plan_service.notice_check(session, _plan(session, 4), datetime.now(UTC) - timedelta(days=30))
        assert check.changes and not check.late


def test_a_late_change_is_published_with_its_penalty_under_the_penalise_policy(site: Site) -> None:
    with site.app.app_context(), session_scope() as session:
        draft = _late_draft(session, site, NoticePolicy.PENALISE)
        result = plan_service.publish(session, draft, user_service.get_user(session, "manager"), datetime.now(UTC))
        late = len(result.notice.late)
        assert late > 0 and result.notice.penalty == late * _post(session).notice_penalty
        assert draft.status == PlanStatus.PUBLISHED and result.superseded.version == 1
        assert _plan(session, 1).status == PlanStatus.SUPERSEDED
        assert draft.kpis["late_notice_penalty"] == result.notice.penalty
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "plan_published")).one()
        assert entry.actor == "manager" and entry.detail["penalty"] == result.notice.penalty and len(entry.detail["late_changes"]) == late


def test_the_publish_page_shows_the_refusal_as_a_409_page_not_an_error(site: Site) -> None:
    with site.app.app_context(), session_scope() as session:
        _late_draft(session, site, NoticePolicy.FORBID)
    client = site.client("manager")
    page = client.get(f"/posts/{POST}/plans/4").get_data(as_text=True)
    assert "Publishing is refused" in page
    refused = client.post(f"/posts/{POST}/plans/4/publish")
    assert refused.status_code == 409
    assert "Not published" in refused.get_data(as_text=True) and "Poland Plant health" in refused.get_data(as_text=True)
    published = client.post(f"/posts/{POST}/plans/2/publish")
    assert published.status_code == 302
    assert "is published" in client.get(published.headers["Location"]).get_data(as_text=True)


def test_infeasible_plans_show_their_explanations(site: Site) -> None:
    explanation = {"rule": "Minimum rest between shifts", "subject": "PL00002", "message": "Ivan cannot rest 11 h between night and early shifts", "day": site.start.isoformat(), "amount": 0, "cost": 0}
    with site.app.app_context(), session_scope() as session:
        build_plan(session, _post(session), version=4, start=site.start, days=2, status=PlanStatus.INFEASIBLE, explanations=[explanation], solver_status="INFEASIBLE")
    page = site.client("auditor").get(f"/posts/{POST}/plans/4")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "No plan satisfies every hard rule" in text and "Ivan cannot rest 11 h" in text
    assert "Publish v4" not in text


def test_the_run_form_queues_a_job_whose_page_and_state_survive_a_reload(site: Site) -> None:
    client = site.client("manager")
    refused = client.post(f"/posts/{POST}/plans/run", data={"start": "2026-02-30", "weeks": 0, "seed": 1, "time_limit_seconds": 5, "workers": 1})
    assert refused.status_code == 422 and "Not a valid date" in refused.get_data(as_text=True)
    queued = client.post(f"/posts/{POST}/plans/run", data={"start": site.start.isoformat(), "weeks": 2, "seed": 5, "time_limit_seconds": 12.5, "workers": 2})
    assert queued.status_code == 302
    job_url = queued.headers["Location"]
    assert client.get(job_url).status_code == 200
    state = client.get(job_url + ".json").get_json()
    assert state["status"] == "queued" and state["params"] == {"post": POST, "start": site.start.isoformat(), "weeks": 2, "seed": 5, "time_limit_seconds": 12.5, "workers": 2}
    with site.app.app_context(), session_scope() as session:
        job = session.get(Job, state["id"])
        assert job.kind == "plan" and job.status == JobStatus.QUEUED
        job.status = JobStatus.FAILED
        job.error = "Traceback (most recent call last): secret internals"
        job.message = "failed: the roster engine found no plan"
    failed = client.get(job_url + ".json").get_json()
    assert failed["finished"] and failed["message"] == "failed: the roster engine found no plan"
    assert "Traceback" not in client.get(job_url).get_data(as_text=True)


def test_a_job_offers_its_plan_only_once_it_has_succeeded(site: Site) -> None:
    # The worker stores the plan a moment before it marks the job done.
    client = site.client("manager")
    queued = client.post(f"/posts/{POST}/plans/run", data={"start": site.start.isoformat(), "weeks": 1, "seed": 1, "time_limit_seconds": 5, "workers": 1})
    job_url = queued.headers["Location"]
    with site.app.app_context(), session_scope() as session:
        plan = session.scalars(select(Plan).order_by(Plan.version)).first()
        assert plan is not None
        version = plan.version
        job = session.get(Job, int(job_url.rsplit("/", 1)[1]))
        job.plan_id, job.status = plan.id, JobStatus.RUNNING
    running = client.get(job_url + ".json").get_json()
    assert running["plan"] is None and not running["finished"]
    assert 'id="plan-link"' not in client.get(job_url).get_data(as_text=True)
    with site.app.app_context(), session_scope() as session:
        session.get(Job, running["id"]).status = JobStatus.SUCCEEDED
    done = client.get(job_url + ".json").get_json()
    assert done["finished"] and done["plan"]["version"] == version


def test_a_side_manager_may_read_plans_but_not_run_or_publish_them(site: Site) -> None:
    client = site.client("side-manager")
    assert client.get(f"/posts/{POST}/plans").status_code == 200
    assert "Start a plan run" not in client.get(f"/posts/{POST}/plans").get_data(as_text=True)
    assert client.post(f"/posts/{POST}/plans/2/publish").status_code == 403


def test_publishing_queues_a_calendar_refresh_that_brings_subscribed_feeds_up_to_date(site: Site) -> None:
    with site.app.app_context(), session_scope() as session:
        post = _post(session)
        selection = feeds.Selection(kinds=(CalendarKind.HOURS, CalendarKind.SHIFTS))
        feeds.create_subscription(session, post, selection, "UA customs duty desk", None)
    published = site.client("manager").post(f"/posts/{POST}/plans/2/publish")
    assert published.status_code == 302
    sessions = site.app.extensions["juxta.sessions"]
    with site.app.app_context(), session_scope() as session:
        job = session.scalars(select(Job).where(Job.kind == feeds.REFRESH_JOB)).one()
        assert job.status == JobStatus.QUEUED and job.params["post"] == POST
        calendar = feeds.calendar_row(session, _post(session).id, selection.key())
        assert calendar is None  # nothing is synced inside the publishing request
    claimed = jobs.claim_next(sessions, stale_after_seconds=300)
    jobs.run_job(sessions, claimed)
    with site.app.app_context(), session_scope() as session:
        job = session.get(Job, claimed)
        assert job.status == JobStatus.SUCCEEDED and job.result == {"calendars": 1}
        post = _post(session)
        calendar = feeds.calendar_row(session, post.id, selection.key())
        assert calendar is not None
        assert not feeds.needs_sync(calendar, feeds.source_marker(session, post.id, selection.kinds), datetime.now(UTC))
