"""iCalendar text (RFC 5545, with RFC 7986 calendar properties) that every common client reads alike.

Two things here are written by hand on purpose:

* VTIMEZONE blocks are rule-based (one RRULE per run of yearly transitions), computed from
  the zone's real transitions in ``zoneinfo``. The VTIMEZONE that the ``icalendar`` package
  generates lists DST switches as one comma-separated RDATE, which Mozilla's ical.js and
  vobject (so Radicale) read as only its first date, putting summer events an hour off.
* VEVENT text: the ``icalendar`` package takes about 1.5 ms to build and write one event
  (75 s for a feed of 50,000), so events are written by ``vevent_text`` (escaping and line
  folding per RFC 5545 section 3.1 and 3.3.11) once, when they change, and stored. The
  calendar envelope and VTIMEZONE components are built with ``icalendar``; tests check that
  ``icalendar``, ``vobject`` and ``recurring-ical-events`` read every written event back
  to the same instants.
"""

from __future__ import annotations

import calendar as month_calendar
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import icalendar

from solver.timeutil import zone as iana_zone

PRODID = "-//Juxta//Coordinated border management planning//EN"
# Bump when the rendered form of events changes, so clients see new ETags.
FORMAT_VERSION = "1"
STATUSES = ("CONFIRMED", "TENTATIVE", "CANCELLED")
_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarEvent:
    """What one event says, independent of when it was published.

    ``start`` and ``end`` are UTC instants; ``zone`` is the IANA zone people read the times
    in; ``local_day`` is the day the event belongs to on that zone's clock.
    """

    uid: str
    summary: str
    start: datetime
    end: datetime
    zone: str
    local_day: date
    description: str = ""
    location: str = ""
    categories: tuple[str, ...] = ()
    status: str = "CONFIRMED"
    transparent: bool = False

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError(f"event {self.uid}: naive datetime; events hold UTC instants")
        if not self.start < self.end:
            raise ValueError(f"event {self.uid}: ends at {self.end} before it starts at {self.start}")
        if self.status not in STATUSES:
            raise ValueError(f"event {self.uid}: status {self.status!r} is not one of {STATUSES}")
        iana_zone(self.zone)

    def content(self) -> dict[str, object]:
        """The event as JSON-ready data (stored, so a cancelled event can be written again)."""
        return {
            "uid": self.uid, "summary": self.summary, "start": self.start.astimezone(UTC).isoformat(),
            "end": self.end.astimezone(UTC).isoformat(), "zone": self.zone, "local_day": self.local_day.isoformat(),
            "description": self.description, "location": self.location, "categories": list(self.categories),
            "status": self.status, "transparent": self.transparent,
        }

    @classmethod
    def from_content(cls, data: dict[str, object]) -> CalendarEvent:
        values = dict(data)
        values["start"] = datetime.fromisoformat(str(values["start"]))
        values["end"] = datetime.fromisoformat(str(values["end"]))
        values["local_day"] = date.fromisoformat(str(values["local_day"]))
        values["categories"] = tuple(values.get("categories") or ())  # type: ignore[arg-type]
        return cls(**values)  # type: ignore[arg-type]

    def fingerprint(self) -> str:
        return content_fingerprint(self.content())


def content_fingerprint(content: dict[str, object]) -> str:
    """What an event says, hashed: equal for equal events, whatever the order of fields."""
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class Revision:
    """How a calendar published an event: its SEQUENCE, status and times of publication."""

    sequence: int
    created: datetime
    last_modified: datetime
    cancelled: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarMeta:
    """Calendar-wide properties: RFC 7986 NAME, DESCRIPTION, REFRESH-INTERVAL, SOURCE, COLOR."""

    name: str
    description: str
    refresh_minutes: int
    source_url: str = ""
    color: str = ""
    zones: tuple[str, ...] = ()
    first_year: int | None = None
    last_year: int | None = None

    def fingerprint(self) -> str:
        return hashlib.sha256(repr((FORMAT_VERSION, self)).encode()).hexdigest()


# -- text primitives -----------------------------------------------------------------------


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11: backslash, semicolon, comma and newline escaped in TEXT values."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """RFC 5545 3.1: lines longer than 75 octets continue on lines starting with one space.

    Folds fall between characters, never inside a UTF-8 sequence.
    """
    if len(line) <= 75 and (line.isascii() or len(line.encode()) <= 75):
        return line + "\r\n"
    data = line.encode()
    parts: list[bytes] = []
    start, limit = 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte
            end -= 1
        parts.append(data[start:end])
        start, limit = end, 74
    return (b"\r\n ".join(parts) + b"\r\n").decode()


def utc_stamp(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def date_time_property(name: str, instant: datetime, zone_name: str) -> str:
    """``DTSTART;TZID=Europe/Sofia:20260329T080000``, or UTC where the wall time repeats.

    In the hour a clock falls back, a local time names two instants and RFC 5545 takes the
    first; an instant in the second is written in UTC so every reader gets it right.
    """
    local = instant.astimezone(iana_zone(zone_name))
    if local.fold:
        return f"{name}:{utc_stamp(instant)}"
    return f"{name};TZID={zone_name}:{local.strftime('%Y%m%dT%H%M%S')}"


def vevent_text(event: CalendarEvent, revision: Revision) -> str:
    """One VEVENT, folded, CRLF line ends. DTSTAMP is the last revision (RFC 5545 3.8.7.2)."""
    status = "CANCELLED" if revision.cancelled else event.status
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{utc_stamp(revision.last_modified)}",
        f"CREATED:{utc_stamp(revision.created)}",
        f"LAST-MODIFIED:{utc_stamp(revision.last_modified)}",
        f"SEQUENCE:{revision.sequence}",
        f"STATUS:{status}",
        date_time_property("DTSTART", event.start, event.zone),
        date_time_property("DTEND", event.end, event.zone),
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(item) for item in event.categories))
    lines.append(f"TRANSP:{'TRANSPARENT' if event.transparent or revision.cancelled else 'OPAQUE'}")
    lines.append("END:VEVENT")
    return "".join(fold(line) for line in lines)


# -- time zones ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Transition:
    """A change of a zone's UTC offset at ``instant``."""

    instant: datetime
    offset_before: timedelta
    offset_after: timedelta
    daylight: bool  # the offset after is daylight saving time
    name: str  # abbreviation after the change

    @property
    def local_before(self) -> datetime:
        """The wall-clock time at which the change happens, on the clock before it (naive)."""
        return (self.instant + self.offset_before).replace(tzinfo=None)

    def weekday_rules(self) -> set[tuple[str, int]]:
        """The ways a yearly rule can name this date's weekday in its month.

        ``("nth", n)``: the n-th of the month; ``("last", -1)``: the last; ``("from", k)``: the
        first on or after day k (tzdata's ``Sun>=8``, which neither of the others covers).
        """
        day = self.local_before.day
        rules = {("nth", (day - 1) // 7 + 1)}
        rules.update(("from", first) for first in range(max(1, day - 6), day + 1))
        if day + 7 > month_calendar.monthrange(self.local_before.year, self.local_before.month)[1]:
            rules.add(("last", -1))
        return rules


def transitions(zone_name: str, first_year: int, last_year: int) -> list[Transition]:
    """Every offset change of ``zone_name`` from 1 January ``first_year`` to the end of ``last_year``."""
    tz = iana_zone(zone_name)
    found: list[Transition] = []
    step = timedelta(days=1)
    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    offset = moment.astimezone(tz).utcoffset()
    while moment < end:
        following = moment + step
        after = following.astimezone(tz).utcoffset()
        if after != offset:
            low, high = moment, following
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(tz).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            instant = high.replace(microsecond=0)
            local = instant.astimezone(tz)
            assert offset is not None and after is not None
            found.append(Transition(instant, offset, after, bool(local.dst()), local.tzname() or ""))
            offset = after
        moment = following
    return found


@dataclass(slots=True)
class _Run:
    """Transitions a year apart on the same rule: one VTIMEZONE sub-component with an RRULE."""

    items: list[Transition] = field(default_factory=list)
    rules: set[tuple[str, int]] = field(default_factory=set)

    def accepts(self, item: Transition) -> bool:
        if not self.items:
            return True
        last = self.items[-1]
        return (
            item.local_before.year == last.local_before.year + 1
            and (item.offset_before, item.offset_after, item.daylight, item.name)
            == (last.offset_before, last.offset_after, last.daylight, last.name)
            and item.local_before.month == last.local_before.month
            and item.local_before.weekday() == last.local_before.weekday()
            and item.local_before.time() == last.local_before.time()
            and bool(self.rules & item.weekday_rules())
        )

    def add(self, item: Transition) -> None:
        self.rules = item.weekday_rules() if not self.items else self.rules & item.weekday_rules()
        self.items.append(item)


def _preferred_rule(rules: set[tuple[str, int]]) -> tuple[str, int]:
    """The most widely understood of the rules a run allows: last, then n-th, then on-or-after."""
    for kind in ("last", "nth", "from"):
        numbers = sorted(number for rule_kind, number in rules if rule_kind == kind)
        if numbers:
            return kind, numbers[0]
    raise ValueError("a run of transitions always has a rule")


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{minutes:02d}"


def vtimezone(zone_name: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """A rule-based VTIMEZONE valid from ``first_year`` through ``last_year`` (and on, while rules hold)."""
    tz = iana_zone(zone_name)
    # Scan two extra years so that the rule in force at the end is seen repeating.
    scan_end = last_year + 2
    changes = transitions(zone_name, first_year, scan_end)
    component = icalendar.Timezone()
    component.add("tzid", zone_name)
    if not changes:
        sample = datetime(first_year, 1, 1, tzinfo=UTC).astimezone(tz)
        offset = sample.utcoffset()
        assert offset is not None
        part = icalendar.TimezoneStandard()
        part.add("dtstart", datetime(1970, 1, 1))
        part.add("tzoffsetfrom", offset)
        part.add("tzoffsetto", offset)
        part.add("tzname", sample.tzname() or _offset_text(offset))
        component.add_component(part)
        return component
    runs: list[_Run] = []
    for change in changes:
        run = next((candidate for candidate in runs if candidate.accepts(change)), None)
        if run is None:
            run = _Run()
            runs.append(run)
        run.add(change)
    for run in sorted(runs, key=lambda r: r.items[0].instant):
        first, last = run.items[0], run.items[-1]
        part = icalendar.TimezoneDaylight() if first.daylight else icalendar.TimezoneStandard()
        part.add("dtstart", first.local_before)
        part.add("tzoffsetfrom", first.offset_before)
        part.add("tzoffsetto", first.offset_after)
        part.add("tzname", first.name or _offset_text(first.offset_after))
        if len(run.items) > 1:
            weekday = _WEEKDAY_CODES[first.local_before.weekday()]
            rule: dict[str, object] = {"FREQ": "YEARLY", "BYMONTH": first.local_before.month}
            kind, number = _preferred_rule(run.rules)
            if kind == "from":
                rule["BYMONTHDAY"] = list(range(number, number + 7))
                rule["BYDAY"] = weekday
            else:
                rule["BYDAY"] = f"{number}{weekday}"
            if last.local_before.year < scan_end:
                rule["UNTIL"] = last.instant
            part.add("rrule", rule)
        component.add_component(part)
    return component


@lru_cache(maxsize=256)
def vtimezone_text(zone_name: str, first_year: int, last_year: int) -> str:
    return vtimezone(zone_name, first_year, last_year).to_ical().decode()


# -- whole calendars -----------------------------------------------------------------------


def envelope(meta: CalendarMeta) -> tuple[str, str]:
    """The calendar's head (properties and VTIMEZONEs) and tail, to put events between."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", meta.name)
    cal.add("x-wr-calname", meta.name)
    cal.add("description", meta.description)
    cal.add("x-wr-caldesc", meta.description)
    refresh = timedelta(minutes=meta.refresh_minutes)
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(refresh))
    if meta.source_url:
        cal.add("source", meta.source_url, parameters={"VALUE": "URI"})
    if meta.color:
        cal.add("color", meta.color)
    text = cal.to_ical().decode()
    tail = "END:VCALENDAR\r\n"
    assert text.endswith(tail)
    head = text[: -len(tail)]
    if meta.zones and meta.first_year is not None and meta.last_year is not None:
        head += "".join(vtimezone_text(name, meta.first_year - 1, meta.last_year) for name in sorted(meta.zones))
    return head, tail


def years_spanned(events: Iterable[CalendarEvent]) -> tuple[tuple[str, ...], int | None, int | None]:
    """The zones and the range of local years a set of events needs VTIMEZONEs for."""
    zones: set[str] = set()
    first = last = None
    for event in events:
        zones.add(event.zone)
        tz = iana_zone(event.zone)
        start_year = event.start.astimezone(tz).year
        end_year = event.end.astimezone(tz).year
        first = start_year if first is None else min(first, start_year)
        last = end_year if last is None else max(last, end_year)
    return tuple(sorted(zones)), first, last


def calendar_bytes(meta: CalendarMeta, vevents: Iterable[str]) -> bytes:
    head, tail = envelope(meta)
    return (head + "".join(vevents) + tail).encode()


def single_event_calendar(meta: CalendarMeta, event: CalendarEvent, vevent: str) -> bytes:
    """One event in a calendar object of its own, as a CalDAV server stores it."""
    zones, first, last = years_spanned([event])
    own = CalendarMeta(name=meta.name, description=meta.description, refresh_minutes=meta.refresh_minutes, zones=zones, first_year=first, last_year=last)
    return calendar_bytes(own, [vevent])


def snapshot(meta: CalendarMeta, events: Sequence[CalendarEvent], revision: Revision) -> bytes:
    """A calendar of ``events`` all at one revision: a plan's download, the same bytes every time."""
    zones, first, last = years_spanned(events)
    full = CalendarMeta(
        name=meta.name, description=meta.description, refresh_minutes=meta.refresh_minutes,
        source_url=meta.source_url, color=meta.color, zones=zones, first_year=first, last_year=last,
    )
    ordered = sorted(events, key=lambda e: (e.start, e.uid))
    return calendar_bytes(full, (vevent_text(event, revision) for event in ordered))
