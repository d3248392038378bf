"""Plans: start a plan run, watch it, read a plan, compare two versions, publish a draft."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from app import settings_of
from app.db import get_session
from app.plans import bp
from app.plans.forms import PlanRunForm, PublishForm
from app.security import can_manage_post, me
from app.services import feeds
from app.services import plans as plan_service
from app.services.access import Ability, can
from app.services.errors import Conflict, InputProblem, InvalidInput
from app.web import (
    arg_int,
    include_drafts,
    officer_visible,
    page_clock,
    post_page,
    render_page,
    require,
    today,
)
from models import BorderPost, PlanStatus, utcnow


@bp.route("/posts/<code>/plans")
@login_required
def index(code: str) -> tuple[str, int]:
    post = post_page(code, Ability.VIEW_PLANS)
    form = _run_form(post)
    return _index(post, form)


def _run_form(post: BorderPost) -> PlanRunForm:
    solver = settings_of(current_app).solver
    form = PlanRunForm()
    if not form.is_submitted():
        form.start.data = today(page_clock(post))
        form.time_limit_seconds.data = solver.time_limit_seconds
        form.workers.data = solver.workers
        form.seed.data = solver.seed
    return form


def _index(post: BorderPost, form: PlanRunForm, status: int = 200) -> tuple[str, int]:
    user, session = me(), get_session()
    plans = plan_service.list_plans(session, post, include_drafts=include_drafts(user))
    running = plan_service.active_plan_job(session, post)
    jobs = plan_service.recent_plan_jobs(session, post) if can(user, Ability.RUN_PLANS) else []
    may_run = can(user, Ability.RUN_PLANS) and can_manage_post(user, post)
    return render_page("plans/index.html", post, plans=plans, form=form, running=running, jobs=jobs, may_run=may_run), status


@bp.route("/posts/<code>/plans/run", methods=["POST"])
@login_required
def run(code: str) -> Response | tuple[str, int]:
    post = post_page(code, Ability.RUN_PLANS)
    user = me()
    require(can_manage_post(user, post))
    form = _run_form(post)
    if not form.validate_on_submit():
        return _index(post, form, 422)
    session = get_session()
    settings = plan_service.PlanRunSettings(
        start=form.start.data, weeks=form.weeks.data, seed=form.seed.data,
        time_limit_seconds=float(form.time_limit_seconds.data), workers=form.workers.data,
    )
    try:
        job = plan_service.start_plan_run(session, post, user, settings)
    except Conflict as conflict:
        flash(str(conflict), "error")
        return redirect(url_for("plans.job", code=post.code, job_id=conflict.detail["job"]))
    session.commit()
    flash(f"Plan run queued as job {job.id}; it runs in the background.", "info")
    return redirect(url_for("plans.job", code=post.code, job_id=job.id))


@bp.route("/posts/<code>/plans/jobs/<int(max=2147483647):job_id>")
@login_required
def job(code: str, job_id: int) -> str:
    post = post_page(code, Ability.RUN_PLANS)
    session = get_session()
    found = plan_service.get_job(session, post, job_id)
    return render_page("plans/job.html", post, job=found, state=plan_service.job_state(session, found))


@bp.route("/posts/<code>/plans/jobs/<int(max=2147483647):job_id>.json")
@login_required
def job_state(code: str, job_id: int) -> Response:
    post = post_page(code, Ability.RUN_PLANS)
    session = get_session()
    state = plan_service.job_state(session, plan_service.get_job(session, post, job_id))
    if state["plan"]:
        state["plan"]["url"] = url_for("plans.show", code=post.code, version=state["plan"]["version"])
    return jsonify(state)


@bp.route("/posts/<code>/plans/<int(max=2147483647):version>")
@login_required
def show(code: str, version: int) -> tuple[str, int]:
    post = post_page(code, Ability.VIEW_PLANS)
    return _show(post, version)


def _show(post: BorderPost, version: int, status: int = 200, refusal: list[str] | None = None) -> tuple[str, int]:
    user, session = me(), get_session()
    plan = plan_service.get_plan(session, post, version, include_drafts=include_drafts(user))
    may_publish = plan.status == PlanStatus.DRAFT and can(user, Ability.PUBLISH_PLANS) and can_manage_post(user, post)
    check = plan_service.notice_check(session, plan, utcnow()) if may_publish else None
    others = [p for p in plan_service.list_plans(session, post, include_drafts=include_drafts(user)) if p.id != plan.id]
    return render_page(
        "plans/show.html", post, plan=plan, explanations=plan_service.explanations(plan), check=check,
        may_publish=may_publish, form=PublishForm(), others=others, refusal=refusal or [],
    ), status


@bp.route("/posts/<code>/plans/<int(max=2147483647):version>/publish", methods=["POST"])
@login_required
def publish(code: str, version: int) -> Response | tuple[str, int]:
    post = post_page(code, Ability.PUBLISH_PLANS)
    user = me()
    require(can_manage_post(user, post))
    form = PublishForm()
    if not form.validate_on_submit():
        return _show(post, version, 400)
    session = get_session()
    plan = plan_service.get_plan(session, post, version)
    try:
        result = plan_service.publish(session, plan, user, utcnow())
    except Conflict as conflict:
        session.rollback()
        flash(str(conflict), "error")
        return _show(post, version, 409, list(conflict.detail.get("late_changes", [])))
    feeds.enqueue_refresh(session, post, feeds.FeedSettings.from_config(settings_of(current_app)), user)
    session.commit()
    flash(f"Plan v{plan.version} is published" + (f"; v{result.superseded.version} is superseded." if result.superseded else "."), "info")
    for message in result.notice.messages:
        flash(f"Late change (penalty {result.notice.penalty_per_change}): {message}", "warning")
    return redirect(url_for("plans.show", code=post.code, version=plan.version))


@bp.route("/posts/<code>/plans/compare")
@login_required
def compare(code: str) -> str:
    post = post_page(code, Ability.VIEW_PLANS)
    user, session = me(), get_session()
    plans = plan_service.list_plans(session, post, include_drafts=include_drafts(user))
    before_version, after_version = arg_int("before"), arg_int("after")
    comparison = None
    if before_version is not None or after_version is not None:
        if before_version is None or after_version is None:
            raise InvalidInput([InputProblem("before" if before_version is None else "after", "pick two versions", "choose a plan on both sides")])
        before = plan_service.get_plan(session, post, before_version, include_drafts=include_drafts(user))
        after = plan_service.get_plan(session, post, after_version, include_drafts=include_drafts(user))
        comparison = plan_service.compare_plans(session, before, after, officer_visible=officer_visible(user))
    return render_page("plans/compare.html", post, plans=plans, comparison=comparison, before=before_version, after=after_version)
