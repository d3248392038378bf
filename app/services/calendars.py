"""Each side's calendar: public holidays (``holidays`` package), weekends and working days."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays as holiday_calendars

from models import Side


@lru_cache(maxsize=64)
def _calendar(country: str, subdivision: str | None, years: tuple[int, ...]) -> dict[date, str]:
    calendar = holiday_calendars.country_holidays(country, subdiv=subdivision, years=years)
    return dict(calendar.items())


def holidays_between(side: Side, start: date, end: date) -> dict[date, str]:
    """Public holidays of ``side`` from ``start`` to ``end`` inclusive, with their names."""
    years = tuple(range(start.year, end.year + 1))
    calendar = _calendar(side.holiday_country, side.holiday_subdivision, years)
    return {day: name for day, name in sorted(calendar.items()) if start <= day <= end}


def is_working_day(side: Side, day: date) -> bool:
    if day.weekday() in side.weekend_days:
        return False
    return day not in holidays_between(side, day, day)


def next_holidays(side: Side, today: date, count: int = 3) -> list[tuple[date, str]]:
    found = holidays_between(side, today, today + timedelta(days=366))
    return list(found.items())[:count]


def local_now(side: Side, now: datetime) -> datetime:
    from solver.timeutil import utc_to_local

    return utc_to_local(now, side.timezone)


def next_monday(today: date) -> date:
    """The Monday after ``today`` (a week later if today is a Monday): where plans start by default."""
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)
