"""The posts a user may see, and each post's overview."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from app.db import get_session
from app.posts import bp
from app.security import me, visible_posts
from app.services.access import Ability, can
from app.services.pages.overview import build_overview
from app.services.posts import summarise
from app.web import include_drafts, post_page, render_page
from models import utcnow


@bp.route("/")
@login_required
def index() -> str | Response:
    posts = visible_posts(me())
    if len(posts) == 1:
        return redirect(url_for("posts.overview", code=posts[0].code))
    return render_template("posts/index.html", posts=posts)


@bp.route("/posts/<code>")
@login_required
def overview(code: str) -> str:
    post = post_page(code)
    user, session, now = me(), get_session(), utcnow()
    summary = summarise(session, post, now)
    state = build_overview(session, post, now, include_drafts=include_drafts(user), show_staffing=can(user, Ability.VIEW_STAFFING))
    return render_page("posts/overview.html", post, summary=summary, state=state)
