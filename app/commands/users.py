from __future__ import annotations

import click
from flask.cli import AppGroup

from app.db import session_scope
from app.services import audit
from app.services import users as user_service
from app.services.demo import DEMO_PASSWORD, ensure_demo_users
from models import Role


@click.group(cls=AppGroup)
def users() -> None:
    """User accounts and API tokens."""


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--post", help="Post code of the user's scope.")
@click.option("--side", help="Side code, for a manager of one side or a neighbour viewer.")
@click.option("--agency", help="Agency code, for an agency scheduler.")
@click.option("--officer", help="Staff number, for an officer.")
@click.option("--name", "display_name", default="", help="Name shown in the interface.")
@click.password_option(help="Asked for when not given; JUXTA_PASSWORD also works.", envvar="JUXTA_PASSWORD")
def add(username: str, role: str, post: str | None, side: str | None, agency: str | None, officer: str | None, display_name: str, password: str) -> None:
    """Create a user with a role and a scope."""
    with session_scope() as session:
        user = user_service.create_user(session, username=username, password=password, role=role, post=post, side=side, agency=agency, officer=officer, display_name=display_name)
        audit.record(session, "cli", "user_created", "user", user.id, post_id=user.post_id, username=username, role=role)
    click.echo(f"created {role} {username}")


@users.command("token")
@click.argument("username")
@click.option("--revoke-others", is_flag=True, help="Revoke the user's earlier tokens.")
def token(username: str, revoke_others: bool) -> None:
    """Print a new API bearer token for USERNAME (shown once)."""
    with session_scope() as session:
        user = user_service.get_user(session, username)
        revoked = user_service.revoke_tokens(session, user) if revoke_others else 0
        value = user_service.issue_token(session, user, label="cli")
        audit.record(session, "cli", "token_issued", "user", user.id, post_id=user.post_id, revoked=revoked)
    click.echo(value)


@users.command("revoke")
@click.argument("username")
def revoke(username: str) -> None:
    """Revoke every API token of USERNAME."""
    with session_scope() as session:
        user = user_service.get_user(session, username)
        count = user_service.revoke_tokens(session, user)
        audit.record(session, "cli", "tokens_revoked", "user", user.id, post_id=user.post_id, count=count)
    click.echo(f"revoked {count} token(s) of {username}")


@users.command("demo")
@click.argument("post")
def demo(post: str) -> None:
    """Create (or reset) one demo user per role for POST; every password is juxta-demo."""
    with session_scope() as session:
        accounts = ensure_demo_users(session, post)
    for account in accounts:
        state = "created" if account.created else "reset"
        click.echo(f"{state:8} {account.username:24} {account.role.value:17} {account.scope}")
    click.echo(f"password for every demo user: {DEMO_PASSWORD} (demo data only: never on a production post)")
