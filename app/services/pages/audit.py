"""The audit trail of a post, newest first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEntry, BorderPost

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class AuditPage:
    entries: list[AuditEntry]
    actions: list[str]  # every action recorded at the post, for the filter
    older_than: int | None  # the id to ask for the next page with, if there is one


def audit_page(session: Session, post: BorderPost, *, action: str | None = None, before_id: int | None = None, size: int = PAGE_SIZE) -> AuditPage:
    query = select(AuditEntry).where(AuditEntry.post_id == post.id)
    if action:
        query = query.where(AuditEntry.action == action)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    entries = list(session.scalars(query.order_by(AuditEntry.id.desc()).limit(size + 1)))
    more = len(entries) > size
    entries = entries[:size]
    actions = list(session.scalars(select(AuditEntry.action).where(AuditEntry.post_id == post.id).distinct().order_by(AuditEntry.action)))
    return AuditPage(entries, actions, entries[-1].id if more and entries else None)


def entry_dict(entry: AuditEntry) -> dict[str, object]:
    return {
        "id": entry.id, "at": entry.at.isoformat(), "actor": entry.actor, "action": entry.action,
        "target_type": entry.target_type, "target_id": entry.target_id, "detail": entry.detail,
    }
