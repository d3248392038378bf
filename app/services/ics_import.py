"""A neighbour's published calendar of closures, reduced hours and holidays, as constraints.

The calendar (a file, or an http(s) URL) is read with ``icalendar``; recurring events are
expanded with ``recurring-ical-events`` over the horizon asked for. Each event becomes
``NeighbourClosure`` rows for the side: the side is closed from ``start_at`` to ``end_at``.

How an event is read:

* Its kind comes from ``X-JUXTA-KIND``, else its CATEGORIES, else words in its SUMMARY
  (holiday, closed/closure, reduced/shortened/limited hours); anything else is a closure.
* An all-day event closes the side's whole local days (on the side's own clock).
* A timed event closes the side for its duration, except a reduced-hours event, which gives
  the hours *kept*: the rest of that local day becomes closed.
* Floating times (no zone) are read on the side's clock.

Events that cannot be read (no start, a broken date, a time zone nobody knows, an end before
the start, reduced hours without times) are problems: the import is refused as a whole and
every problem is listed. Events that can be read but do not apply (cancelled by the
publisher, outside the horizon) are skipped and reported with the reason. A new import from
the same source replaces what that source gave before.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

import icalendar
import recurring_ical_events
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.services import audit
from app.services.errors import InputProblem, InvalidInput
from models import BorderPost, ClosureKind, NeighbourClosure, Side, User
from solver.timeutil import local_day_bounds, local_to_utc, utc_to_local

MAX_BYTES = 10 * 1024 * 1024
FETCH_TIMEOUT_SECONDS = 30
_KIND_WORDS = (
    (ClosureKind.REDUCED_HOURS, ("reduced", "shortened", "short hours", "limited hours", "reduced hours")),
    (ClosureKind.HOLIDAY, ("holiday", "bayram", "national day", "празник")),
    (ClosureKind.CLOSURE, ("closed", "closure", "close", "shut")),
)


@dataclass(frozen=True, slots=True)
class Skipped:
    uid: str
    summary: str
    reason: str


@dataclass(slots=True)
class ImportResult:
    source: str
    side: str
    imported: int = 0
    replaced: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        kinds = ", ".join(f"{count} {kind.replace('_', ' ')}" for kind, count in sorted(self.by_kind.items())) or "nothing"
        return f"{self.source}: imported {self.imported} closed period(s) for side {self.side} ({kinds}); replaced {self.replaced}; skipped {len(self.skipped)}"


def read_source(location: str) -> tuple[bytes, str]:
    """The bytes of a file path or an http(s) URL, and the name to record as its source."""
    parsed = urlparse(location)
    if parsed.scheme in ("http", "https"):
        request = urllib.request.Request(location, headers={"User-Agent": "Juxta calendar import", "Accept": "text/calendar"})
        try:
            with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310  (scheme checked above)
                data = response.read(MAX_BYTES + 1)
        except (urllib.error.URLError, OSError) as exc:
            raise InvalidInput([InputProblem("FILE-OR-URL", f"cannot fetch {location} ({exc})", "check the URL, or download the file and import it")]) from exc
        if len(data) > MAX_BYTES:
            raise InvalidInput([InputProblem("FILE-OR-URL", f"{location} is larger than {MAX_BYTES // 1024 // 1024} MB", "ask the neighbour for a calendar of the coming months only")])
        return data, location
    path = Path(location)
    if not path.is_file():
        raise InvalidInput([InputProblem("FILE-OR-URL", f"{location} is neither a file nor an http(s) URL", "give the path of an .ics file or its URL")])
    return path.read_bytes(), path.name


def import_closures(
    session: Session,
    post: BorderPost,
    side_code: str,
    data: bytes,
    source: str,
    *,
    first_day: date,
    last_day: date,
    user: User | None = None,
) -> ImportResult:
    """Store the side's closures read from ``data`` between ``first_day`` and ``last_day`` (local days)."""
    side = session.scalar(select(Side).where(Side.post_id == post.id, Side.code == side_code))
    if side is None:
        raise InvalidInput([InputProblem("SIDE", f"{post.code} has no side {side_code!r}", f"use one of {', '.join(s.code for s in post.sides)}")])
    if last_day < first_day:
        raise InvalidInput([InputProblem("to", f"the horizon ends on {last_day} before it starts on {first_day}", "swap the dates")])
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as exc:
        raise InvalidInput([InputProblem(source, f"is not an iCalendar file ({exc})", "export the calendar as .ics (RFC 5545)", source=source)]) from exc
    if not isinstance(calendar, icalendar.Calendar) or calendar.name != "VCALENDAR":
        raise InvalidInput([InputProblem(source, "holds no VCALENDAR", "export the calendar as .ics (RFC 5545)", source=source)])
    problems = _problems(calendar, source)
    if problems:
        raise InvalidInput(problems, f"{source}: {len(problems)} event(s) cannot be read; nothing was imported")
    result = ImportResult(source=source, side=side.code)
    horizon_start, _ = local_day_bounds(first_day, side.timezone)
    _, horizon_end = local_day_bounds(last_day, side.timezone)
    rows: list[NeighbourClosure] = []
    seen_uids: set[str] = set()
    recurring = {str(event.get("UID", "")) for event in calendar.walk("VEVENT") if "RRULE" in event or "RDATE" in event or "RECURRENCE-ID" in event}
    occurrences = recurring_ical_events.of(calendar, skip_bad_series=False).between(horizon_start, horizon_end)
    for event in occurrences:
        event_uid = str(event.get("UID", ""))
        seen_uids.add(event_uid)
        summary = str(event.get("SUMMARY", ""))
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            result.skipped.append(Skipped(event_uid, summary, "cancelled by the publisher"))
            continue
        occurrence = _occurrence_key(event) if event_uid in recurring else ""
        kind = _kind(event)
        for start, end in _closed_periods(event, kind, side.timezone):
            start, end = max(start, horizon_start), min(end, horizon_end)
            if start >= end:
                continue
            rows.append(NeighbourClosure(
                post_id=post.id, side_id=side.id, kind=kind, start_at=start, end_at=end, all_day=_is_all_day(event),
                source=source[:500], uid=event_uid[:255], occurrence=occurrence, summary=summary[:300],
            ))
    for event in calendar.walk("VEVENT"):
        event_uid = str(event.get("UID", ""))
        if event_uid not in seen_uids:
            seen_uids.add(event_uid)
            result.skipped.append(Skipped(event_uid, str(event.get("SUMMARY", "")), f"outside the horizon {first_day}..{last_day}"))
    rows = _merge_duplicates(rows)
    result.replaced = session.execute(delete(NeighbourClosure).where(NeighbourClosure.side_id == side.id, NeighbourClosure.source == source[:500])).rowcount or 0
    session.add_all(rows)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.kind.value] += 1
    result.imported = len(rows)
    result.by_kind = dict(counts)
    if any(_is_floating(event) for event in calendar.walk("VEVENT")):
        result.notes.append(f"times without a zone were read on {side.code}'s clock ({side.timezone})")
    audit.record(session, user, "closures.import", "side", side.id, post_id=post.id, source=source, imported=result.imported, replaced=result.replaced, skipped=len(result.skipped))
    session.flush()
    return result


def _problems(calendar: icalendar.Calendar, source: str) -> list[InputProblem]:
    problems: list[InputProblem] = []
    for index, event in enumerate(calendar.walk("VEVENT"), start=1):
        where = f"event {index}" + (f" (UID {event.get('UID')})" if event.get("UID") else "")
        summary = str(event.get("SUMMARY", ""))

        def problem(field_name: str, message: str, fix: str, summary: str = summary, where: str = where) -> None:
            problems.append(InputProblem(field_name, f"{message}{f' in {summary!r}' if summary else ''}", fix, source=source, location=where))

        for name, message in getattr(event, "errors", []):
            problem(str(name), f"cannot be read: {message}", "write dates as YYYYMMDD and times as YYYYMMDDTHHMMSS")
        if any(str(name) in ("DTSTART", "DTEND") for name, _ in getattr(event, "errors", [])):
            continue
        if "DTSTART" not in event:
            problem("DTSTART", "the event has no start", "give every event a DTSTART")
            continue
        start = event["DTSTART"]
        end = event.get("DTEND")
        unknown = {str(prop.params["TZID"]) for prop in (start, end) if prop is not None and prop.params.get("TZID") and isinstance(prop.dt, datetime) and prop.dt.tzinfo is None}
        for tzid in sorted(unknown):
            problem("TZID", f"unknown time zone {tzid!r}", "use an IANA zone name (e.g. Europe/Istanbul) or include its VTIMEZONE")
        if end is not None and _comparable(end.dt) <= _comparable(start.dt) and not (isinstance(start.dt, date) and not isinstance(start.dt, datetime) and end.dt == start.dt):
            problem("DTEND", f"the event ends ({end.dt}) before it starts ({start.dt})", "swap DTSTART and DTEND")
        if _kind(event) == ClosureKind.REDUCED_HOURS and not isinstance(start.dt, datetime):
            problem("DTSTART", "reduced hours are given as an all-day event, so the hours kept are unknown", "give the hours kept as a timed event (DTSTART and DTEND with times)")
        if "UID" not in event:
            problem("UID", "the event has no UID", "give every event a UID, so later imports recognise it")
    return problems


def _comparable(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def _kind(event: icalendar.Event) -> ClosureKind:
    explicit = str(event.get("X-JUXTA-KIND", "")).strip().lower()
    for kind in ClosureKind:
        if explicit == kind.value:
            return kind
    categories = event.get("CATEGORIES")
    words: list[str] = []
    for item in categories if isinstance(categories, list) else [categories] if categories else []:
        words += [str(category).lower() for category in item.cats]
    text = " ".join(words) + " " + str(event.get("SUMMARY", "")).lower()
    for kind, keywords in _KIND_WORDS:
        if any(keyword in text for keyword in keywords):
            return kind
    return ClosureKind.CLOSURE


def _is_all_day(event: icalendar.Event) -> bool:
    value = event["DTSTART"].dt
    return isinstance(value, date) and not isinstance(value, datetime)


def _is_floating(event: icalendar.Event) -> bool:
    value = event["DTSTART"].dt if "DTSTART" in event else None
    return isinstance(value, datetime) and value.tzinfo is None


def _instant(value: datetime, zone_name: str) -> datetime:
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    return local_to_utc(value.date(), value.hour * 60 + value.minute, zone_name)


def _closed_periods(event: icalendar.Event, kind: ClosureKind, zone_name: str) -> list[tuple[datetime, datetime]]:
    start = event["DTSTART"].dt
    end = event["DTEND"].dt if "DTEND" in event else None
    if _is_all_day(event):
        last = (end - timedelta(days=1)) if isinstance(end, date) and end > start else start
        return [(local_day_bounds(start, zone_name)[0], local_day_bounds(last, zone_name)[1])]
    begin = _instant(start, zone_name)
    finish = _instant(end, zone_name) if isinstance(end, datetime) else begin + _duration(event)
    if kind != ClosureKind.REDUCED_HOURS:
        return [(begin, finish)]
    day_start, day_end = local_day_bounds(utc_to_local(begin, zone_name).date(), zone_name)
    return [(a, b) for a, b in ((day_start, begin), (finish, day_end)) if a < b]


def _duration(event: icalendar.Event) -> timedelta:
    duration = event.get("DURATION")
    return duration.dt if duration is not None else timedelta(0)


def _occurrence_key(event: icalendar.Event) -> str:
    value = event["DTSTART"].dt
    if isinstance(value, datetime):
        return _comparable(value).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")


def _merge_duplicates(rows: list[NeighbourClosure]) -> list[NeighbourClosure]:
    """One row per (uid, occurrence, start): a source listing an event twice counts once."""
    unique: dict[tuple[str, str, datetime], NeighbourClosure] = {}
    for row in rows:
        unique.setdefault((row.uid, row.occurrence, row.start_at), row)
    return list(unique.values())


def closures(session: Session, side: Side, start: datetime, end: datetime) -> list[NeighbourClosure]:
    """The side's closed periods overlapping ``start``..``end``: what the opening-hours engine reads."""
    return list(session.scalars(
        select(NeighbourClosure).where(NeighbourClosure.side_id == side.id, NeighbourClosure.start_at < end, NeighbourClosure.end_at > start).order_by(NeighbourClosure.start_at)
    ))
