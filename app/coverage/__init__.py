from flask import Blueprint

bp = Blueprint("coverage", __name__)

from app.coverage import routes  # noqa: E402,F401
