"""A prepared post for the web and API tests: two posts, one user per role, a published plan.

The database is built once per test session and copied for each test, so every test starts
from the same state and may change it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.db import session_scope
from app.services import users as user_service
from app.services.plans import PLAN_JOB
from models import Job, JobStatus, PlanStatus
from tests.conftest import make_test_app
from tests.web.builders import (
    PASSWORD,
    add_users,
    add_walk_requests,
    build_plan,
    first_officer,
    load_post,
    role_users,
)

POST = "alpha"
OTHER_POST = "beta"
SIDES = ("PL", "UA")
SCHEDULER_AGENCY = "PL-CUS"


@dataclass(frozen=True, slots=True)
class Site:
    app: Flask
    start: date  # the published plan's first day, yesterday
    officer_code: str

    def client(self, username: str | None = None) -> FlaskClient:
        client = self.app.test_client()
        if username is not None:
            response = client.post("/auth/login", data={"username": username, "password": PASSWORD})
            assert response.status_code == 302, f"{username} could not sign in"
        return client

    def token(self, username: str) -> dict[str, str]:
        with self.app.app_context(), session_scope() as session:
            value = user_service.issue_token(session, user_service.get_user(session, username), label="test")
        return {"Authorization": f"Bearer {value}"}


@pytest.fixture(scope="session")
def prepared_database(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> tuple[Path, date, str]:
    path = tmp_path_factory.mktemp("web") / "prepared.sqlite"
    shutil.copy(sqlite_template, path)
    start = datetime.now(UTC).date() - timedelta(days=1)
    app = make_test_app(f"sqlite:///{path}")
    with app.app_context(), session_scope() as session:
        post = load_post(session, POST, start)
        load_post(session, OTHER_POST, start, officers=8)
        officer = first_officer(session, post, SCHEDULER_AGENCY)
        add_users(session, role_users(POST, SIDES, SCHEDULER_AGENCY, officer.code))
        build_plan(session, post, version=1, start=start, days=7, status=PlanStatus.PUBLISHED)
        draft = build_plan(session, post, version=2, start=start, days=7)
        build_plan(session, post, version=3, start=start, days=7)
        session.add(Job(kind=PLAN_JOB, post_id=post.id, plan_id=draft.id, params={"post": POST, "start": start.isoformat(), "weeks": 1, "seed": 1, "time_limit_seconds": 5.0, "workers": 2},
                        status=JobStatus.SUCCEEDED, progress=[{"stage": "roster", "seconds": 1.0, "objective": 120.0, "bound": 100.0}], message="done"))
        add_walk_requests(session, post, user_service.get_user(session, "admin"))
        officer_code = officer.code
    app.extensions["juxta.engine"].dispose()
    return path, start, officer_code


@pytest.fixture
def site(prepared_database: tuple[Path, date, str], tmp_path: Path) -> Iterator[Site]:
    source, start, officer_code = prepared_database
    path = tmp_path / "juxta.sqlite"
    shutil.copy(source, path)
    app = make_test_app(f"sqlite:///{path}")
    yield Site(app, start, officer_code)
    app.extensions["juxta.engine"].dispose()

