"""Three independent readers of iCalendar text, each giving every event's UTC instants by UID."""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar
import recurring_ical_events
import vobject

Instants = dict[str, tuple[datetime, datetime]]


def _utc(value: datetime) -> datetime:
    assert isinstance(value, datetime) and value.tzinfo is not None, f"not an aware date-time: {value!r}"
    return value.astimezone(UTC)


def with_icalendar(data: bytes) -> Instants:
    """icalendar resolves a TZID that names an IANA zone through zoneinfo."""
    calendar = icalendar.Calendar.from_ical(data)
    return {str(event["UID"]): (_utc(event["DTSTART"].dt), _utc(event["DTEND"].dt)) for event in calendar.walk("VEVENT")}


def with_own_vtimezones(data: bytes) -> Instants:
    """icalendar again, but reading local times through the file's own VTIMEZONE blocks."""
    calendar = icalendar.Calendar.from_ical(data)
    zones = {str(tz["TZID"]): tz.to_tz(lookup_tzid=False) for tz in calendar.walk("VTIMEZONE")}

    def instant(prop) -> datetime:  # type: ignore[no-untyped-def]
        tzid = prop.params.get("TZID")
        if tzid is None:
            return _utc(prop.dt)
        return _utc(prop.dt.replace(tzinfo=None).replace(tzinfo=zones[tzid]))

    return {str(event["UID"]): (instant(event["DTSTART"]), instant(event["DTEND"])) for event in calendar.walk("VEVENT")}


def with_vobject(data: bytes) -> Instants:
    """vobject (Radicale's parser) builds its zones from the VTIMEZONE blocks.

    vobject keeps the first VTIMEZONE it ever saw for a TZID for the rest of the process
    (and falls back to pytz by name before it saw one); forget them, so that this file's
    own blocks are the ones read.
    """
    registry = vars(vobject.icalendar)["__tzidMap"]
    registry.clear()
    vobject.icalendar.registerTzid("UTC", vobject.icalendar.utc)
    calendar = vobject.readOne(data.decode())
    return {event.uid.value: (_utc(event.dtstart.value), _utc(event.dtend.value)) for event in calendar.vevent_list}


def with_recurring_ical_events(data: bytes, first: date = date(2000, 1, 1), last: date = date(2100, 1, 1)) -> Instants:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(event["UID"]): (_utc(event["DTSTART"].dt), _utc(event["DTEND"].dt)) for event in recurring_ical_events.of(calendar).between(first, last)}


READERS = {
    "icalendar": with_icalendar,
    "icalendar-own-vtimezone": with_own_vtimezones,
    "vobject": with_vobject,
    "recurring-ical-events": with_recurring_ical_events,
}
