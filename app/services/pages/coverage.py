"""Coverage: officers each office needs per interval against those the roster puts there.

One row per office and required skill, one column per interval of the plan's staffing needs,
coloured by the gap (short, met, over). Intervals are the plan's own, so a plan that sizes
demand per half hour shows half hours.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.services.pages.common import Clock, check_days
from models import BorderPost, Office, Plan, StaffingNeed

MAX_DAYS = 7


@dataclass(frozen=True, slots=True)
class CoverageCell:
    required: int
    staffed: int

    @property
    def gap(self) -> int:
        return self.staffed - self.required

    @property
    def state(self) -> str:
        if self.required == 0 and self.staffed == 0:
            return "idle"
        return "short" if self.gap < 0 else "met" if self.gap == 0 else "over"

    @property
    def level(self) -> int:
        """How strong the colour is, 0-4: a shortfall of half the need is as dark as it gets."""
        if self.required == 0:
            return min(4, self.staffed)
        return min(4, round(abs(self.gap) / max(1, self.required) * 8))


@dataclass(slots=True)
class CoverageRow:
    office: Office
    skill: str
    cells: dict[datetime, CoverageCell] = field(default_factory=dict)
    short_officer_hours: float = 0.0


@dataclass(slots=True)
class Coverage:
    plan: Plan | None
    clock: Clock
    columns: list[tuple[datetime, datetime]]
    rows: list[CoverageRow]

    @property
    def short_officer_hours(self) -> float:
        return sum(row.short_officer_hours for row in self.rows)

    def label(self, instant: datetime) -> str:
        return f"{self.clock.local(instant):%a %H:%M}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan.version if self.plan else None,
            "zone": self.clock.zone,
            "short_officer_hours": round(self.short_officer_hours, 2),
            "rows": [
                {
                    "office": row.office.code, "skill": row.skill or None, "short_officer_hours": round(row.short_officer_hours, 2),
                    "intervals": [{"start": start.isoformat(), "end": end.isoformat(), "required": row.cells[start].required, "staffed": row.cells[start].staffed} for start, end in self.columns if start in row.cells],
                }
                for row in self.rows
            ],
        }


def build_coverage(
    session: Session, post: BorderPost, plan: Plan | None, *, first_day: date, days: int, clock: Clock,
    office_visible: Callable[[Office], bool],
) -> Coverage:
    check_days(days, maximum=MAX_DAYS)
    start, end = clock.day_range(first_day, days)
    if plan is None:
        return Coverage(None, clock, [], [])
    needs = session.scalars(
        select(StaffingNeed).where(StaffingNeed.plan_id == plan.id, StaffingNeed.end_at > start, StaffingNeed.start_at < end)
        .options(selectinload(StaffingNeed.office), selectinload(StaffingNeed.skill)).order_by(StaffingNeed.start_at)
    ).all()
    rows: dict[tuple[int, str], CoverageRow] = {}
    columns: dict[datetime, datetime] = {}
    for need in needs:
        if not office_visible(need.office):
            continue
        skill = need.skill.name if need.skill else ""
        row = rows.setdefault((need.office_id, skill), CoverageRow(need.office, skill))
        row.cells[need.start_at] = CoverageCell(need.required, need.staffed)
        if need.staffed < need.required:
            row.short_officer_hours += (need.required - need.staffed) * (need.end_at - need.start_at).total_seconds() / 3600
        columns.setdefault(need.start_at, need.end_at)
    order = {office.id: index for index, office in enumerate(post.offices)}
    return Coverage(
        plan, clock, sorted(columns.items()),
        sorted(rows.values(), key=lambda row: (order.get(row.office.id, 0), row.skill)),
    )
