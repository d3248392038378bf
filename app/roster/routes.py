"""The roster grid page: officers by day, filterable by agency and side, printable."""

from __future__ import annotations

from flask import request
from flask_login import login_required

from app.roster import bp
from app.services.access import Ability
from app.services.pages.roster import MAX_DAYS, build_roster
from app.web import arg_int, officer_visible, plan_page, post_page, render_page


@bp.route("/posts/<code>/roster")
@login_required
def grid(code: str) -> str:
    post = post_page(code, Ability.VIEW_ROSTER)
    page = plan_page(post)
    roster = build_roster(
        page.session, post, page.plan, first_day=page.first_day(from_plan=True), days=arg_int("days", 14) or 14,
        agency=request.args.get("agency") or None, side=request.args.get("side") or None, officer_visible=officer_visible(page.user),
    )
    return render_page(
        "roster/grid.html", post, roster=roster, plans=page.plans, max_days=MAX_DAYS,
        chosen_agency=request.args.get("agency", ""), chosen_side=request.args.get("side", ""),
    )
