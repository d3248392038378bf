"""Juxta's Flask application factory."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask

from app.config import Settings, load_settings


def create_app(overrides: dict[str, Any] | None = None, *, settings: Settings | None = None) -> Flask:
    """Build the app: settings (defaults, config.toml, JUXTA_* env, ``overrides``), then extensions and blueprints.

    ``overrides`` takes dotted configuration keys (``{"database.url": ...}``) and Flask keys
    (``{"TESTING": True}``), so tests can build an isolated app.
    """
    overrides = dict(overrides or {})
    flask_keys = {key: overrides.pop(key) for key in list(overrides) if key.isupper()}
    settings = settings or load_settings(overrides=overrides)

    app = Flask(__name__, instance_path=str(settings.instance_path))
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.session_cookie_secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_lifetime_hours),
        MAX_CONTENT_LENGTH=32 * 1024 * 1024,
        JSON_SORT_KEYS=False,
    )
    app.config.update(flask_keys)
    app.extensions["juxta.settings"] = settings

    from app import db

    db.init_app(app, db.make_engine(settings.database_url))
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    return app


def register_extensions(app: Flask) -> None:
    from app.extensions import csrf, login_manager

    csrf.init_app(app)
    login_manager.init_app(app)


def register_blueprints(app: Flask) -> None:
    from app.auth import bp as auth
    from app.posts import bp as posts

    app.register_blueprint(auth, url_prefix="/auth")
    app.register_blueprint(posts)
    from app.admin import bp as admin
    from app.api import bp as api
    from app.coverage import bp as coverage
    from app.inspections import bp as inspections
    from app.plans import bp as plans
    from app.roster import bp as roster
    from app.timeline import bp as timeline
    from app.web import refuse_nul_bytes

    for blueprint in (timeline, roster, coverage, plans, inspections, admin, api):
        app.register_blueprint(blueprint)
    app.before_request(refuse_nul_bytes)
    from app.exports import bp as exports
    app.register_blueprint(exports)


def register_errorhandlers(app: Flask) -> None:
    from app.errors import register

    register(app)


def settings_of(app: Flask) -> Settings:
    return app.extensions["juxta.settings"]
