"""The two-side timeline page."""

from __future__ import annotations

from flask_login import login_required

from app.services.access import Ability, can
from app.services.pages.timeline import MAX_DAYS, build_timeline
from app.timeline import bp
from app.web import arg_int, office_visible, plan_page, post_page, render_page


@bp.route("/posts/<code>/timeline")
@login_required
def show(code: str) -> str:
    post = post_page(code, Ability.VIEW_TIMELINE)
    page = plan_page(post)
    timeline = build_timeline(
        page.session, post, page.plan, first_day=page.first_day(from_plan=False), days=arg_int("days", 3) or 3, clock=page.clock,
        show_staffing=can(page.user, Ability.VIEW_STAFFING), office_visible=office_visible(page.user),
    )
    return render_page("timeline/show.html", post, timeline=timeline, clock=page.clock, plans=page.plans, max_days=MAX_DAYS)
