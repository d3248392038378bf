"""Time ranges, zones and offsets shared by the page builders.

Pages show instants on one clock the user picks: either side's IANA zone or UTC. Everything
here goes through ``solver.timeutil`` so that a DST switch inside a range is handled once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from app.services.errors import InputProblem, InvalidInput
from models import BorderPost, Side
from solver.timeutil import local_day_bounds, utc_offset_minutes, utc_to_local

UTC_CHOICE = "UTC"
# Zone changes are found by sampling; every real-world switch lands on a quarter hour.
_OFFSET_SAMPLE = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Clock:
    """The clock a page is shown in: a side's zone or UTC."""

    choice: str  # "UTC" or a side code
    zone: str
    label: str

    def local(self, instant: datetime) -> datetime:
        return utc_to_local(instant, self.zone)

    def day_range(self, first: date, days: int) -> tuple[datetime, datetime]:
        """UTC bounds of ``days`` local days from ``first`` on this clock."""
        return local_day_bounds(first, self.zone)[0], local_day_bounds(first + timedelta(days=days - 1), self.zone)[1]


@dataclass(frozen=True, slots=True)
class OffsetChange:
    """A zone's UTC offset changes at ``at`` (a DST switch or a change of the zone's rules)."""

    zone: str
    at: datetime
    before_minutes: int
    after_minutes: int

    @property
    def message(self) -> str:
        return f"{self.zone} moves from {format_offset(self.before_minutes)} to {format_offset(self.after_minutes)}"


def clock_for(post: BorderPost, choice: str | None, default_side: Side | None = None) -> Clock:
    """The clock named ``choice`` (``UTC`` or a side code); unknown names are bad input."""
    if not choice:
        side = default_side or post.sides[0]
        return Clock(side.code, side.timezone, f"{side.name} time ({side.timezone})")
    if choice.upper() == UTC_CHOICE:
        return Clock(UTC_CHOICE, "UTC", "UTC")
    for side in post.sides:
        if side.code == choice:
            return Clock(side.code, side.timezone, f"{side.name} time ({side.timezone})")
    codes = ", ".join([UTC_CHOICE, *(side.code for side in post.sides)])
    raise InvalidInput([InputProblem("zone", f"{choice!r} is neither UTC nor a side of {post.code}", f"use one of {codes}")])


def format_offset(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def offset_changes(zone: str, start: datetime, end: datetime) -> list[OffsetChange]:
    """Every change of ``zone``'s UTC offset in ``[start, end)``, to the quarter hour."""
    changes: list[OffsetChange] = []
    instant = start.astimezone(UTC)
    previous = utc_offset_minutes(instant, zone)
    while instant < end:
        following = instant + _OFFSET_SAMPLE
        current = utc_offset_minutes(following, zone)
        if current != previous:
            changes.append(OffsetChange(zone, following, previous, current))
            previous = current
        instant = following
    return changes


def post_day_range(post: BorderPost, first: date, days: int) -> tuple[datetime, datetime]:
    """UTC span that covers ``days`` local days from ``first`` on every side's clock."""
    spans = [local_day_bounds(first, side.timezone)[0] for side in post.sides]
    ends = [local_day_bounds(first + timedelta(days=days - 1), side.timezone)[1] for side in post.sides]
    return min(spans), max(ends)


def overlaps(start: datetime, end: datetime, range_start: datetime, range_end: datetime) -> bool:
    return start < range_end and end > range_start


def check_days(days: int, *, maximum: int, field: str = "days") -> None:
    if not 1 <= days <= maximum:
        raise InvalidInput([InputProblem(field, f"{days} is out of range", f"show between 1 and {maximum} days")])
