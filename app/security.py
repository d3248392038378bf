"""Who is asking, and may they? Role and scope checks shared by every page and API call.

Browsers sign in with a session cookie; API clients send ``Authorization: Bearer TOKEN``.
Both resolve to a ``User`` whose role and scope (post, side, agency, officer) every route
checks on the server side. What a user may not see answers 404, not 403, so its existence
does not leak; what they may see but not change answers 403.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, g
from flask_login import UserMixin, current_user
from sqlalchemy import select

from app.db import get_session
from app.extensions import login_manager
from app.services import users as user_service
from models import Agency, BorderPost, Officer, Role, Side, User

F = TypeVar("F", bound=Callable[..., Any])

READ_ROLES = frozenset(Role)
MANAGE_ROLES = frozenset({Role.ADMIN, Role.POST_MANAGER})


class Principal(UserMixin):
    """The signed-in user as Flask-Login sees it; wraps the row so the row stays session-bound."""

    def __init__(self, user: User) -> None:
        self.user = user

    def get_id(self) -> str:
        # The password hash prefix makes old sessions invalid after a password change.
        return f"{self.user.id}:{self.user.password_hash[-12:]}"

    @property
    def is_active(self) -> bool:
        return self.user.active

    def __getattr__(self, name: str) -> Any:
        return getattr(self.user, name)


@login_manager.user_loader
def _load_user(user_id: str) -> Principal | None:
    ident, _, fingerprint = user_id.partition(":")
    if not ident.isdigit():
        return None
    user = get_session().get(User, int(ident))
    if user is None or not user.active or user.password_hash[-12:] != fingerprint:
        return None
    return Principal(user)


@login_manager.request_loader
def _load_bearer(req: Any) -> Principal | None:
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    user = user_service.user_for_token(get_session(), header[len("Bearer "):].strip())
    if user is None:
        return None
    g.authenticated_by_token = True
    get_session().commit()  # keep last_used_at
    return Principal(user)


def me() -> User:
    """The signed-in user's row (only call behind ``login_required``)."""
    return current_user.user  # type: ignore[no-any-return]


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Allow only these roles; others get 403 (they are signed in, the page exists)."""
    allowed = frozenset(roles)

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def visible_posts(user: User) -> list[BorderPost]:
    session = get_session()
    if user.role == Role.ADMIN:
        return list(session.scalars(select(BorderPost).order_by(BorderPost.name)))
    if user.post_id is None:
        return []
    post = session.get(BorderPost, user.post_id)
    return [post] if post else []


def post_or_404(code: str, user: User | None = None) -> BorderPost:
    """The post named ``code`` if the user's scope includes it, else 404."""
    user = user or me()
    post = get_session().scalar(select(BorderPost).where(BorderPost.code == code))
    if post is None or (user.role != Role.ADMIN and user.post_id != post.id):
        abort(404)
    return post


def can_edit_side(user: User, side: Side) -> bool:
    """Each side edits only its own side's data: a manager scoped to one side, or to both."""
    if user.role == Role.ADMIN:
        return True
    if user.role != Role.POST_MANAGER or user.post_id != side.post_id:
        return False
    return user.side_id is None or user.side_id == side.id


def can_manage_post(user: User, post: BorderPost) -> bool:
    """Plan runs and publication cover both sides: admins and managers scoped to the whole post."""
    return user.role == Role.ADMIN or (user.role == Role.POST_MANAGER and user.post_id == post.id and user.side_id is None)


def can_book_for(user: User, agency: Agency) -> bool:
    if user.role in MANAGE_ROLES:
        return user.role == Role.ADMIN or (user.post_id == agency.post_id and user.side_id in (None, agency.side_id))
    return user.role == Role.AGENCY_SCHEDULER and user.agency_id == agency.id


def can_see_officer(user: User, officer: Officer) -> bool:
    if user.role == Role.ADMIN:
        return True
    if user.post_id != officer.post_id:
        return False
    if user.role == Role.POST_MANAGER:
        return user.side_id in (None, officer.agency.side_id)
    if user.role == Role.AGENCY_SCHEDULER:
        return user.agency_id == officer.agency_id
    if user.role == Role.OFFICER:
        return user.officer_id == officer.id
    return user.role == Role.AUDITOR
