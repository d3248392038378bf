"""The posts a user may see, and each post's overview."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from app.db import get_session
from app.posts import bp
from app.security import me, post_or_404, visible_posts
from app.services.posts import summarise
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
    post = post_or_404(code)
    summary = summarise(get_session(), post, utcnow())
    return render_template("posts/overview.html", post=post, summary=summary)
