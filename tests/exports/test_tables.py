"""Plans as CSV and Excel; officers, leave and demand imported from CSV and Excel, all or nothing."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.services import tables
from app.services.errors import InvalidInput
from app.services.feeds import Selection
from models import Demand, Leave, Officer
from tests.conftest import table_counts
from tests.exports.builders import add_booking, add_plan, load_ka


@pytest.fixture
def plan(sqlite_session):
    post = load_ka(sqlite_session)
    plan = add_plan(sqlite_session, post, 1)
    add_booking(sqlite_session, post, plan, "MRN-26BG-0001", datetime(2026, 3, 29, 9, 0, tzinfo=UTC), 60)
    sqlite_session.commit()
    return plan


def test_the_roster_csv_has_local_and_utc_columns_and_names_the_zone(sqlite_session, plan):
    data = tables.plan_csv(sqlite_session, plan, Selection.of(["shifts"], officer="BG-CUS2"))
    assert data.startswith("\ufeff".encode())
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(frame.columns) == list(tables.SHIFT_COLUMNS)
    night = frame[frame["Local day"] == "2026-03-28"].iloc[0]
    assert (night["Start (local)"], night["End (local)"], night["Time zone"]) == ("2026-03-28 22:00", "2026-03-29 06:00", "Europe/Sofia")
    assert (night["Start (UTC)"], night["End (UTC)"], night["Hours"]) == ("2026-03-28 20:00", "2026-03-29 03:00", 7.0)


def test_opening_hours_and_bookings_csv(sqlite_session, plan):
    hours = pd.read_csv(io.BytesIO(tables.plan_csv(sqlite_session, plan, Selection.of(["hours"], side="TR"))), encoding="utf-8-sig")
    assert set(hours["Time zone"]) == {"Europe/Istanbul"} and set(hours["Side"]) == {"TR"}
    bookings = pd.read_csv(io.BytesIO(tables.plan_csv(sqlite_session, plan, Selection.of(["inspections"]))), encoding="utf-8-sig")
    assert list(bookings["Reference"]) == ["MRN-26BG-0001"] and bookings["Agencies"][0] == "BG-CUS, TR-CUS"


def test_a_csv_holds_one_table(sqlite_session, plan):
    with pytest.raises(InvalidInput, match="one table"):
        tables.plan_csv(sqlite_session, plan, Selection.of(None))


def test_the_workbook_has_one_formatted_sheet_per_agency(sqlite_session, plan):
    book = load_workbook(io.BytesIO(tables.plan_workbook(sqlite_session, plan, Selection.of(None))))
    assert book.sheetnames == ["Plan", "BG-CUS", "BG-VET", "TR-CUS", "TR-VET"]
    sheet = book["BG-CUS"]
    assert [cell.value for cell in sheet[1]] == list(tables.SHEET_COLUMNS)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet["A1"].font.bold and sheet.column_dimensions["B"].width >= 10
    kinds = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert kinds == {"opening hours", "shift", "inspection"}
    start = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "inspection")[2]
    assert start.value == datetime(2026, 3, 29, 12, 0) and start.number_format == "yyyy-mm-dd hh:mm"
    overview = {row[0]: row[1] for row in book["Plan"].iter_rows(min_row=2, values_only=True)}
    assert overview["Side BG"] == "Bulgaria: local times in Europe/Sofia"


def _csv(text: str) -> bytes:
    return text.encode()


def _xlsx(rows: list[list[object]], sheet: str = "officers") -> bytes:
    book = Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_officers_import_adds_and_updates_from_csv(session, ka):
    report = tables.import_table(session, ka, "officers", _csv("code,name,agency,office,contract_hours\nBG-CUS9,Petya Ivanova,BG-CUS,BG-CUS-OFF,32\nBG-CUS1,Renamed Officer,BG-CUS,BG-CUS-OFF,40\n"), "officers.csv")
    session.commit()
    assert (report.added, report.updated) == (1, 1)
    new = session.scalar(select(Officer).where(Officer.code == "BG-CUS9"))
    assert new.contract_minutes_per_week == 32 * 60 and new.office.code == "BG-CUS-OFF"
    assert session.scalar(select(Officer).where(Officer.code == "BG-CUS1")).name == "Renamed Officer"


def test_leave_and_demand_import_from_excel(session, ka):
    leave = tables.import_table(session, ka, "leave", _xlsx([["officer", "from", "to", "kind"], ["TR-CUS1", date(2026, 4, 1), date(2026, 4, 5), "annual"]], "leave"), "leave.xlsx")
    demand = tables.import_table(session, ka, "demand", _xlsx([["direction", "category", "day", "hour", "trucks"], ["TR>BG", "general", "mon", 9, 40.5], ["TR>BG", "general", "2026-12-23", 9, 80]], "demand"), "demand.xlsx")
    session.commit()
    assert leave.added == 1 and demand.added == 2
    assert session.scalar(select(Leave.start_date)) == date(2026, 4, 1)
    again = tables.import_table(session, ka, "demand", _csv("direction,category,day,hour,trucks\nTR>BG,general,mon,9,12\n"), "demand.csv")
    session.commit()
    assert (again.added, again.updated) == (0, 1)
    assert session.scalar(select(func.count(Demand.id))) == 2


@pytest.mark.parametrize(
    ("table", "text", "expected"),
    [
        ("officers", "code,name,agency,desk\nBG-CUS9,Petya,BG-CUS,BG-CUS-OFF\n", [("office", "line 1"), ("desk", "line 1")]),
        ("leave", "officer,from,to\nTR-CUS1,2026-13-01,2026-04-05\nNOBODY,2026-04-01,2026-04-02\nTR-CUS2,2026-04-09,2026-04-01\n", [("from", "line 2"), ("officer", "line 3"), ("to", "line 4")]),
        ("demand", "direction,category,day,hour,trucks\nTR>BG,general,someday,9,4\nTR>XX,general,mon,25,-1\n", [("day", "line 2"), ("direction", "line 3"), ("hour", "line 3"), ("trucks", "line 3")]),
    ],
)
def test_malformed_files_give_a_complete_report_and_change_nothing(session, ka, engine, table, text, expected):
    before = table_counts(engine)
    with pytest.raises(InvalidInput) as refused:
        tables.import_table(session, ka, table, _csv(text), f"{table}.csv")
    session.rollback()
    assert sorted((p.field, p.location) for p in refused.value.problems) == sorted(expected)
    assert all(p.source == f"{table}.csv" and p.message for p in refused.value.problems)
    assert table_counts(engine) == before


def test_one_bad_row_among_good_ones_imports_nothing(session, ka, engine):
    before = table_counts(engine)
    with pytest.raises(InvalidInput) as refused:
        tables.import_table(session, ka, "officers", _xlsx([["code", "name", "agency", "office"], ["BG-CUS8", "Good", "BG-CUS", "BG-CUS-OFF"], ["TR-CUS8", "Wrong office", "TR-CUS", "BG-CUS-OFF"]]), "staff.xlsx")
    session.rollback()
    assert [(p.field, p.location, p.source) for p in refused.value.problems] == [("office", "row 3", "staff.xlsx[officers]")]
    assert table_counts(engine) == before


def test_leave_that_overlaps_recorded_leave_is_refused(session, ka):
    tables.import_table(session, ka, "leave", _csv("officer,from,to\nTR-CUS1,2026-04-01,2026-04-05\n"), "leave.csv")
    session.commit()
    with pytest.raises(InvalidInput) as refused:
        tables.import_table(session, ka, "leave", _csv("officer,from,to\nTR-CUS2,2026-04-01,2026-04-05\nTR-CUS1,2026-04-04,2026-04-08\n"), "more.csv")
    session.rollback()
    assert [(p.field, p.location) for p in refused.value.problems] == [("from", "line 3")]
    assert session.scalar(select(func.count(Leave.id))) == 1
