from flask import Blueprint

bp = Blueprint("inspections", __name__)

from app.inspections import routes  # noqa: E402,F401
