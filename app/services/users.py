"""Users, passwords and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from app.services.errors import InputProblem, InvalidInput, NotFound
from models import Agency, ApiToken, BorderPost, Officer, Role, Side, User, utcnow

MIN_PASSWORD_LENGTH = 8
# Roles that need these scope parts; the rest of the scope is optional.
SCOPE_NEEDS: dict[Role, tuple[str, ...]] = {
    Role.ADMIN: (),
    Role.POST_MANAGER: ("post",),
    Role.AGENCY_SCHEDULER: ("post", "agency"),
    Role.OFFICER: ("post", "officer"),
    Role.NEIGHBOUR_VIEWER: ("post", "side"),
    Role.AUDITOR: ("post",),
}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    post: str | None = None,
    side: str | None = None,
    agency: str | None = None,
    officer: str | None = None,
    display_name: str = "",
) -> User:
    """Add a user whose scope is named by codes (post ``rusumo``, side ``TZ``, agency ``TRA`` ...)."""
    problems: list[InputProblem] = []
    try:
        role_value = Role(role)
    except ValueError:
        raise InvalidInput([InputProblem("role", f"{role!r} is not a role", f"use one of {', '.join(r.value for r in Role)}")]) from None
    if not username or len(username) > 80 or not username.replace("-", "").replace("_", "").replace(".", "").isalnum():
        problems.append(InputProblem("username", f"{username!r} is not a user name", "use letters, digits, dots, dashes or underscores"))
    elif session.scalar(select(User.id).where(User.username == username)) is not None:
        problems.append(InputProblem("username", f"{username!r} is taken", "choose another user name"))
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(InputProblem("password", f"shorter than {MIN_PASSWORD_LENGTH} characters", "choose a longer password"))
    given = {"post": post, "side": side, "agency": agency, "officer": officer}
    for part in SCOPE_NEEDS[role_value]:
        if not given[part]:
            problems.append(InputProblem(part, f"a {role_value.value} needs a {part} in their scope", f"give --{part}"))
    post_row = side_row = agency_row = officer_row = None
    if post:
        post_row = session.scalar(select(BorderPost).where(BorderPost.code == post))
        if post_row is None:
            problems.append(InputProblem("post", f"no post {post!r}", "load the post first or fix the code"))
    if post_row is not None:
        if side:
            side_row = session.scalar(select(Side).where(Side.post_id == post_row.id, Side.code == side))
            if side_row is None:
                problems.append(InputProblem("side", f"post {post} has no side {side!r}", f"use one of {', '.join(s.code for s in post_row.sides)}"))
        if agency:
            agency_row = session.scalar(select(Agency).where(Agency.post_id == post_row.id, Agency.code == agency))
            if agency_row is None:
                problems.append(InputProblem("agency", f"post {post} has no agency {agency!r}", "use an agency code of the post"))
        if officer:
            officer_row = session.scalar(select(Officer).where(Officer.post_id == post_row.id, Officer.code == officer))
            if officer_row is None:
                problems.append(InputProblem("officer", f"post {post} has no officer {officer!r}", "use a staff number of the post"))
    elif any((side, agency, officer)) and not problems:
        problems.append(InputProblem("post", "a side, agency or officer scope needs a post", "give --post"))
    if problems:
        raise InvalidInput(problems, f"cannot create user {username!r}")
    if agency_row is not None and side_row is None:
        side_row = agency_row.side
    if officer_row is not None:
        agency_row = agency_row or officer_row.agency
        side_row = side_row or officer_row.agency.side
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=generate_password_hash(password),
        role=role_value,
        post_id=post_row.id if post_row else None,
        side_id=side_row.id if side_row else None,
        agency_id=agency_row.id if agency_row else None,
        officer_id=officer_row.id if officer_row else None,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    if user is None or not check_password_hash(user.password_hash, password):
        return None
    return user


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


def issue_token(session: Session, user: User, label: str = "") -> str:
    """A new bearer token for ``user``; the caller shows it once, only its hash is kept."""
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), label=label))
    session.flush()
    return token


def revoke_tokens(session: Session, user: User) -> int:
    tokens = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))).all()
    for token in tokens:
        token.revoked_at = utcnow()
    return len(tokens)


def user_for_token(session: Session, token: str) -> User | None:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None)))
    if row is None or not row.user.active:
        return None
    row.last_used_at = utcnow()
    return row.user
