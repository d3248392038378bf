"""Downloads of plans (iCalendar, CSV, Excel), token feeds, calendar subscriptions and CalDAV push."""

from flask import Blueprint

bp = Blueprint("exports", __name__)

from app.exports import routes  # noqa: E402,F401
