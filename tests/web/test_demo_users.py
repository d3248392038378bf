"""`juxta users demo POST`: one user per role with the documented password, idempotent."""

from __future__ import annotations

from app.db import session_scope
from app.services import users as user_service
from app.services.demo import DEMO_PASSWORD
from models import Role
from tests.web.conftest import POST, Site


def test_demo_users_are_created_once_and_reset_on_a_second_run(site: Site) -> None:
    runner = site.app.test_cli_runner()
    from app.cli import cli

    first = runner.invoke(cli, ["users", "demo", POST])
    assert first.exit_code == 0, first.output
    assert first.output.count("created") == 6 and DEMO_PASSWORD in first.output
    with site.app.app_context(), session_scope() as session:
        manager = user_service.get_user(session, f"{POST}-manager")
        manager.password_hash = "changed"
        ids = {role: user_service.get_user(session, f"{POST}-{role}").id for role in ("manager", "scheduler", "officer", "neighbour", "auditor")}
    second = runner.invoke(cli, ["users", "demo", POST])
    assert second.exit_code == 0 and second.output.count("reset") == 6
    with site.app.app_context(), session_scope() as session:
        for role, expected in (("manager", Role.POST_MANAGER), ("scheduler", Role.AGENCY_SCHEDULER), ("officer", Role.OFFICER), ("neighbour", Role.NEIGHBOUR_VIEWER), ("auditor", Role.AUDITOR)):
            user = user_service.authenticate(session, f"{POST}-{role}", DEMO_PASSWORD)
            assert user is not None and user.role == expected and user.id == ids[role]
        assert user_service.authenticate(session, "demo-admin", DEMO_PASSWORD).role == Role.ADMIN
    assert site.client().post("/auth/login", data={"username": f"{POST}-officer", "password": DEMO_PASSWORD}).status_code == 302
    unknown = runner.invoke(cli, ["users", "demo", "nowhere"])
    assert unknown.exit_code == 2 and "no post 'nowhere'" in unknown.output
