"""Demo accounts for a sample post: one user per role, with passwords documented in docs/web.md.

Running it again leaves the same accounts with the documented passwords and scopes, so a
demo that someone changed can always be put back.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from app.services import audit
from app.services.errors import NotFound
from models import BorderPost, Officer, Role, User

DEMO_PASSWORD = "juxta-demo"


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    role: Role
    scope: str  # in words, for the command's output and the README
    created: bool


def ensure_demo_users(session: Session, post_code: str) -> list[DemoAccount]:
    """Create or reset ``demo-admin`` and ``CODE-manager``, ``-scheduler``, ``-officer``, ``-neighbour``, ``-auditor``."""
    post = session.scalar(select(BorderPost).where(BorderPost.code == post_code))
    if post is None:
        raise NotFound(f"no post {post_code!r}; load it first (juxta load data/{post_code})")
    first, second = post.sides[0], post.sides[-1]
    agency = next((a for a in first.agencies if a.lead), None) or first.agencies[0]
    officer = session.scalars(select(Officer).where(Officer.agency_id == agency.id).order_by(Officer.code)).first()
    wanted: list[tuple[str, Role, dict[str, int | None], str]] = [
        ("demo-admin", Role.ADMIN, {}, "every post"),
        (f"{post.code}-manager", Role.POST_MANAGER, {"post_id": post.id}, f"{post.name}, both sides"),
        (f"{post.code}-scheduler", Role.AGENCY_SCHEDULER, {"post_id": post.id, "side_id": first.id, "agency_id": agency.id}, f"{agency.name} ({agency.code})"),
        (f"{post.code}-neighbour", Role.NEIGHBOUR_VIEWER, {"post_id": post.id, "side_id": second.id}, f"{second.name}'s administration"),
        (f"{post.code}-auditor", Role.AUDITOR, {"post_id": post.id}, f"{post.name}, read-only"),
    ]
    if officer is not None:
        scope = {"post_id": post.id, "side_id": first.id, "agency_id": agency.id, "officer_id": officer.id}
        wanted.insert(3, (f"{post.code}-officer", Role.OFFICER, scope, f"{officer.name} ({officer.code}), {agency.code}"))
    accounts = []
    for username, role, scope, words in wanted:
        user = session.scalar(select(User).where(User.username == username))
        created = user is None
        if user is None:
            user = User(username=username)
            session.add(user)
        user.display_name = f"Demo {role.value.replace('_', ' ')}"
        user.password_hash = generate_password_hash(DEMO_PASSWORD)
        user.role = role
        user.active = True
        for key in ("post_id", "side_id", "agency_id", "officer_id"):
            setattr(user, key, scope.get(key))
        session.flush()
        audit.record(session, "cli", "demo_user_created" if created else "demo_user_reset", "user", user.id, post_id=user.post_id, username=username, role=role.value)
        accounts.append(DemoAccount(username, role, words, created))
    return accounts
