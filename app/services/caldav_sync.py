"""Pushing a side's calendars to a neighbouring administration's CalDAV server.

A push target holds the neighbour's calendar collection URL, a user name and where the
password lives. A push brings the target's published state up to date (``feeds.sync``) and
then sends only what the server does not hold yet: one PUT per new, changed or cancelled
event, one DELETE per event whose grace period ended. A second push of the same plan sends
nothing; a re-plan updates the changed events in place (same UID, higher SEQUENCE) and
cancels the removed ones. What the server holds is recorded per event
(``delivered_sequence``), so a push cut short by a network error resumes where it stopped.
"""

from __future__ import annotations

import ipaddress
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlparse

import caldav
from caldav.lib import error as caldav_error
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from app.services import audit, jobs
from app.services.errors import InputProblem, InvalidInput, NotFound
from app.services.feeds import FeedSettings, Selection, calendar_meta, current_source, sync
from app.services.ical import CalendarEvent, single_event_calendar
from models import (
    BorderPost,
    CalendarKind,
    Plan,
    PublishedCalendar,
    PublishedEvent,
    PushTarget,
    Side,
    User,
    utcnow,
)

log = logging.getLogger(__name__)

SYNC_JOB = "caldav_sync"
TIMEOUT_SECONDS = 30
_OK = (200, 201, 204)


@dataclass(slots=True)
class PushReport:
    target: str
    added: int = 0
    updated: int = 0
    cancelled: int = 0
    puts: int = 0
    deletes: int = 0
    error: str = ""
    details: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error

    def summary(self) -> str:
        text = (
            f"{self.target}: {self.puts} event(s) sent ({self.added} new, {self.updated} changed, "
            f"{self.cancelled} cancelled), {self.deletes} removed"
        )
        return f"{text}; stopped: {self.error}" if self.error else text

    def as_dict(self) -> dict[str, Any]:
        return {"target": self.target, "added": self.added, "updated": self.updated, "cancelled": self.cancelled, "puts": self.puts, "deletes": self.deletes, "error": self.error, "ok": self.ok}


# -- targets ---------------------------------------------------------------------------------


def push_targets(session: Session, post: BorderPost) -> list[PushTarget]:
    return list(session.scalars(select(PushTarget).where(PushTarget.post_id == post.id).order_by(PushTarget.name)))


def create_push_target(
    session: Session,
    post: BorderPost,
    *,
    name: str,
    side_code: str,
    url: str,
    username: str = "",
    password_ref: str = "",
    kinds: list[str] | None = None,
    user: User | None = None,
) -> PushTarget:
    """A neighbour's CalDAV calendar for ``side_code``'s calendars; every problem is reported at once."""
    problems: list[InputProblem] = []
    name = name.strip()
    if not name or len(name) > 80 or any(char in name for char in "/ "):
        problems.append(InputProblem("name", f"{name!r} is not a usable name", "use up to 80 characters without spaces or slashes, e.g. tr-customs"))
    elif session.scalar(select(PushTarget.id).where(PushTarget.post_id == post.id, PushTarget.name == name)) is not None:
        problems.append(InputProblem("name", f"{post.code} already has a push target {name!r}", "choose another name"))
    side = session.scalar(select(Side).where(Side.post_id == post.id, Side.code == side_code.strip()))
    if side is None:
        problems.append(InputProblem("side", f"{post.code} has no side {side_code!r}", "use the code of the side whose calendars are pushed"))
    parsed = urlparse(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        problems.append(InputProblem("url", f"{url!r} is not an http(s) URL", "give the URL of the neighbour's calendar collection, e.g. https://caldav.example.org/juxta/ka-hours/"))
    elif parsed.scheme == "http" and not _is_loopback(parsed.hostname or ""):
        problems.append(InputProblem("url", "plain http would send the password and the plan in clear", "use https (http only for a server on this machine)"))
    if password_ref and not password_ref.startswith(("env:", "file:")):
        problems.append(InputProblem("password_ref", f"{password_ref!r} is not a reference", "write env:VARIABLE or file:/path/to/secret; Juxta keeps no passwords"))
    try:
        selection = Selection.of(kinds or [CalendarKind.HOURS.value])
    except InvalidInput as exc:
        problems.extend(exc.problems)
        selection = None
    if problems:
        raise InvalidInput(problems, "the push target cannot be saved")
    assert side is not None and selection is not None
    target = PushTarget(
        post_id=post.id, side_id=side.id, name=name, url=url.strip().rstrip("/") + "/", username=username.strip(),
        password_ref=password_ref.strip(), calendars=[kind.value for kind in selection.kinds], active=True,
    )
    session.add(target)
    session.flush()
    audit.record(session, user, "push_target.create", "push_target", target.id, post_id=post.id, name=name, url=target.url)
    return target


def remove_push_target(session: Session, target: PushTarget, user: User | None) -> None:
    audit.record(session, user, "push_target.delete", "push_target", target.id, post_id=target.post_id, name=target.name)
    session.delete(target)
    session.flush()


def push_target_of_post(session: Session, post: BorderPost, target_id: int) -> PushTarget:
    target = session.get(PushTarget, target_id)
    if target is None or target.post_id != post.id:
        raise NotFound(f"post {post.code} has no push target {target_id}")
    return target


def find_push_target(session: Session, reference: str) -> PushTarget:
    """By id, by ``POST/NAME``, or by name when only one post has a target of that name."""
    reference = reference.strip()
    if reference.isdigit():
        target = session.get(PushTarget, int(reference))
        if target is not None:
            return target
    post_code, slash, name = reference.rpartition("/")
    query = select(PushTarget).where(PushTarget.name == (name if slash else reference))
    if slash:
        query = query.join(BorderPost, BorderPost.id == PushTarget.post_id).where(BorderPost.code == post_code)
    found = list(session.scalars(query))
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFound(f"no push target {reference!r}; list them on the post's calendars page")
    raise InvalidInput([InputProblem("PUSH-TARGET", f"{len(found)} posts have a push target {reference!r}", "write POST/NAME")])


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def password_of(target: PushTarget) -> str | None:
    """The password ``password_ref`` points to; a missing one is an error that names the reference."""
    ref = target.password_ref
    if not ref:
        return None
    kind, _, where = ref.partition(":")
    if kind == "env":
        value = os.environ.get(where)
        if value is None:
            raise InvalidInput([InputProblem("password_ref", f"the environment variable {where} is not set", f"set {where} for the process that pushes")])
        return value
    path = Path(where)
    if not path.is_file():
        raise InvalidInput([InputProblem("password_ref", f"{where} is not a file", "store the password in that file, readable only by Juxta")])
    return path.read_text(encoding="utf-8").strip()


# -- pushing ---------------------------------------------------------------------------------


def connect(target: PushTarget) -> caldav.DAVClient:
    host = urlparse(target.url).hostname or ""
    return caldav.DAVClient(
        url=target.url, username=target.username or None, password=password_of(target),
        timeout=TIMEOUT_SECONDS, require_tls=not _is_loopback(host),
    )


def push(
    session: Session,
    target: PushTarget,
    settings: FeedSettings,
    now: datetime,
    *,
    plan: Plan | None = None,
    client: caldav.DAVClient | None = None,
) -> PushReport:
    """Send the target what changed since the last push; the caller commits (even on error,
    so that what was delivered stays recorded)."""
    post = session.get(BorderPost, target.post_id)
    side = session.get(Side, target.side_id)
    assert post is not None and side is not None
    if plan is not None and plan.post_id != post.id:
        raise InvalidInput([InputProblem("plan", f"plan {plan.id} is not a plan of {post.code}", "push a plan of the target's post")])
    report = PushReport(target=target.name)
    selection = Selection.of(target.calendars, side=side.code)
    key = f"push:{target.id}|{selection.key()}"
    source = current_source(session, post, selection, plan=plan)
    calendar, changes = sync(session, post.id, key, source, now, timedelta(days=settings.cancelled_grace_days), push_target_id=target.id)
    meta = calendar_meta(post, selection, settings, title=f"{post.name}: {side.name} {selection.describe()}")
    try:
        client = client or connect(target)
        _ensure_collection(client, target, meta.name)
        _deliver(session, client, target, calendar, meta, report, set(changes.added), set(changes.cancelled))
        _remove_expired(session, client, calendar, report)
    except (caldav_error.DAVError, OSError, ValueError, InvalidInput) as exc:
        report.error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        log.warning("push to %s stopped: %s", target.name, report.error)
    target.last_push_at = now
    target.last_push_ok = report.ok
    target.last_push_message = report.summary()
    audit.record(session, "system", "push_target.push", "push_target", target.id, post_id=post.id, **report.as_dict())
    session.flush()
    return report


def _ensure_collection(client: caldav.DAVClient, target: PushTarget, name: str) -> None:
    response = client.propfind(target.url, depth=0)
    if response.status == 404:
        created = client.mkcalendar(target.url)
        if created.status not in _OK:
            raise caldav_error.DAVError(f"cannot create the calendar {target.url}: HTTP {created.status}")
    elif response.status not in (200, 207):
        raise caldav_error.DAVError(f"{target.url} answered HTTP {response.status}")


def _deliver(session: Session, client: caldav.DAVClient, target: PushTarget, calendar: PublishedCalendar, meta: Any, report: PushReport, added: set[str], cancelled: set[str]) -> None:
    pending = session.execute(
        select(PublishedEvent.id, PublishedEvent.uid, PublishedEvent.sequence, PublishedEvent.vevent, PublishedEvent.content, PublishedEvent.remote_href, PublishedEvent.delivered_sequence, PublishedEvent.cancelled_at)
        .where(PublishedEvent.calendar_id == calendar.id, PublishedEvent.expired_at.is_(None))
        .where((PublishedEvent.delivered_sequence.is_(None)) | (PublishedEvent.delivered_sequence < PublishedEvent.sequence))
        .order_by(PublishedEvent.start_at)
    ).all()
    for row in pending:
        href = row.remote_href or urljoin(target.url, quote(row.uid, safe="") + ".ics")
        body = single_event_calendar(meta, CalendarEvent.from_content(row.content), row.vevent)
        response = client.put(href, body.decode(), {"Content-Type": "text/calendar; charset=utf-8"})
        if response.status not in _OK:
            raise caldav_error.DAVError(f"PUT {href} answered HTTP {response.status}")
        report.puts += 1
        if row.cancelled_at is not None:
            report.cancelled += 1
        elif row.delivered_sequence is None and row.uid in added:
            report.added += 1
        else:
            report.updated += 1
        session.execute(PublishedEvent.__table__.update().where(PublishedEvent.id == row.id).values(delivered_sequence=row.sequence, remote_href=href))


def _remove_expired(session: Session, client: caldav.DAVClient, calendar: PublishedCalendar, report: PushReport) -> None:
    expired = session.execute(
        select(PublishedEvent.id, PublishedEvent.remote_href).where(PublishedEvent.calendar_id == calendar.id, PublishedEvent.expired_at.is_not(None))
    ).all()
    for row in expired:
        if row.remote_href:
            response = client.delete(row.remote_href)
            if response.status not in (*_OK, 404):
                raise caldav_error.DAVError(f"DELETE {row.remote_href} answered HTTP {response.status}")
            report.deletes += 1
        session.execute(delete(PublishedEvent).where(PublishedEvent.id == row.id))


# -- as a background job ---------------------------------------------------------------------


def enqueue_push(session: Session, target: PushTarget, settings: FeedSettings, user: User | None, *, plan: Plan | None = None) -> Any:
    """Queue a push (the plan page's sync button): it talks to another server, so never in a request."""
    params = {
        "target": target.id, "plan": plan.id if plan else None, "refresh_minutes": settings.refresh_minutes,
        "cancelled_grace_days": settings.cancelled_grace_days, "base_url": settings.base_url,
    }
    return jobs.enqueue(session, SYNC_JOB, params, post_id=target.post_id, user=user)


@jobs.handler(SYNC_JOB)
def run_push_job(context: jobs.JobContext) -> dict[str, Any]:
    params = context.params
    settings = FeedSettings.from_params(params)
    sessions: sessionmaker[Session] = context.sessions
    with sessions() as session:
        target = session.get(PushTarget, int(params["target"]))
        if target is None:
            raise NotFound(f"push target {params['target']} no longer exists")
        plan = session.get(Plan, int(params["plan"])) if params.get("plan") else None
        context.message(f"pushing to {target.name}")
        report = push(session, target, settings, utcnow(), plan=plan)
        session.commit()
    if not report.ok:
        raise RuntimeError(report.summary())
    return report.as_dict()
