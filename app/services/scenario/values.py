"""Parsing the small text formats people type into scenario files.

Each parser raises ``ValueError`` whose message says what was expected, so the validator
can report it next to the file, line and field.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from app.services.scenario.spec import Window
from solver.timeutil import local_to_utc

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_WINDOW = re.compile(r"^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*(\+1)?\s*$")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0", ""}


def parse_time(text: str) -> int:
    """``"07:30"`` -> 450 minutes after midnight; ``"24:00"`` is the end of the day."""
    match = _TIME.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a time; write HH:MM, e.g. 07:30")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes >= 60 or hours > 24 or (hours == 24 and minutes):
        raise ValueError(f"{text!r} is not a time of day between 00:00 and 24:00")
    return hours * 60 + minutes


def parse_window(text: str) -> Window:
    """``"07:00-12:00"``; a window past midnight says so: ``"22:00-06:00+1"``."""
    match = _WINDOW.match(str(text))
    if not match:
        raise ValueError(f"{text!r} is not a window; write HH:MM-HH:MM, e.g. 07:00-17:00")
    start, end = parse_time(match.group(1)), parse_time(match.group(2))
    if start == 1440:
        raise ValueError(f"{text!r} starts at 24:00; start it at 00:00 of the next day")
    if match.group(3):
        end += 1440
        if end - start > 1440:
            raise ValueError(f"{text!r} is longer than 24 hours")
    if end <= start:
        raise ValueError(
            f"window {text!r} ends before it starts; if it runs past midnight write "
            f"{match.group(1)}-{match.group(2)}+1"
        )
    return Window(start, end)


def format_minute(minute: int) -> str:
    return f"{minute // 60 % 24 if minute != 1440 else 24:02d}:{minute % 60:02d}"


def format_window(window: Window) -> str:
    end = window.end
    if end > 1440:
        return f"{format_minute(window.start)}-{format_minute(end - 1440)}+1"
    return f"{format_minute(window.start)}-{format_minute(end)}"


def parse_days(text: str) -> tuple[int, ...]:
    """``"mon-fri"``, ``"sat,sun"``, ``"daily"`` -> weekday numbers (0 = Monday)."""
    cleaned = str(text).strip().lower()
    if cleaned in ("daily", "all", "mon-sun"):
        return tuple(range(7))
    days: list[int] = []
    for part in cleaned.split(","):
        part = part.strip()
        if "-" in part:
            first, _, last = part.partition("-")
            a, b = _weekday(first), _weekday(last)
            if b < a:
                raise ValueError(f"day range {part!r} runs backwards; write it Monday first")
            days.extend(range(a, b + 1))
        else:
            days.append(_weekday(part))
    if len(set(days)) != len(days):
        raise ValueError(f"{text!r} names a day twice")
    return tuple(sorted(days))


def format_days(days: tuple[int, ...]) -> str:
    if days == tuple(range(7)):
        return "daily"
    if len(days) > 2 and days == tuple(range(days[0], days[-1] + 1)):
        return f"{WEEKDAYS[days[0]]}-{WEEKDAYS[days[-1]]}"
    return ",".join(WEEKDAYS[day] for day in days)


def _weekday(text: str) -> int:
    key = text.strip().lower()[:3]
    if key not in WEEKDAYS:
        raise ValueError(f"{text!r} is not a day; use mon, tue, wed, thu, fri, sat or sun")
    return WEEKDAYS.index(key)


def parse_weekday(text: str) -> int:
    return _weekday(text)


def parse_bool(text: object) -> bool:
    if isinstance(text, bool):
        return text
    cleaned = str(text).strip().lower()
    if cleaned in _TRUE:
        return True
    if cleaned in _FALSE:
        return False
    raise ValueError(f"{text!r} is not yes or no")


def parse_date(text: object) -> date:
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date; write YYYY-MM-DD, e.g. 2026-12-01") from None


def parse_instant(text: object, zone_name: str) -> datetime:
    """A local date and time in ``zone_name`` (or one with an explicit offset) -> UTC."""
    if isinstance(text, datetime):
        value = text
    else:
        try:
            value = datetime.fromisoformat(str(text).strip().replace(" ", "T", 1))
        except ValueError:
            raise ValueError(
                f"{text!r} is not a date and time; write YYYY-MM-DDTHH:MM in local time"
            ) from None
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    return local_to_utc(value.date(), value.hour * 60 + value.minute, zone_name)


def parse_list(text: object) -> tuple[str, ...]:
    """``"scanner; vet"`` -> ``("scanner", "vet")``; a list from TOML passes through."""
    if isinstance(text, list | tuple):
        return tuple(str(item).strip() for item in text if str(item).strip())
    return tuple(part.strip() for part in str(text).replace(",", ";").split(";") if part.strip())
