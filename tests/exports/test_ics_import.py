"""A neighbour's calendar of closures, reduced hours and holidays, read into constraints."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from functools import partial
from http.server import HTTPServer, SimpleHTTPRequestHandler

import pytest
from sqlalchemy import select

from app.services import ics_import
from app.services.errors import InvalidInput
from models import ClosureKind, NeighbourClosure
from tests.conftest import table_counts

APRIL = (date(2026, 4, 1), date(2026, 4, 30))


def calendar(*events: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kapikule//EN\r\n" + "".join(events) + "END:VCALENDAR\r\n").encode()


def vevent(uid: str, *lines: str) -> str:
    return "BEGIN:VEVENT\r\n" + f"UID:{uid}\r\n" + "".join(line + "\r\n" for line in lines) + "END:VEVENT\r\n"


HOLIDAY = vevent("h1@tr", "DTSTART;VALUE=DATE:20260423", "DTEND;VALUE=DATE:20260424", "SUMMARY:Ulusal Egemenlik ve Çocuk Bayramı", "CATEGORIES:HOLIDAY")
REDUCED = vevent("r1@tr", "DTSTART;TZID=Europe/Istanbul:20260422T090000", "DTEND;TZID=Europe/Istanbul:20260422T130000", "SUMMARY:Reduced hours (arife)")
WEEKLY = vevent("w1@tr", "DTSTART;TZID=Europe/Istanbul:20260405T020000", "DTEND;TZID=Europe/Istanbul:20260405T040000", "RRULE:FREQ=WEEKLY;COUNT=8", "SUMMARY:Scanner maintenance, lanes closed")
OLD = vevent("old@tr", "DTSTART;VALUE=DATE:20250101", "SUMMARY:New Year 2025")
CANCELLED = vevent("c1@tr", "STATUS:CANCELLED", "DTSTART:20260424T060000Z", "DTEND:20260424T080000Z", "SUMMARY:Closed")
FLOATING = vevent("f1@tr", "DTSTART:20260428T100000", "DTEND:20260428T120000", "SUMMARY:Closed for a drill")


def rows(session) -> list[NeighbourClosure]:
    return list(session.scalars(select(NeighbourClosure).order_by(NeighbourClosure.start_at)))


def test_holidays_reduced_hours_and_recurring_closures_become_closed_periods(session, ka):
    data = calendar(HOLIDAY, REDUCED, WEEKLY, OLD, CANCELLED, FLOATING)
    result = ics_import.import_closures(session, ka, "TR", data, "kapikule.ics", first_day=APRIL[0], last_day=APRIL[1])
    session.commit()
    assert result.by_kind == {"holiday": 1, "reduced_hours": 2, "closure": 4 + 1}
    assert {(s.uid, s.reason) for s in result.skipped} == {("c1@tr", "cancelled by the publisher"), ("old@tr", "outside the horizon 2026-04-01..2026-04-30")}
    assert result.notes == ["times without a zone were read on TR's clock (Europe/Istanbul)"]
    found = rows(session)
    holiday = next(r for r in found if r.uid == "h1@tr")
    # A Turkish holiday closes the Turkish local day: 21:00 UTC the evening before to 21:00 UTC.
    assert (holiday.start_at, holiday.end_at, holiday.all_day, holiday.kind) == (datetime(2026, 4, 22, 21, 0, tzinfo=UTC), datetime(2026, 4, 23, 21, 0, tzinfo=UTC), True, ClosureKind.HOLIDAY)
    reduced = [(r.start_at, r.end_at) for r in found if r.uid == "r1@tr"]
    assert reduced == [(datetime(2026, 4, 21, 21, 0, tzinfo=UTC), datetime(2026, 4, 22, 6, 0, tzinfo=UTC)), (datetime(2026, 4, 22, 10, 0, tzinfo=UTC), datetime(2026, 4, 22, 21, 0, tzinfo=UTC))]
    weekly = [r for r in found if r.uid == "w1@tr"]
    assert len(weekly) == 4 and len({r.occurrence for r in weekly}) == 4  # 5, 12, 19, 26 April
    drill = next(r for r in found if r.uid == "f1@tr")
    assert drill.start_at == datetime(2026, 4, 28, 7, 0, tzinfo=UTC)
    assert all(r.side.code == "TR" for r in found)


def test_importing_the_same_source_again_replaces_it(session, ka):
    ics_import.import_closures(session, ka, "TR", calendar(HOLIDAY, WEEKLY), "kapikule.ics", first_day=APRIL[0], last_day=APRIL[1])
    session.commit()
    again = ics_import.import_closures(session, ka, "TR", calendar(HOLIDAY), "kapikule.ics", first_day=APRIL[0], last_day=APRIL[1])
    session.commit()
    assert again.replaced == 5 and again.imported == 1
    assert [r.uid for r in rows(session)] == ["h1@tr"]


@pytest.mark.parametrize(
    ("event", "field"),
    [
        (vevent("bad-date@tr", "DTSTART:2026040XT100000", "SUMMARY:Closed"), "DTSTART"),
        (vevent("zone@tr", "DTSTART;TZID=Mars/Olympus:20260410T100000", "DTEND;TZID=Mars/Olympus:20260410T110000", "SUMMARY:Closed"), "TZID"),
        (vevent("backwards@tr", "DTSTART:20260410T100000Z", "DTEND:20260410T090000Z", "SUMMARY:Closed"), "DTEND"),
        (vevent("allday-reduced@tr", "DTSTART;VALUE=DATE:20260410", "SUMMARY:Reduced hours"), "DTSTART"),
        ("BEGIN:VEVENT\r\nDTSTART:20260410T100000Z\r\nSUMMARY:No uid\r\nEND:VEVENT\r\n", "UID"),
    ],
)
def test_an_unreadable_event_refuses_the_whole_import_and_changes_nothing(session, ka, engine, event, field):
    ics_import.import_closures(session, ka, "TR", calendar(HOLIDAY), "kapikule.ics", first_day=APRIL[0], last_day=APRIL[1])
    session.commit()
    before = table_counts(engine)
    with pytest.raises(InvalidInput) as refused:
        ics_import.import_closures(session, ka, "TR", calendar(WEEKLY, event), "kapikule.ics", first_day=APRIL[0], last_day=APRIL[1])
    session.rollback()
    assert [p.field for p in refused.value.problems] == [field]
    assert refused.value.problems[0].location.startswith("event 2")
    assert table_counts(engine) == before


def test_every_problem_is_reported_at_once(sqlite_session):
    from tests.exports.builders import load_ka

    post = load_ka(sqlite_session)
    bad = calendar(
        vevent("a@tr", "DTSTART;TZID=Mars/Olympus:20260410T100000", "SUMMARY:Closed"),
        vevent("b@tr", "DTSTART:2026040XT100000", "SUMMARY:Closed"),
    )
    with pytest.raises(InvalidInput) as refused:
        ics_import.import_closures(sqlite_session, post, "TR", bad, "x.ics", first_day=APRIL[0], last_day=APRIL[1])
    assert [(p.field, p.location) for p in refused.value.problems] == [("TZID", "event 1 (UID a@tr)"), ("DTSTART", "event 2 (UID b@tr)")]


def test_not_a_calendar_is_refused(sqlite_session):
    from tests.exports.builders import load_ka

    post = load_ka(sqlite_session)
    with pytest.raises(InvalidInput, match="iCalendar"):
        ics_import.import_closures(sqlite_session, post, "TR", b"Date,Closed\n2026-04-23,yes\n", "closures.csv", first_day=APRIL[0], last_day=APRIL[1])
    with pytest.raises(InvalidInput, match="no side"):
        ics_import.import_closures(sqlite_session, post, "GR", calendar(HOLIDAY), "x.ics", first_day=APRIL[0], last_day=APRIL[1])


def test_a_calendar_is_read_from_a_url(tmp_path):
    (tmp_path / "kapikule.ics").write_bytes(calendar(HOLIDAY))
    server = HTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/kapikule.ics"
        data, source = ics_import.read_source(url)
        assert data == calendar(HOLIDAY) and source == url
        with pytest.raises(InvalidInput, match="cannot fetch"):
            ics_import.read_source(f"http://127.0.0.1:{server.server_port}/missing.ics")
    finally:
        server.shutdown()
        server.server_close()
