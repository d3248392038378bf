"""What a post is made of, summarised for its overview page and the API."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.services.calendars import holidays_between, local_now, next_holidays
from models import Agency, BorderPost, Demand, Officer, Plan, Side
from solver.timeutil import utc_offset_minutes


@dataclass(frozen=True, slots=True)
class AgencySummary:
    code: str
    name: str
    kind: str
    officers: int
    offices: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SideSummary:
    code: str
    name: str
    country: str
    timezone: str
    local_time: datetime
    utc_offset_minutes: int
    holiday_today: str | None
    upcoming_holidays: tuple[tuple[date, str], ...]
    weekend_days: tuple[int, ...]
    agencies: tuple[AgencySummary, ...]


@dataclass(frozen=True, slots=True)
class PostSummary:
    code: str
    name: str
    layout: str
    description: str
    sides: tuple[SideSummary, ...]
    offset_between_sides_minutes: int
    officers: int
    resources: int
    trucks_per_week_by_direction: dict[str, float]
    latest_plan: Plan | None
    published_plan: Plan | None


def summarise(session: Session, post: BorderPost, now: datetime) -> PostSummary:
    officer_counts = Counter(
        dict(session.execute(select(Officer.agency_id, func.count()).where(Officer.post_id == post.id).group_by(Officer.agency_id)).all())
    )
    sides = tuple(_side_summary(side, now, officer_counts) for side in post.sides)
    offset = abs(sides[0].utc_offset_minutes - sides[1].utc_offset_minutes) if len(sides) == 2 else 0
    return PostSummary(
        code=post.code,
        name=post.name,
        layout=post.layout.value,
        description=post.description,
        sides=sides,
        offset_between_sides_minutes=offset,
        officers=sum(officer_counts.values()),
        resources=len(post.resources),
        trucks_per_week_by_direction=weekly_trucks(session, post),
        latest_plan=session.scalar(select(Plan).where(Plan.post_id == post.id).order_by(Plan.version.desc()).limit(1)),
        published_plan=session.scalar(select(Plan).where(Plan.post_id == post.id, Plan.status == "published").order_by(Plan.version.desc()).limit(1)),
    )


def _side_summary(side: Side, now: datetime, officer_counts: Counter[int]) -> SideSummary:
    local = local_now(side, now)
    today = local.date()
    return SideSummary(
        code=side.code,
        name=side.name,
        country=side.country,
        timezone=side.timezone,
        local_time=local,
        utc_offset_minutes=utc_offset_minutes(now, side.timezone),
        holiday_today=holidays_between(side, today, today).get(today),
        upcoming_holidays=tuple(next_holidays(side, today + timedelta(days=1))),
        weekend_days=tuple(side.weekend_days),
        agencies=tuple(_agency_summary(agency, officer_counts) for agency in side.agencies),
    )


def _agency_summary(agency: Agency, officer_counts: Counter[int]) -> AgencySummary:
    return AgencySummary(
        code=agency.code,
        name=agency.name,
        kind=agency.kind.value,
        officers=officer_counts.get(agency.id, 0),
        offices=tuple(office.code for office in agency.offices),
    )


def weekly_trucks(session: Session, post: BorderPost) -> dict[str, float]:
    """Expected trucks in a regular week (weekday profile), by direction ``EXIT>ENTRY``."""
    side_codes = {side.id: side.code for side in post.sides}
    rows = session.execute(
        select(Demand.exit_side_id, Demand.entry_side_id, func.sum(Demand.trucks))
        .where(Demand.post_id == post.id, Demand.weekday.is_not(None))
        .group_by(Demand.exit_side_id, Demand.entry_side_id)
    ).all()
    return {f"{side_codes[a]}>{side_codes[b]}": round(total, 1) for a, b, total in rows}
