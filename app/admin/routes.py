"""The audit log of a post, for auditors, managers and administrators."""

from __future__ import annotations

from flask import request
from flask_login import login_required

from app.admin import bp
from app.db import get_session
from app.services.access import Ability
from app.services.pages.audit import audit_page
from app.web import arg_int, post_page, render_page


@bp.route("/posts/<code>/audit")
@login_required
def audit(code: str) -> str:
    post = post_page(code, Ability.VIEW_AUDIT)
    page = audit_page(get_session(), post, action=request.args.get("action") or None, before_id=arg_int("before"))
    return render_page("admin/audit.html", post, page=page, action=request.args.get("action", ""))
