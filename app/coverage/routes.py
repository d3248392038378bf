"""Coverage heat map: officers needed against officers rostered, per interval."""

from __future__ import annotations

from flask_login import login_required

from app.coverage import bp
from app.services.access import Ability
from app.services.pages.coverage import MAX_DAYS, build_coverage
from app.web import arg_int, office_visible, plan_page, post_page, render_page


@bp.route("/posts/<code>/coverage")
@login_required
def heatmap(code: str) -> str:
    post = post_page(code, Ability.VIEW_COVERAGE)
    page = plan_page(post)
    first_day = page.first_day(from_plan=True)
    coverage = build_coverage(page.session, post, page.plan, first_day=first_day, days=arg_int("days", 1) or 1, clock=page.clock, office_visible=office_visible(page.user))
    return render_page("coverage/heatmap.html", post, coverage=coverage, clock=page.clock, plans=page.plans, max_days=MAX_DAYS, first_day=first_day)
