"""The JSON API under ``/api/v1``: bearer tokens, the same role and scope checks as the pages.

Only ``Authorization: Bearer`` authenticates here, never the browser's session cookie: the
API is exempt from CSRF protection, which is safe only because a cookie alone gets nothing.
"""

from flask import Blueprint

from app.extensions import csrf, login_manager

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
# An unauthenticated call answers 401 JSON instead of redirecting to the sign-in page.
login_manager.blueprint_login_views["api"] = None  # type: ignore[assignment]

from app.api import routes  # noqa: E402,F401
