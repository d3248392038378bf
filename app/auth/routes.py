"""Signing in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app.auth import bp
from app.auth.forms import LoginForm
from app.db import get_session
from app.security import Principal
from app.services import audit
from app.services import users as user_service


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    form = LoginForm()
    if form.validate_on_submit():
        session = get_session()
        user = user_service.authenticate(session, form.username.data or "", form.password.data or "")
        if user is None:
            flash("Unknown user name or wrong password.", "error")
            return render_template("auth/login.html", form=form), 401  # type: ignore[return-value]
        login_user(Principal(user))
        audit.record(session, user, "sign_in", "user", user.id, post_id=user.post_id)
        session.commit()
        target = request.args.get("next", "")
        # Only same-site paths: an absolute URL here would be an open redirect.
        if not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
            target = url_for("posts.index")
        return redirect(target)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    logout_user()
    flash("Signed out.", "info")
    return redirect(url_for("auth.login"))
