"""Reading a scenario's files as they are: ``post.toml`` text and tables of text rows.

A scenario is a folder (``post.toml`` plus CSV files, or plus one ``scenario.xlsx``) or a
single Excel workbook whose ``post.toml`` sheet holds the TOML text, one line per row.
Every row remembers where it came from, so problems can name the file and line.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from app.services.errors import InputProblem

POST_FILE = "post.toml"
POST_SHEET = "post.toml"
WORKBOOK_FILE = "scenario.xlsx"


@dataclass(frozen=True, slots=True)
class TableSpec:
    """The columns of one scenario table; ``optional`` maps a column to its default."""

    name: str
    required: tuple[str, ...]
    optional: dict[str, str]
    mandatory_table: bool = False

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + tuple(self.optional)


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "officers",
        ("code", "name", "agency", "office"),
        {"skills": "", "contract_hours": "40", "cross_border": "no", "night_work": "yes", "email": ""},
        mandatory_table=True,
    ),
    TableSpec("leave", ("officer", "from", "to"), {"kind": "annual", "note": ""}),
    TableSpec("preferences", ("officer", "want"), {"date": "", "weekday": "", "shift": "", "weight": "1"}),
    TableSpec("demand", ("direction", "category", "day", "hour", "trucks"), {}, mandatory_table=True),
    TableSpec(
        "inspection_requests",
        ("reference", "direction", "category", "agencies", "duration_minutes", "expected_arrival", "notified_at"),
        {"capabilities": "", "max_wait_minutes": "", "priority": "", "reversal": "no"},
    ),
)
TABLE_BY_NAME = {table.name: table for table in TABLES}


@dataclass(frozen=True, slots=True)
class Row:
    source: str
    location: str  # "line 7" in a CSV file, "row 7" in a sheet
    values: dict[str, str]


@dataclass(slots=True)
class RawScenario:
    post_source: str
    post_text: str
    tables: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[InputProblem] = field(default_factory=list)
    # Tables whose header is unusable (a required column missing): their rows are unknown,
    # so nothing that refers to them can be checked.
    unreadable: set[str] = field(default_factory=set)


def read_source(path: Path) -> RawScenario:
    """Read the files; structural problems (missing file, bad header) are collected, not raised."""
    if path.is_dir():
        return _read_folder(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_workbook(path, post_from_sheet=True)
    raw = RawScenario(str(path), "")
    raw.problems.append(
        InputProblem(
            "PATH",
            f"{path} is neither a scenario folder nor an Excel workbook",
            "give a folder holding post.toml, or a .xlsx workbook",
            source=str(path),
        )
    )
    return raw


def _read_folder(folder: Path) -> RawScenario:
    post_path = folder / POST_FILE
    raw = RawScenario(POST_FILE, "")
    if not post_path.exists():
        raw.problems.append(
            InputProblem("post.toml", f"{folder} has no post.toml", "add post.toml (see docs/scenario-format.md)", source=str(folder))
        )
    else:
        raw.post_text = post_path.read_text(encoding="utf-8-sig")
    workbook = folder / WORKBOOK_FILE
    if workbook.exists():
        book = _read_workbook(workbook, post_from_sheet=False)
        clashes = [table.file_name for table in TABLES if (folder / table.file_name).exists()]
        for name in clashes:
            raw.problems.append(
                InputProblem(name, f"both {name} and {WORKBOOK_FILE} exist", f"keep one of them: the sheet or {name}", source=name)
            )
        raw.tables = book.tables
        raw.problems.extend(book.problems)
        raw.unreadable |= book.unreadable
        return raw
    for table in TABLES:
        file = folder / table.file_name
        if not file.exists():
            if table.mandatory_table:
                raw.problems.append(
                    InputProblem(table.file_name, "file is missing", f"add {table.file_name} with the columns {', '.join(table.required)}", source=table.file_name)
                )
            continue
        text = file.read_text(encoding="utf-8-sig")
        raw.tables[table.name] = csv_rows(table, text, table.file_name, raw)
    return raw


def csv_rows(table: TableSpec, text: str, source: str, raw: RawScenario) -> list[Row]:
    problems = raw.problems
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    rows: list[Row] = []
    for record in reader:
        line = reader.line_num
        if header is None:
            if not any(cell.strip() for cell in record):
                continue
            header = [cell.strip().lower() for cell in record]
            if not _check_header(table, header, source, f"line {line}", problems):
                raw.unreadable.add(table.name)
                return []
            continue
        if not any(cell.strip() for cell in record) or record[0].lstrip().startswith("#"):
            continue
        if len(record) > len(header):
            problems.append(
                InputProblem("(row)", f"{len(record)} values for {len(header)} columns", "remove the extra values or quote values that contain commas", source=source, location=f"line {line}")
            )
            continue
        values = {column: (record[i].strip() if i < len(record) else "") for i, column in enumerate(header)}
        rows.append(Row(source, f"line {line}", values))
    if header is None and table.mandatory_table:
        problems.append(InputProblem(table.file_name, "file is empty", f"start it with the header {','.join(table.required)}", source=source))
    return rows


def _check_header(table: TableSpec, header: list[str], source: str, location: str, problems: list[InputProblem]) -> bool:
    """Report every problem of a header; whether its rows can still be read. An unknown
    column is reported but its rows are read (the column ignored), so the rest of the
    table is still checked; a missing or repeated column makes every row ambiguous."""
    ok = True
    for column in table.required:
        if column not in header:
            problems.append(
                InputProblem(column, "required column is missing", f"add a column named {column!r}", source=source, location=location)
            )
            ok = False
    for column in header:
        if column not in table.columns:
            problems.append(
                InputProblem(column or "(blank)", "unknown column", f"use only {', '.join(table.columns)}", source=source, location=location)
            )
    duplicates = {column for column in header if header.count(column) > 1}
    for column in sorted(duplicates):
        problems.append(InputProblem(column or "(blank)", "column appears twice", "keep one, or name the blank columns", source=source, location=location))
        ok = False
    return ok


_SHEET_NAME = re.compile(r"[^a-z_]")


def _read_workbook(path: Path, *, post_from_sheet: bool) -> RawScenario:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    raw = RawScenario(f"{path.name}[post.toml]" if post_from_sheet else POST_FILE, "")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raw.problems.append(InputProblem(path.name, f"cannot read the workbook ({exc})", "save it as .xlsx from Excel or LibreOffice", source=path.name))
        return raw
    try:
        sheets = {_SHEET_NAME.sub("", name.strip().lower().replace(" ", "_").replace(".", "_")): book[name] for name in book.sheetnames}
        if post_from_sheet:
            sheet = sheets.get("post_toml")
            if sheet is None:
                raw.problems.append(InputProblem("post.toml", "the workbook has no 'post.toml' sheet", "add a sheet named post.toml holding the TOML text, one line per row in column A", source=path.name))
            else:
                raw.post_text = "\n".join("" if row[0] is None else str(row[0]) for row in sheet.iter_rows(max_col=1, values_only=True))
        for table in TABLES:
            sheet = sheets.get(table.name)
            source = f"{path.name}[{table.name}]"
            if sheet is None:
                if table.mandatory_table:
                    raw.problems.append(InputProblem(table.name, "sheet is missing", f"add a sheet named {table.name}", source=path.name))
                continue
            raw.tables[table.name] = sheet_rows(table, sheet, source, raw)
    finally:
        book.close()
    return raw


def sheet_rows(table: TableSpec, sheet, source: str, raw: RawScenario) -> list[Row]:  # type: ignore[no-untyped-def]
    header: list[str] | None = None
    rows: list[Row] = []
    for number, record in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_cell_text(value) for value in record]
        if header is None:
            if not any(cells):
                continue
            while cells and not cells[-1]:
                cells.pop()
            header = [cell.lower() for cell in cells]
            if not _check_header(table, header, source, f"row {number}", raw.problems):
                raw.unreadable.add(table.name)
                return []
            continue
        if not any(cells):
            continue
        values = {column: (cells[i] if i < len(cells) else "") for i, column in enumerate(header)}
        rows.append(Row(source, f"row {number}", values))
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
