"""Writing a ``Scenario`` back out in the documented format (folder of TOML and CSV, or Excel).

Used by the synthetic generator and by exports of a loaded post; what it writes reads back
through ``validate`` to the same scenario.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import tomli_w

from app.services.scenario import spec
from app.services.scenario.source import POST_FILE, POST_SHEET, TABLE_BY_NAME, WORKBOOK_FILE
from app.services.scenario.values import WEEKDAYS, format_days, format_minute, format_window
from solver.timeutil import utc_to_local


def write_scenario(scenario: spec.Scenario, folder: Path, *, excel: bool = False, header_comment: str = "") -> None:
    """A scenario folder: ``post.toml`` plus one CSV per table, or plus one ``scenario.xlsx``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / POST_FILE).write_text(post_text(scenario, header_comment), encoding="utf-8")
    tables = table_rows(scenario)
    if excel:
        write_workbook(tables, folder / WORKBOOK_FILE)
        return
    write_tables(tables, folder)


def write_standalone_workbook(scenario: spec.Scenario, path: Path, *, header_comment: str = "") -> None:
    """The whole scenario in one ``.xlsx``: a ``post.toml`` sheet first, then one sheet per table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_workbook(table_rows(scenario), path, post_toml=post_text(scenario, header_comment))


def post_text(scenario: spec.Scenario, header_comment: str = "") -> str:
    text = tomli_w.dumps(post_document(scenario))
    if header_comment:
        text = "".join(f"# {line}\n" for line in header_comment.splitlines()) + "\n" + text
    return text


def write_tables(tables: dict[str, list[dict[str, str]]], folder: Path) -> None:
    """One CSV per table; optional tables without rows are left out."""
    for name, rows in tables.items():
        if not rows and not TABLE_BY_NAME[name].mandatory_table:
            continue
        with (folder / TABLE_BY_NAME[name].file_name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(TABLE_BY_NAME[name].columns), extrasaction="raise")
            writer.writeheader()
            writer.writerows(rows)


def write_workbook(tables: dict[str, list[dict[str, str]]], path: Path, *, post_toml: str | None = None) -> None:
    import pandas as pd

    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        if post_toml is not None:
            sheet = writer.book.create_sheet(POST_SHEET, 0)
            for number, line in enumerate(post_toml.splitlines(), start=1):
                cell = sheet.cell(row=number, column=1, value=line)
                # openpyxl reads a leading "=" as a formula; a TOML line is always text.
                cell.data_type = "s"
        for name, rows in tables.items():
            frame = pd.DataFrame(rows, columns=list(TABLE_BY_NAME[name].columns))
            frame.to_excel(writer, sheet_name=name, index=False)


def post_document(s: spec.Scenario) -> dict[str, Any]:
    p = s.post
    doc: dict[str, Any] = {
        "format": 1,
        "post": {
            "code": p.code, "name": p.name, "layout": p.layout, "description": p.description,
            "notice_period_hours": p.notice_period_hours, "urgent_notice_hours": p.urgent_notice_hours,
            "notice_policy": p.notice_policy, "notice_penalty": p.notice_penalty,
        },
        "sides": [_side(side) for side in s.sides],
        "skills": [{"code": k.code, "name": k.name} for k in s.skills],
        "agencies": [_agency(a) for a in s.agencies],
        "offices": [_office(o) for o in s.offices],
        "mandatory_windows": [_mandatory(w) for w in s.mandatory_windows],
        "hours_overrides": [_override(o) for o in s.hours_overrides],
        "shift_templates": [_template(t) for t in s.shift_templates],
        "resources": [_resource(r) for r in s.resources],
        "priority_classes": [_priority(c) for c in s.priority_classes],
        "cargo_categories": [_category(c) for c in s.categories],
        "rules": [_rule(r) for r in s.rules],
    }
    return {key: value for key, value in doc.items() if value != []}


def _side(side: spec.SideSpec) -> dict[str, Any]:
    labour = side.labour
    calendar: dict[str, str] = {"country": side.holiday_country}
    if side.holiday_subdivision:
        calendar["subdivision"] = side.holiday_subdivision
    return {
        "code": side.code, "country": side.country, "name": side.name, "timezone": side.timezone,
        "holidays": calendar, "weekend": [WEEKDAYS[d] for d in side.weekend],
        "labour": {
            "min_daily_rest_hours": labour.min_daily_rest_minutes / 60,
            "max_weekly_hours": labour.max_weekly_minutes / 60,
            "reference_period_weeks": labour.reference_period_weeks,
            "max_consecutive_days": labour.max_consecutive_days,
            "min_weekly_rest_hours": labour.min_weekly_rest_minutes / 60,
            "night_start": format_minute(labour.night_start_minute),
            "night_end": format_minute(labour.night_end_minute),
            "max_night_hours_per_24h": labour.max_night_minutes_per_24h / 60,
            "max_shift_hours": labour.max_shift_minutes / 60,
        },
    }


def _agency(a: spec.AgencySpec) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": a.code, "side": a.side, "kind": a.kind, "name": a.name, "lead": a.lead,
        "notice_working_days": a.notice_working_days, "notice_hours": a.notice_hours,
        "out_of_hours_fee_per_hour": a.out_of_hours_fee_per_hour, "currency": a.currency,
        "overtime_rate": a.overtime_rate, "staff_hour_cost": a.staff_hour_cost,
    }
    if a.derogation_notice_hours is not None:
        data["derogation_notice_hours"] = a.derogation_notice_hours
    return data


def _hours(rows: tuple[spec.DayWindows, ...]) -> list[dict[str, Any]]:
    return [{"days": format_days(row.weekdays), "windows": [format_window(w) for w in row.windows]} for row in rows]


def _office(o: spec.OfficeSpec) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": o.code, "agency": o.agency, "name": o.name, "host_side": o.host_side, "facility": o.facility,
        "joint_controls": o.joint_controls, "always_open": o.always_open, "on_holidays": o.on_holidays,
        "min_crew": o.min_crew, "trucks_per_officer_hour": o.trucks_per_officer_hour,
        "max_blocks_per_day": o.max_blocks_per_day, "min_block_minutes": o.min_block_minutes,
    }
    if o.counterpart:
        data["counterpart"] = o.counterpart
    if o.hours:
        data["hours"] = _hours(o.hours)
    return data


def _mandatory(w: spec.MandatoryWindowSpec) -> dict[str, Any]:
    data: dict[str, Any] = {"office": w.office, "kind": w.kind, "days": format_days(w.weekdays), "window": format_window(w.window)}
    if w.valid_from:
        data["from"] = w.valid_from
    if w.valid_to:
        data["to"] = w.valid_to
    if w.reason:
        data["reason"] = w.reason
    return data


def _override(o: spec.OverrideSpec) -> dict[str, Any]:
    return {"name": o.name, "scope": f"{o.scope_kind}:{o.scope_code}", "from": o.valid_from, "to": o.valid_to, "days": format_days(o.weekdays), "windows": [format_window(w) for w in o.windows], "confirmed": o.confirmed}


def _template(t: spec.ShiftTemplateSpec) -> dict[str, Any]:
    data: dict[str, Any] = {"code": t.code, "side": t.side, "name": t.name, "start": format_minute(t.start_minute), "hours": t.length_minutes / 60, "night": t.night, "handover_minutes": t.handover_minutes}
    if t.agencies:
        data["agencies"] = list(t.agencies)
    if t.weekdays != tuple(range(7)):
        data["days"] = format_days(t.weekdays)
    return data


def _resource(r: spec.ResourceSpec) -> dict[str, Any]:
    data: dict[str, Any] = {"code": r.code, "name": r.name, "host_side": r.host_side, "kind": r.kind, "capabilities": list(r.capabilities), "capacity": r.capacity, "always_open": r.always_open}
    if r.hours:
        data["hours"] = _hours(r.hours)
    return data


def _priority(c: spec.PriorityClassSpec) -> dict[str, Any]:
    data: dict[str, Any] = {"code": c.code, "name": c.name, "rank": c.rank, "quota": c.quota}
    if c.max_wait_minutes is not None:
        data["max_wait_hours"] = c.max_wait_minutes / 60
    return data


def _category(c: spec.CategorySpec) -> dict[str, Any]:
    data: dict[str, Any] = {"code": c.code, "name": c.name, "capabilities": list(c.capabilities)}
    if c.priority:
        data["priority"] = c.priority
    if c.max_wait_minutes is not None:
        data["max_wait_hours"] = c.max_wait_minutes / 60
    data["checks"] = [
        {k: v for k, v in {"agency": k.agency, "selection_rate": k.selection_rate, "inspection_minutes": k.inspection_minutes, "skill": k.skill}.items() if v is not None}
        for k in c.checks
    ]
    return data


def _rule(r: spec.RuleSpec) -> dict[str, Any]:
    data: dict[str, Any] = {"engine": r.engine, "rule": r.rule, "hard": r.hard, "weight": r.weight}
    if r.scope_kind:
        data["scope"] = f"{r.scope_kind}:{r.scope_code}"
    if r.value is not None:
        data["value"] = r.value
    return data


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def table_rows(s: spec.Scenario) -> dict[str, list[dict[str, str]]]:
    zone_of = {side.code: side.timezone for side in s.sides}
    return {
        "officers": [
            {"code": o.code, "name": o.name, "agency": o.agency, "office": o.office, "skills": ";".join(o.skills), "contract_hours": _number(o.contract_minutes_per_week / 60), "cross_border": _yes(o.cross_border), "night_work": _yes(o.night_work), "email": o.email}
            for o in s.officers
        ],
        "leave": [{"officer": period.officer, "from": period.start.isoformat(), "to": period.end.isoformat(), "kind": period.kind, "note": period.note} for period in s.leave],
        "preferences": [
            {"officer": p.officer, "want": p.want, "date": p.on_date.isoformat() if p.on_date else "", "weekday": WEEKDAYS[p.weekday] if p.weekday is not None else "", "shift": p.shift or "", "weight": str(p.weight)}
            for p in s.preferences
        ],
        "demand": [
            {"direction": f"{d.exit_side}>{d.entry_side}", "category": d.category, "day": d.on_date.isoformat() if d.on_date else WEEKDAYS[d.weekday or 0], "hour": str(d.hour), "trucks": _number(round(d.trucks, 3))}
            for d in s.demand
        ],
        "inspection_requests": [
            {
                "reference": r.reference, "direction": f"{r.exit_side}>{r.entry_side}", "category": r.category,
                "agencies": ";".join(r.agencies), "duration_minutes": str(r.duration_minutes),
                "expected_arrival": utc_to_local(r.expected_arrival, zone_of[r.exit_side]).isoformat(timespec="minutes"),
                "notified_at": utc_to_local(r.notified_at, zone_of[r.exit_side]).isoformat(timespec="minutes"),
                "capabilities": ";".join(r.capabilities), "max_wait_minutes": str(r.max_wait_minutes or ""),
                "priority": r.priority or "", "reversal": _yes(r.reversal_allowed),
            }
            for r in s.requests
        ],
    }
