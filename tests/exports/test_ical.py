"""iCalendar text: rule-based VTIMEZONEs, escaping and folding, and the same instants in every reader."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services.ical import (
    CalendarEvent,
    CalendarMeta,
    Revision,
    fold,
    snapshot,
    transitions,
    vevent_text,
    vtimezone_text,
)
from tests.exports.parsers import READERS, with_vobject

META = CalendarMeta(name="Kapitan Andreevo / Kapıkule", description="test", refresh_minutes=60)
STAMP = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
REVISION = Revision(sequence=3, created=STAMP, last_modified=STAMP)
ZONES = ("Europe/Sofia", "Europe/Istanbul", "Africa/Kigali", "Asia/Kathmandu")


def event(uid: str, start: datetime, minutes: int, zone: str, **extra: object) -> CalendarEvent:
    return CalendarEvent(uid=uid, summary=extra.pop("summary", "Open"), start=start, end=start + timedelta(minutes=minutes), zone=zone, local_day=start.astimezone(ZoneInfo(zone)).date(), **extra)  # type: ignore[arg-type]


def test_sofia_gets_one_yearly_rule_per_switch_and_no_rdate():
    text = vtimezone_text("Europe/Sofia", 2025, 2027)
    assert "RDATE" not in text
    assert "BEGIN:DAYLIGHT\r\nDTSTART:20250330T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n" in text
    assert "BEGIN:STANDARD\r\nDTSTART:20251026T040000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n" in text
    assert text.count("BEGIN:DAYLIGHT") == 1 and text.count("BEGIN:STANDARD") == 1


@pytest.mark.parametrize(("zone", "offset"), [("Europe/Istanbul", "+0300"), ("Africa/Kigali", "+0200"), ("Asia/Kathmandu", "+0545")])
def test_a_zone_without_dst_has_one_fixed_standard_block(zone, offset):
    text = vtimezone_text(zone, 2025, 2027)
    assert "RRULE" not in text and "RDATE" not in text and "DAYLIGHT" not in text
    assert f"TZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\n" in text


def test_a_rule_on_the_first_sunday_on_or_after_a_day_uses_a_day_window():
    # Chile changes on "Sun>=2" of April and September: neither n-th nor last Sunday fits every year.
    text = vtimezone_text("America/Santiago", 2025, 2030)
    assert "RRULE:FREQ=YEARLY;BYDAY=SU;BYMONTHDAY=2,3,4,5,6,7,8;BYMONTH=4" in text


def test_transitions_find_both_2026_switches_of_sofia_to_the_second():
    found = transitions("Europe/Sofia", 2026, 2026)
    assert [t.instant for t in found] == [datetime(2026, 3, 29, 1, 0, tzinfo=UTC), datetime(2026, 10, 25, 1, 0, tzinfo=UTC)]
    assert [t.daylight for t in found] == [True, False]


def test_an_instant_in_the_repeated_hour_is_written_in_utc():
    # 03:30 on 25 October 2026 happens twice in Sofia; the second one is 01:30 UTC.
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert "DTSTART:20261025T013000Z" in vevent_text(event("b", second, 60, "Europe/Sofia"), REVISION)
    assert "DTSTART;TZID=Europe/Sofia:20261025T033000" in vevent_text(event("a", first, 60, "Europe/Sofia"), REVISION)


def test_the_calendar_carries_rfc_7986_names_and_refresh_hints():
    data = snapshot(META, [event("a", STAMP, 60, "Europe/Sofia")], REVISION).decode()
    assert "\r\nNAME:Kapitan Andreevo / Kapıkule\r\n" in data
    assert "\r\nX-WR-CALNAME:Kapitan Andreevo / Kapıkule\r\n" in data
    assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in data
    assert "\r\nX-PUBLISHED-TTL:PT1H\r\n" in data
    assert "\r\nDESCRIPTION:test\r\n" in data
    assert data.count("BEGIN:VTIMEZONE") == 1


def test_every_zone_used_has_exactly_one_vtimezone():
    events = [event(f"e{i}", STAMP + timedelta(days=i), 60, zone) for i, zone in enumerate(ZONES * 2)]
    calendar = icalendar.Calendar.from_ical(snapshot(META, events, REVISION))
    assert sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")) == sorted(ZONES)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    starts=st.lists(
        st.tuples(
            st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)).map(lambda d: d.replace(second=0, microsecond=0, tzinfo=UTC)),
            st.integers(min_value=15, max_value=36 * 60),
            st.sampled_from(ZONES),
        ),
        min_size=1, max_size=8,
    )
)
def test_every_reader_gets_the_instants_the_plan_holds(starts):
    events = [event(f"e{i}@juxta", start, minutes, zone) for i, (start, minutes, zone) in enumerate(starts)]
    data = snapshot(META, events, REVISION)
    expected = {e.uid: (e.start, e.end) for e in events}
    for name, read in READERS.items():
        assert read(data) == expected, name


@pytest.mark.parametrize(
    ("zone", "local", "utc"),
    [
        ("Europe/Sofia", "20260329T020000", datetime(2026, 3, 29, 0, 0, tzinfo=UTC)),  # last hour of winter time
        ("Europe/Sofia", "20260329T040000", datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),  # first of summer time
        ("Europe/Sofia", "20261025T050000", datetime(2026, 10, 25, 3, 0, tzinfo=UTC)),
        ("Europe/Istanbul", "20260701T080000", datetime(2026, 7, 1, 5, 0, tzinfo=UTC)),
        ("Africa/Kigali", "20260701T080000", datetime(2026, 7, 1, 6, 0, tzinfo=UTC)),
        ("Asia/Kathmandu", "20260701T080000", datetime(2026, 7, 1, 2, 15, tzinfo=UTC)),
    ],
)
def test_local_times_around_the_switches_read_back_exactly(zone, local, utc):
    data = snapshot(META, [event("x", utc, 30, zone)], REVISION)
    assert f"DTSTART;TZID={zone}:{local}" in data.decode()
    for name, read in READERS.items():
        assert read(data)["x"][0] == utc, name


def test_the_readers_would_catch_the_rdate_trap():
    """The VTIMEZONE icalendar writes itself puts vobject's summer events an hour off;
    this is why Juxta writes its own, and proof that the round-trip tests can fail."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//test//EN")
    calendar.add("version", "2.0")
    summer = datetime(2026, 7, 10, 8, 0, tzinfo=UTC)
    item = icalendar.Event()
    item.add("uid", "summer")
    item.add("dtstamp", summer)
    item.add("dtstart", summer.astimezone(ZoneInfo("Europe/Sofia")))
    item.add("dtend", (summer + timedelta(hours=1)).astimezone(ZoneInfo("Europe/Sofia")))
    calendar.add_component(item)
    calendar.add_missing_timezones()
    assert with_vobject(calendar.to_ical())["summer"][0] != summer


@settings(max_examples=80, deadline=None)
@given(summary=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(",;\\\n"), min_size=1, max_size=200))
def test_text_survives_escaping_and_folding(summary):
    item = event("t", STAMP, 60, "Europe/Sofia", summary=summary, description=summary * 2, location=summary, categories=(summary, "Shift"))
    text = vevent_text(item, REVISION)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    parsed = icalendar.Calendar.from_ical(("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + text + "END:VCALENDAR\r\n").encode()).walk("VEVENT")[0]
    assert str(parsed["SUMMARY"]) == summary
    assert str(parsed["DESCRIPTION"]) == summary * 2
    assert str(parsed["LOCATION"]) == summary
    assert [str(c) for c in parsed["CATEGORIES"].cats] == [summary, "Shift"]


def test_folding_never_splits_a_multibyte_character():
    line = "SUMMARY:" + "Капитан Андреево " * 10
    folded = fold(line)
    assert folded.replace("\r\n ", "").rstrip("\r\n") == line
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))


def test_cancelled_revision_says_so_and_blocks_no_time():
    text = vevent_text(event("c", STAMP, 60, "Europe/Sofia"), Revision(sequence=4, created=STAMP, last_modified=STAMP + timedelta(days=1), cancelled=True))
    assert "STATUS:CANCELLED\r\n" in text and "SEQUENCE:4\r\n" in text and "TRANSP:TRANSPARENT\r\n" in text
    assert "DTSTAMP:20260302T120000Z\r\n" in text and "LAST-MODIFIED:20260302T120000Z\r\n" in text
    assert "CREATED:20260301T120000Z\r\n" in text


def test_an_event_refuses_naive_or_backward_times():
    with pytest.raises(ValueError, match="naive"):
        CalendarEvent(uid="n", summary="s", start=datetime(2026, 1, 1), end=datetime(2026, 1, 2), zone="Europe/Sofia", local_day=date(2026, 1, 1))
    with pytest.raises(ValueError, match="before it starts"):
        event("b", STAMP, -5, "Europe/Sofia")
    with pytest.raises(ValueError, match="unknown time zone"):
        CalendarEvent(uid="z", summary="s", start=STAMP, end=STAMP + timedelta(hours=1), zone="Europe/Atlantis", local_day=STAMP.date())
