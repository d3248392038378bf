"""Signing in, scope of posts, CSRF on forms, API bearer tokens and the CLI's user commands."""

from __future__ import annotations

import re

import pytest

from app.db import session_scope
from app.services import users as user_service
from app.services.scenario.generate import GeneratorSettings, synthetic_scenario
from app.services.scenario.load import load_scenario
from tests.conftest import make_test_app


@pytest.fixture
def loaded(app):
    with app.app_context(), session_scope() as session:
        load_scenario(session, synthetic_scenario(GeneratorSettings(officers=24, days=7, trucks_per_day=100, code="alpha")))
        load_scenario(session, synthetic_scenario(GeneratorSettings(officers=24, days=7, trucks_per_day=100, code="beta")))
        user_service.create_user(session, username="manager", password="correct horse", role="post_manager", post="alpha")
        user_service.create_user(session, username="admin", password="correct horse", role="admin")
    return app


def sign_in(client, username, password="correct horse"):
    return client.post("/auth/login", data={"username": username, "password": password})


def test_pages_need_a_signed_in_user(loaded, client):
    response = client.get("/posts/alpha")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(loaded, client):
    response = sign_in(client, "manager", "wrong password")
    assert response.status_code == 401
    assert b"Unknown user name or wrong password" in response.data
    assert client.get("/posts/alpha").status_code == 302


def test_a_manager_sees_their_post_and_not_another(loaded, client):
    assert sign_in(client, "manager").status_code == 302
    assert client.get("/").headers["Location"] == "/posts/alpha"
    page = client.get("/posts/alpha")
    assert page.status_code == 200
    assert b"Poland" in page.data and b"Ukraine" in page.data
    assert client.get("/posts/beta").status_code == 404
    assert client.get("/posts/nowhere").status_code == 404


def test_an_admin_sees_every_post(loaded, client):
    sign_in(client, "admin")
    listing = client.get("/")
    assert listing.status_code == 200
    assert b"/posts/alpha" in listing.data and b"/posts/beta" in listing.data


def test_sign_in_does_not_redirect_off_site(loaded, client):
    response = client.post("/auth/login?next=https://evil.example/", data={"username": "manager", "password": "correct horse"})
    assert response.headers["Location"] == "/"


def test_signing_out_needs_a_post_and_ends_the_session(loaded, client):
    sign_in(client, "manager")
    assert client.get("/auth/logout").status_code == 405
    client.post("/auth/logout")
    assert client.get("/posts/alpha").status_code == 302


def test_forms_are_refused_without_their_csrf_token(database_url):
    app = make_test_app(database_url, WTF_CSRF_ENABLED=True)
    try:
        with app.app_context(), session_scope() as session:
            user_service.create_user(session, username="admin", password="correct horse", role="admin")
        client = app.test_client()
        refused = client.post("/auth/login", data={"username": "admin", "password": "correct horse"})
        assert refused.status_code == 400
        form = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        accepted = client.post("/auth/login", data={"username": "admin", "password": "correct horse", "csrf_token": token})
        assert accepted.status_code == 302
    finally:
        app.extensions["juxta.engine"].dispose()


def test_bearer_tokens_authenticate_until_revoked(loaded, runner, client):
    result = runner.invoke("users", "token", "manager")
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert client.get("/posts/alpha", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert client.get("/posts/alpha", headers={"Authorization": "Bearer not-a-token"}).status_code == 302
    assert runner.invoke("users", "revoke", "manager").exit_code == 0
    assert client.get("/posts/alpha", headers={"Authorization": f"Bearer {token}"}).status_code == 302


def test_passwords_are_stored_hashed(loaded):
    with loaded.app_context(), session_scope() as session:
        user = user_service.get_user(session, "manager")
        assert "correct horse" not in user.password_hash
        assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["users", "add", "x", "--role", "agency_scheduler", "--post", "alpha", "--password", "longenough"], "a agency_scheduler needs a agency"),
        (["users", "add", "x", "--role", "post_manager", "--post", "nowhere", "--password", "longenough"], "no post 'nowhere'"),
        (["users", "add", "x", "--role", "officer", "--post", "alpha", "--officer", "NOPE", "--password", "longenough"], "post alpha has no officer 'NOPE'"),
        (["users", "add", "x", "--role", "admin", "--password", "short"], "shorter than 8 characters"),
        (["users", "add", "manager", "--role", "admin", "--password", "longenough"], "'manager' is taken"),
        (["users", "token", "ghost"], "no user 'ghost'"),
    ],
)
def test_user_commands_report_bad_input_with_exit_code_2(loaded, runner, args, message):
    result = runner.invoke(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
