"""Working-day deadlines in an agency's own calendar and clock.

A notice period of *n working days* (one working day for an EU CHED pre-notification) is met
once n whole days of wall-clock time have passed on working days of the receiving agency's
side: days of its IANA zone that are neither weekend days nor holidays. Time on weekends and
holidays does not count; a 23- or 25-hour day at a DST change counts as one day, because people
count notice in days on their own clock. So a notice given Friday 15:00 in Sofia with a one-day
period runs out Monday 15:00 Sofia time; one given on Saturday runs out at Tuesday 00:00.

The calculator is pure: holidays come in as dates (the service layer takes them from the
``holidays`` package or the post's own list, which may confirm lunar dates late).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta

from solver.timeutil import local_to_utc, utc_to_local

# A calendar without a single working day in ten years is a data error, not a long notice.
_SEARCH_LIMIT_DAYS = 3660


def is_working_day(day: date, weekend_days: Collection[int], holidays: Collection[date]) -> bool:
    """``weekend_days`` uses Python's weekday numbers: 0 is Monday, 6 is Sunday."""
    return day.weekday() not in weekend_days and day not in holidays


def add_working_days(
    start: datetime,
    days: int,
    *,
    zone: str,
    weekend_days: Collection[int],
    holidays: Collection[date],
) -> datetime:
    """The UTC instant at which ``days`` working days have passed since ``start``."""
    if days < 0:
        raise ValueError("a notice period cannot be negative")
    if days == 0:
        return start
    wall = utc_to_local(start, zone).replace(tzinfo=None)
    remaining = timedelta(days=days)
    cursor = wall
    for _ in range(_SEARCH_LIMIT_DAYS + days):
        next_midnight = datetime.combine(cursor.date() + timedelta(days=1), time())
        if is_working_day(cursor.date(), weekend_days, holidays):
            available = next_midnight - cursor
            if remaining <= available:
                return _wall_to_utc(cursor + remaining, zone)
            remaining -= available
        cursor = next_midnight
    raise ValueError(f"no working day within {_SEARCH_LIMIT_DAYS} days in the calendar of {zone}")


def _wall_to_utc(wall: datetime, zone: str) -> datetime:
    below_minute = timedelta(seconds=wall.second, microseconds=wall.microsecond)
    return local_to_utc(wall.date(), wall.hour * 60 + wall.minute, zone) + below_minute
