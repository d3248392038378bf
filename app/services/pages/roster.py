"""The roster grid: officers by day, shift types as colours, rule costs and violations marked.

Marks come from the engines' own words: ``Plan.explanations`` (why a plan is blocked, or
what it pays) and each ``SolveRun.breakdown`` (the objective by rule, subject and day).
An entry whose subject names an officer (by staff number or name) lands on that officer's
row, on its day when it has one; the rest are listed under the grid for the whole post.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.services.errors import InputProblem, InvalidInput
from app.services.pages.common import check_days
from models import Agency, BorderPost, Leave, Officer, Plan, PlannedShift
from solver.timeutil import utc_to_local

MAX_DAYS = 42
PALETTE_SIZE = 8


@dataclass(frozen=True, slots=True)
class Mark:
    rule: str
    message: str
    cost: float
    blocking: bool  # an explanation of infeasibility, not a price paid


@dataclass(slots=True)
class Cell:
    day: date
    shift_code: str | None = None
    shift_name: str = ""
    colour: int | None = None
    night: bool = False
    hours: str = ""  # local start-end on the officer's clock
    leave: str | None = None
    marks: list[Mark] = field(default_factory=list)

    @property
    def cost(self) -> float:
        return sum(mark.cost for mark in self.marks)


@dataclass(slots=True)
class Row:
    officer: Officer
    agency_code: str
    side_code: str
    cells: list[Cell]
    minutes: int = 0
    marks: list[Mark] = field(default_factory=list)  # the officer's, without a day

    @property
    def cost(self) -> float:
        return sum(mark.cost for mark in self.marks) + sum(cell.cost for cell in self.cells)


@dataclass(slots=True)
class RosterGrid:
    plan: Plan | None
    days: list[date]
    rows: list[Row]
    legend: list[tuple[str, str, int, bool]]  # code, name, colour, night
    post_marks: list[tuple[str, Mark]]  # subject, mark: what concerns no visible officer
    agencies: list[Agency]

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan.version if self.plan else None,
            "days": [day.isoformat() for day in self.days],
            "officers": [
                {
                    "officer": row.officer.code, "name": row.officer.name, "agency": row.agency_code, "side": row.side_code,
                    "hours": round(row.minutes / 60, 2), "cost": row.cost,
                    "days": [
                        {"day": c.day.isoformat(), "shift": c.shift_code, "time": c.hours, "leave": c.leave, "marks": [_mark_dict(m) for m in c.marks]}
                        for c in row.cells
                    ],
                    "marks": [_mark_dict(m) for m in row.marks],
                }
                for row in self.rows
            ],
            "post_marks": [{"subject": subject, **_mark_dict(mark)} for subject, mark in self.post_marks],
        }


def _mark_dict(mark: Mark) -> dict[str, Any]:
    return {"rule": mark.rule, "message": mark.message, "cost": mark.cost, "blocking": mark.blocking}


def build_roster(
    session: Session, post: BorderPost, plan: Plan | None, *, first_day: date, days: int,
    agency: str | None, side: str | None, officer_visible: Callable[[Officer], bool],
) -> RosterGrid:
    check_days(days, maximum=MAX_DAYS)
    day_list = [first_day + timedelta(days=offset) for offset in range(days)]
    agencies = list(post.agencies)
    query = select(Officer).where(Officer.post_id == post.id).options(selectinload(Officer.agency).selectinload(Agency.side)).order_by(Officer.agency_id, Officer.code)
    problems = []
    if agency:
        chosen = next((a for a in agencies if a.code == agency), None)
        if chosen is None:
            problems.append(InputProblem("agency", f"{agency!r} is not an agency of {post.code}", "pick one from the list"))
        else:
            query = query.where(Officer.agency_id == chosen.id)
    if side:
        chosen_side = next((s for s in post.sides if s.code == side), None)
        if chosen_side is None:
            problems.append(InputProblem("side", f"{side!r} is not a side of {post.code}", "pick one from the list"))
        else:
            query = query.where(Officer.agency_id.in_([a.id for a in chosen_side.agencies]))
    if problems:
        raise InvalidInput(problems, "the roster filter is not valid")
    officers = [o for o in session.scalars(query) if officer_visible(o)]
    templates = {t.id: t for t in post.shift_templates}
    colours = {t.id: index % PALETTE_SIZE for index, t in enumerate(post.shift_templates)}
    shifts: dict[tuple[int, date], PlannedShift] = {}
    if plan is not None and officers:
        for shift in session.scalars(
            select(PlannedShift).where(PlannedShift.plan_id == plan.id, PlannedShift.officer_id.in_([o.id for o in officers]), PlannedShift.day >= day_list[0], PlannedShift.day <= day_list[-1])
        ):
            shifts[(shift.officer_id, shift.day)] = shift
    leave = _leave(session, officers, day_list[0], day_list[-1])
    rows = []
    for officer in officers:
        zone = officer.agency.side.timezone
        row = Row(officer, officer.agency.code, officer.agency.side.code, [])
        for day in day_list:
            cell = Cell(day, leave=leave.get((officer.id, day)))
            shift = shifts.get((officer.id, day))
            if shift is not None:
                template = templates[shift.template_id]
                cell.shift_code, cell.shift_name, cell.colour, cell.night = template.code, template.name, colours[template.id], template.night
                cell.hours = f"{utc_to_local(shift.start_at, zone):%H:%M}–{utc_to_local(shift.end_at, zone):%H:%M}"
                row.minutes += int((shift.end_at - shift.start_at).total_seconds() // 60)
            row.cells.append(cell)
        rows.append(row)
    post_marks = _place_marks(rows, _entries(plan))
    used = {cell.shift_code for row in rows for cell in row.cells if cell.shift_code}
    legend = [(t.code, t.name, colours[t.id], t.night) for t in templates.values() if t.code in used or not used]
    return RosterGrid(plan, day_list, rows, legend, post_marks, agencies)


def _leave(session: Session, officers: list[Officer], first: date, last: date) -> dict[tuple[int, date], str]:
    if not officers:
        return {}
    found = {}
    for item in session.scalars(select(Leave).where(Leave.officer_id.in_([o.id for o in officers]), Leave.end_date >= first, Leave.start_date <= last)):
        day = max(item.start_date, first)
        while day <= min(item.end_date, last):
            found[(item.officer_id, day)] = item.kind.value
            day += timedelta(days=1)
    return found


def _entries(plan: Plan | None) -> list[dict[str, Any]]:
    """Every explanation and breakdown entry of the plan, as dicts with at least a rule."""
    if plan is None:
        return []
    entries = [item for item in plan.explanations or [] if isinstance(item, dict)]
    for run in plan.runs:
        entries += [item for item in run.breakdown or [] if isinstance(item, dict)]
    return [item for item in entries if item.get("rule")]


def _place_marks(rows: list[Row], entries: Iterable[dict[str, Any]]) -> list[tuple[str, Mark]]:
    by_key: dict[str, Row] = {}
    for row in rows:
        by_key[row.officer.code.casefold()] = row
        by_key[row.officer.name.casefold()] = row
    cells = {(id(row), cell.day): cell for row in rows for cell in row.cells}
    unplaced: list[tuple[str, Mark]] = []
    seen: defaultdict[tuple[str, str, str, str], int] = defaultdict(int)
    for entry in entries:
        subject = str(entry.get("subject") or "")
        mark = Mark(str(entry["rule"]), str(entry.get("message") or ""), float(entry.get("cost") or 0), not entry.get("cost"))
        identity = (mark.rule, subject, str(entry.get("day")), mark.message)
        seen[identity] += 1
        if seen[identity] > 1 and not mark.cost:
            continue  # the same explanation reported by the plan and by its run
        row = _row_for(subject, by_key)
        if row is None:
            unplaced.append((subject, mark))
            continue
        day = _day(entry.get("day"))
        cell = cells.get((id(row), day)) if day else None
        if cell is not None:
            cell.marks.append(mark)
        elif day is None:
            row.marks.append(mark)
    return unplaced


def _row_for(subject: str, by_key: dict[str, Row]) -> Row | None:
    key = subject.casefold().strip()
    if key in by_key:
        return by_key[key]
    for token in re.findall(r"[\w-]+", key):
        if token in by_key:
            return by_key[token]
    return None


def _day(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None

