"""Plans as tables (CSV, Excel) and officers, leave and demand read from tables into a post.

Exports show every time twice, on the local clock (with the IANA zone named) and in UTC,
so a reader on either side of the border can check the other. The Excel workbook has a
sheet describing the plan and one sheet per agency, with a styled, frozen, filterable
header and readable column widths.

Imports reuse the scenario reader: the same columns, the same cell parsing and the same
checks as a scenario's ``officers.csv``, ``leave.csv`` and ``demand.csv``, checked against
the post already loaded. Every problem is reported with its row and column, and nothing is
written unless every row is valid.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.services import audit
from app.services.errors import InputProblem, InvalidInput
from app.services.feeds import (
    FeedSettings,
    InspectionItem,
    PlanItems,
    PostDirectory,
    Selection,
    ShiftItem,
    WindowItem,
    plan_calendar,
    plan_items,
)
from app.services.scenario import spec
from app.services.scenario.source import TABLE_BY_NAME, RawScenario, Row, csv_rows, sheet_rows
from app.services.scenario.validate import Codes, ScenarioChecker
from models import (
    Agency,
    BorderPost,
    CalendarKind,
    CargoCategory,
    Demand,
    Leave,
    LeaveKind,
    Office,
    Officer,
    Plan,
    Side,
    Skill,
    User,
)
from solver.timeutil import utc_to_local

IMPORTABLE = ("officers", "leave", "demand")
_LOCAL_FORMAT = "%Y-%m-%d %H:%M"

HOURS_COLUMNS = ("Side", "Agency", "Office", "Local day", "Window", "Start (local)", "End (local)", "Time zone", "Start (UTC)", "End (UTC)", "Hours", "Out of hours")
SHIFT_COLUMNS = ("Side", "Agency", "Office", "Officer", "Officer name", "Local day", "Shift", "Shift name", "Start (local)", "End (local)", "Time zone", "Start (UTC)", "End (UTC)", "Hours", "Night")
INSPECTION_COLUMNS = ("Reference", "Category", "Mode", "Status", "For", "Agencies", "Officers", "Bays", "Local day", "Start (local)", "End (local)", "Time zone", "Start (UTC)", "End (UTC)", "Hours")
COLUMNS = {CalendarKind.HOURS: HOURS_COLUMNS, CalendarKind.SHIFTS: SHIFT_COLUMNS, CalendarKind.INSPECTIONS: INSPECTION_COLUMNS}
# An agency's sheet holds all three kinds in one table, so it sorts and filters as one.
SHEET_COLUMNS = ("Calendar", "Local day", "Start (local)", "End (local)", "Time zone", "Start (UTC)", "End (UTC)", "Hours", "Office", "Officer", "Officer name", "Shift", "Reference", "Category", "Agencies", "Bays", "Detail")


def _times(start: datetime, end: datetime, zone_name: str) -> dict[str, object]:
    """Local and UTC times as naive datetimes (Excel has no zones; the columns say which clock)."""
    return {
        "Start (local)": utc_to_local(start, zone_name).replace(tzinfo=None),
        "End (local)": utc_to_local(end, zone_name).replace(tzinfo=None),
        "Time zone": zone_name,
        "Start (UTC)": start.astimezone(UTC).replace(tzinfo=None),
        "End (UTC)": end.astimezone(UTC).replace(tzinfo=None),
        "Hours": round((end - start).total_seconds() / 3600, 2),
    }


def window_row(item: WindowItem) -> dict[str, object]:
    return {
        "Side": item.side.code, "Agency": item.agency.code, "Office": item.office.code, "Local day": item.local_day,
        "Window": item.ordinal, **_times(item.start, item.end, item.zone), "Out of hours": "yes" if item.out_of_hours else "no",
    }


def shift_row(item: ShiftItem) -> dict[str, object]:
    return {
        "Side": item.side.code, "Agency": item.agency.code, "Office": item.office.code, "Officer": item.officer.code,
        "Officer name": item.officer.name, "Local day": item.local_day, "Shift": item.template.code, "Shift name": item.template.name,
        **_times(item.start, item.end, item.zone), "Night": "yes" if item.template.night else "no",
    }


def inspection_row(item: InspectionItem) -> dict[str, object]:
    return {
        "Reference": item.reference, "Category": item.category, "Mode": item.mode, "Status": "proposed" if item.tentative else "booked",
        "For": f"{item.group} {item.group_code}".strip() or "whole post", "Agencies": ", ".join(item.agencies),
        "Officers": ", ".join(item.officers), "Bays": ", ".join(item.bays), "Local day": item.local_day,
        **_times(item.start, item.end, item.zone),
    }


def frames(items: PlanItems) -> dict[CalendarKind, pd.DataFrame]:
    return {
        CalendarKind.HOURS: pd.DataFrame([window_row(i) for i in items.windows], columns=list(HOURS_COLUMNS)),
        CalendarKind.SHIFTS: pd.DataFrame([shift_row(i) for i in items.shifts], columns=list(SHIFT_COLUMNS)),
        CalendarKind.INSPECTIONS: pd.DataFrame([inspection_row(i) for i in items.inspections], columns=list(INSPECTION_COLUMNS)),
    }


def plan_csv(session: Session, plan: Plan, selection: Selection) -> bytes:
    """One calendar of ``plan`` as CSV (UTF-8 with BOM, so Excel opens accents right)."""
    if len(selection.kinds) != 1:
        raise InvalidInput([InputProblem("calendar", "a CSV file holds one table", "ask for calendar=hours, shifts or inspections")])
    items, _ = plan_items(session, plan, selection)
    frame = frames(items)[selection.kinds[0]]
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, date_format=_LOCAL_FORMAT, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    return ("\ufeff" + buffer.getvalue()).encode()


def export(session: Session, plan: Plan, selection: Selection, fmt: str, settings: FeedSettings) -> bytes:
    """The one function behind the web download and ``juxta export``: same selection, same file."""
    if fmt == "ics":
        return plan_calendar(session, plan, selection, settings)
    if fmt == "csv":
        return plan_csv(session, plan, selection)
    if fmt == "xlsx":
        return plan_workbook(session, plan, selection)
    raise InvalidInput([InputProblem("format", f"{fmt!r} is not an export format", "use ics, csv or xlsx")])


def export_file_name(post_code: str, version: int, selection: Selection, fmt: str) -> str:
    parts = [post_code, f"v{version}", *(kind.value for kind in selection.kinds), *(value for value in selection.codes().values() if value)]
    return "-".join(part.replace("/", "_").replace('"', "") for part in parts) + f".{fmt}"


def _sheet_rows_of(items: PlanItems) -> dict[str, list[dict[str, object]]]:
    by_agency: dict[str, list[dict[str, object]]] = defaultdict(list)
    for window in items.windows:
        by_agency[window.agency.code].append({
            "Calendar": "opening hours", "Local day": window.local_day, **_times(window.start, window.end, window.zone), "Office": window.office.code,
            "Detail": "out of hours, on request" if window.out_of_hours else f"window {window.ordinal}",
        })
    for shift in items.shifts:
        by_agency[shift.agency.code].append({
            "Calendar": "shift", "Local day": shift.local_day, **_times(shift.start, shift.end, shift.zone), "Office": shift.office.code,
            "Officer": shift.officer.code, "Officer name": shift.officer.name, "Shift": shift.template.code, "Detail": shift.template.name + (" (night)" if shift.template.night else ""),
        })
    for inspection in items.inspections:
        by_agency[inspection.group_code].append({
            "Calendar": "inspection", "Local day": inspection.local_day, **_times(inspection.start, inspection.end, inspection.zone),
            "Officer name": ", ".join(inspection.officers), "Reference": inspection.reference, "Category": inspection.category,
            "Agencies": ", ".join(inspection.agencies), "Bays": ", ".join(inspection.bays),
            "Detail": f"{inspection.mode}, {'proposed' if inspection.tentative else 'booked'}",
        })
    return by_agency


def plan_workbook(session: Session, plan: Plan, selection: Selection) -> bytes:
    """The plan's calendars as an Excel workbook: an overview sheet, then one sheet per agency."""
    if selection.bay is not None:
        raise InvalidInput([InputProblem("bay", "the workbook has one sheet per agency", "leave the bay out, or download ics or csv for a bay")])
    items, directory = plan_items(session, plan, selection, by_agency=True)
    rows = _sheet_rows_of(items)
    agencies = sorted((a for a in directory.agencies.values() if a.code in rows or _agency_in(selection, a, directory)), key=lambda a: (directory.sides[a.side_id].code, a.code))
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        overview = _overview(plan, directory, selection)
        overview.to_excel(writer, sheet_name="Plan", index=False)
        for agency in agencies:
            frame = pd.DataFrame(sorted(rows.get(agency.code, []), key=lambda r: (r["Start (UTC)"], r["Calendar"])), columns=list(SHEET_COLUMNS))
            frame.to_excel(writer, sheet_name=_sheet_name(agency.code), index=False)
        stamp = (plan.published_at or plan.created_at).astimezone(UTC).replace(tzinfo=None)
        writer.book.properties.created = stamp
        writer.book.properties.modified = stamp
        writer.book.properties.title = f"{directory.post.name} plan v{plan.version}"
        for sheet in writer.book.worksheets:
            _style(sheet)
    return buffer.getvalue()


def _agency_in(selection: Selection, agency: Agency, directory: PostDirectory) -> bool:
    if selection.agency is not None:
        return agency.code == selection.agency
    if selection.side is not None:
        return directory.sides[agency.side_id].code == selection.side
    return selection.office is None and selection.officer is None


def _overview(plan: Plan, directory: PostDirectory, selection: Selection) -> pd.DataFrame:
    sides = sorted(directory.sides.values(), key=lambda s: s.code)
    rows = [
        ("Post", f"{directory.post.name} ({directory.post.code})"),
        ("Plan", f"version {plan.version}, {plan.kind.value}, {plan.status.value}"),
        ("Horizon", f"{plan.horizon_start.isoformat()}, {plan.horizon_days} days"),
        ("Selection", selection.describe()),
        *((f"Side {side.code}", f"{side.name}: local times in {side.timezone}") for side in sides),
        ("Times", "Each row gives local times on the clock of the zone named in 'Time zone', and the same instants in UTC."),
    ]
    return pd.DataFrame(rows, columns=["Item", "Value"])


def _sheet_name(code: str) -> str:
    cleaned = "".join("_" if char in "[]:*?/\\" else char for char in code)
    return cleaned[:31] or "agency"


_HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
_HEADER_FONT = Font(bold=True, color="FFFFFF")


def _style(sheet) -> None:  # type: ignore[no-untyped-def]
    """Bold, coloured, frozen header with filters; columns as wide as their content; dates formatted."""
    for cell in sheet[1]:
        cell.fill = _HEADER_FILL
        cell.font = _HEADER_FONT
        cell.alignment = Alignment(vertical="center")
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1 and sheet.title != "Plan":
        sheet.auto_filter.ref = sheet.dimensions
    for column in sheet.iter_cols(min_row=1, max_row=sheet.max_row):
        width = 8
        for cell in column:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
                width = max(width, 17)
            elif cell.value is not None:
                width = max(width, min(60, len(str(cell.value)) + 2))
            if cell.row > 1 and cell.number_format == "yyyy-mm-dd h:mm:ss":
                cell.number_format = "yyyy-mm-dd"
        sheet.column_dimensions[get_column_letter(column[0].column)].width = width


# -- imports -----------------------------------------------------------------------------------


@dataclass(slots=True)
class ImportReport:
    table: str
    source: str
    added: int = 0
    updated: int = 0

    def summary(self) -> str:
        return f"{self.source}: {self.added} {self.table} row(s) added, {self.updated} updated"


def read_table(table: str, data: bytes, file_name: str) -> RawScenario:
    """One scenario table from CSV or Excel bytes, read by the scenario reader (its header and
    row checks); structural problems land in ``problems`` of the result."""
    if table not in IMPORTABLE:
        raise InvalidInput([InputProblem("table", f"{table!r} cannot be imported", f"import one of {', '.join(IMPORTABLE)}")])
    spec_of = TABLE_BY_NAME[table]
    raw = RawScenario(file_name, "")
    if Path(file_name).suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (InvalidFileException, OSError, KeyError, ValueError) as exc:
            raw.problems.append(InputProblem(file_name, f"cannot read the workbook ({exc})", "save it as .xlsx from Excel or LibreOffice", source=file_name))
            return raw
        try:
            names = {name.strip().lower(): name for name in book.sheetnames}
            sheet = book[names.get(table, book.sheetnames[0])]
            raw.tables[table] = sheet_rows(spec_of, sheet, f"{file_name}[{sheet.title}]", raw)
        finally:
            book.close()
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raw.problems.append(InputProblem(file_name, "is not UTF-8 text", "save the CSV file as UTF-8", source=file_name))
            return raw
        raw.tables[table] = csv_rows(spec_of, text, file_name, raw)
    if not raw.tables.get(table) and not raw.problems:
        raw.problems.append(InputProblem(file_name, "has no rows", f"add rows under the header {','.join(spec_of.required)}", source=file_name))
    return raw


def import_table(session: Session, post: BorderPost, table: str, data: bytes, file_name: str, user: User | None = None) -> ImportReport:
    """Check every row against the loaded post, then write all of them, or raise and write nothing."""
    raw = read_table(table, data, file_name)
    checker = ScenarioChecker(raw)
    report = ImportReport(table=table, source=file_name)
    if not raw.problems:
        if table == "officers":
            _import_officers(session, post, checker, report)
        elif table == "leave":
            _import_leave(session, post, checker, report)
        else:
            _import_demand(session, post, checker, report)
    problems = raw.problems + checker.problems
    if problems:
        raise InvalidInput(problems, f"{file_name}: {len(problems)} problem(s); nothing was imported")
    audit.record(session, user, f"import.{table}", "border_post", post.id, post_id=post.id, source=file_name, added=report.added, updated=report.updated)
    session.flush()
    return report


def _codes(session: Session, model: type, post: BorderPost) -> dict[str, object]:
    return {row.code: row for row in session.scalars(select(model).where(model.post_id == post.id))}  # type: ignore[attr-defined]


def _import_officers(session: Session, post: BorderPost, checker: ScenarioChecker, report: ImportReport) -> None:
    agencies: dict[str, Agency] = _codes(session, Agency, post)  # type: ignore[assignment]
    offices: dict[str, Office] = _codes(session, Office, post)  # type: ignore[assignment]
    skills: dict[str, Skill] = _codes(session, Skill, post)  # type: ignore[assignment]
    sides = {side.id: side.code for side in session.scalars(select(Side).where(Side.post_id == post.id))}
    agency_side = {code: sides[agency.side_id] for code, agency in agencies.items()}
    office_specs = {
        code: spec.OfficeSpec(code=code, agency=office.agency.code, name=office.name, host_side=sides[office.host_side_id])
        for code, office in offices.items()
    }
    found = checker.officers(Codes(agencies), office_specs, set(skills), agency_side)[0]
    if checker.problems:
        return
    existing: dict[str, Officer] = _codes(session, Officer, post)  # type: ignore[assignment]
    for item in found:
        officer = existing.get(item.code)
        if officer is None:
            officer = Officer(post_id=post.id, code=item.code)
            session.add(officer)
            report.added += 1
        else:
            report.updated += 1
        officer.name = item.name
        officer.agency_id = agencies[item.agency].id
        officer.office_id = offices[item.office].id
        officer.contract_minutes_per_week = item.contract_minutes_per_week
        officer.cross_border = item.cross_border
        officer.night_work = item.night_work
        officer.email = item.email
        officer.skills = [skills[code] for code in item.skills]


def _import_leave(session: Session, post: BorderPost, checker: ScenarioChecker, report: ImportReport) -> None:
    officers: dict[str, Officer] = _codes(session, Officer, post)  # type: ignore[assignment]
    found = checker.leave(set(officers))
    if checker.problems:
        return
    rows_by_officer: dict[str, list[Row]] = defaultdict(list)
    for row in checker.raw.tables.get("leave", []):
        rows_by_officer[row.values.get("officer", "")].append(row)
    for item in found:
        clash = next((leave for leave in officers[item.officer].leave if leave.start_date <= item.end and item.start <= leave.end_date), None)
        if clash is not None:
            row = next((r for r in rows_by_officer[item.officer] if r.values.get("from") == item.start.isoformat()), None)
            checker.problems.append(InputProblem(
                "from", f"leave {item.start}..{item.end} overlaps leave {clash.start_date}..{clash.end_date} of {item.officer} already recorded",
                "remove the row, or change the recorded leave first", source=row.source if row else report.source, location=row.location if row else "",
            ))
    if checker.problems:
        return
    for item in found:
        session.add(Leave(officer_id=officers[item.officer].id, start_date=item.start, end_date=item.end, kind=LeaveKind(item.kind), note=item.note))
        report.added += 1


def _import_demand(session: Session, post: BorderPost, checker: ScenarioChecker, report: ImportReport) -> None:
    sides: dict[str, Side] = _codes(session, Side, post)  # type: ignore[assignment]
    categories: dict[str, CargoCategory] = _codes(session, CargoCategory, post)  # type: ignore[assignment]
    found = checker.demand(set(sides), set(categories))
    if checker.problems:
        return
    for item in found:
        match = (
            Demand.post_id == post.id, Demand.exit_side_id == sides[item.exit_side].id, Demand.entry_side_id == sides[item.entry_side].id,
            Demand.category_id == categories[item.category].id, Demand.hour == item.hour,
            Demand.weekday.is_(None) if item.weekday is None else Demand.weekday == item.weekday,
            Demand.on_date.is_(None) if item.on_date is None else Demand.on_date == item.on_date,
        )
        replaced = session.execute(delete(Demand).where(*match)).rowcount
        session.add(Demand(post_id=post.id, exit_side_id=sides[item.exit_side].id, entry_side_id=sides[item.entry_side].id, category_id=categories[item.category].id, weekday=item.weekday, on_date=item.on_date, hour=item.hour, trucks=item.trucks))
        if replaced:
            report.updated += 1
        else:
            report.added += 1
