"""Wall-clock times in an IANA zone to real (UTC) instants, and back.

Every engine reasons in UTC; people think in their office's local time. These helpers are
the single definition of how a local time that does not exist (spring forward) or exists
twice (fall back) maps to an instant, so that hours, rosters and inspections agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; raises ``ValueError`` naming it if tzdata does not know it."""
    if not name or name != name.strip():
        raise ValueError(f"unknown time zone {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def is_known_zone(name: str) -> bool:
    try:
        zone(name)
    except ValueError:
        return False
    return True


def known_zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def local_to_utc(day: date, minute_of_day: int, zone_name: str) -> datetime:
    """The UTC instant of ``minute_of_day`` minutes after local midnight of ``day`` on the wall clock.

    ``minute_of_day`` may exceed 1440 (a night shift's end on the next day). A wall time that
    does not exist (the hour skipped at spring forward) moves forward by the gap, as a clock
    on the wall would show it; one that exists twice takes its first occurrence.
    """
    tz = zone(zone_name)
    days, minute = divmod(minute_of_day, 1440)
    wall = datetime.combine(day + timedelta(days=days), time(minute // 60, minute % 60))
    aware = wall.replace(tzinfo=tz, fold=0)
    as_utc = aware.astimezone(UTC)
    # A skipped wall time does not survive the round trip; fold=0 then lands before the gap
    # on some platforms, so normalise by taking the later reading of the two folds.
    if as_utc.astimezone(tz).replace(tzinfo=None) != wall:
        later = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
        as_utc = max(as_utc, later)
    return as_utc


def utc_to_local(instant: datetime, zone_name: str) -> datetime:
    """``instant`` (aware) on the wall clock of ``zone_name``."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime: Juxta only converts aware UTC instants")
    return instant.astimezone(zone(zone_name))


@lru_cache(maxsize=64)
def local_grid(start: datetime, count: int, step: timedelta, zone_name: str) -> tuple[datetime, ...]:
    """The wall-clock time in ``zone_name`` of each of ``count`` grid instants ``step`` apart
    from ``start``. Cached: every part of a plan and every check of it reads the same grid."""
    tz = zone(zone_name)
    return tuple((start + index * step).astimezone(tz) for index in range(count))


def local_day_bounds(day: date, zone_name: str) -> tuple[datetime, datetime]:
    """UTC start and end of the local calendar day (23, 24 or 25 real hours)."""
    return local_to_utc(day, 0, zone_name), local_to_utc(day + timedelta(days=1), 0, zone_name)


def utc_offset_minutes(instant: datetime, zone_name: str) -> int:
    offset = utc_to_local(instant, zone_name).utcoffset()
    assert offset is not None
    return int(offset.total_seconds() // 60)
