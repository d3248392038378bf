"""Writing the audit log; every service that changes shared state calls ``record``."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from models import AuditEntry, User


def record(
    session: Session,
    actor: User | str | None,
    action: str,
    target_type: str,
    target_id: int | None = None,
    *,
    post_id: int | None = None,
    **detail: Any,
) -> AuditEntry:
    user = actor if isinstance(actor, User) else None
    name = actor.username if isinstance(actor, User) else (actor or "system")
    entry = AuditEntry(
        user_id=user.id if user else None,
        actor=name,
        post_id=post_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail=detail,
    )
    session.add(entry)
    return entry
