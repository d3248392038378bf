"""Turn local, wall-clock descriptions into the UTC facts a ``RosterProblem`` holds.

The service layer (and the synthetic posts of tests and benchmarks) describe shifts, leave
and demand the way people do: a template starting at 22:00 in the office's zone, leave from
3 to 5 May, four officers needed between 08:00 and 12:00. Every conversion to UTC goes
through ``solver.timeutil``, so a night shift across a DST change is as long as it really is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta

from solver.roster.problem import (
    Absence,
    IntervalCover,
    Office,
    Officer,
    PastShift,
    Shift,
    ShiftTemplate,
)
from solver.rules import HARD, Enforcement
from solver.timeutil import local_day_bounds, local_to_utc, utc_to_local

NIGHT_START_MINUTE = 22 * 60
NIGHT_END_MINUTE = 6 * 60
# EU Working Time Directive, art. 2: a night worker works at least three hours of night time.
NIGHT_WORK_MINUTES = 3 * 60


def night_minutes(start_minute: int, length_minutes: int) -> int:
    """Wall-clock minutes of [start, start + length) that fall between 22:00 and 06:00."""
    total = 0
    for minute in range(start_minute, start_minute + length_minutes):
        of_day = minute % 1440
        if of_day >= NIGHT_START_MINUTE or of_day < NIGHT_END_MINUTE:
            total += 1
    return total


def is_night_work(start_minute: int, length_minutes: int) -> bool:
    return night_minutes(start_minute, length_minutes) >= NIGHT_WORK_MINUTES


def shift_id(template_id: str, day: date) -> str:
    return f"{template_id}@{day.isoformat()}"


def _office_index(offices: Iterable[Office]) -> dict[str, Office]:
    return {office.id: office for office in offices}


def make_shifts(
    templates: Iterable[ShiftTemplate], offices: Iterable[Office], start: date, days: int
) -> tuple[Shift, ...]:
    """Every template's instance on every day of the horizon on which it runs."""
    by_id = _office_index(offices)
    shifts: list[Shift] = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        for template in templates:
            if day.weekday() in template.weekdays:
                shifts.append(instance(template, by_id[template.office_id], day))
    return tuple(shifts)


def instance(template: ShiftTemplate, office: Office, day: date) -> Shift:
    """The shift of ``template`` starting on local ``day`` of ``office``."""
    return Shift(
        id=shift_id(template.id, day),
        template_id=template.id,
        agency_id=template.agency_id,
        office_id=office.id,
        zone_side=office.zone_side,
        day=day,
        start=local_to_utc(day, template.start_minute, office.zone),
        end=local_to_utc(day, template.start_minute + template.length_minutes, office.zone),
        night=template.night,
        required_skills=template.required_skills,
    )


def past_shift(officer_id: str, template: ShiftTemplate, office: Office, day: date) -> PastShift:
    """A history entry: ``officer_id`` worked ``template`` on ``day`` before the horizon."""
    worked = instance(template, office, day)
    return PastShift(officer_id=officer_id, template_id=template.id, day=day,
                     start=worked.start, end=worked.end, night=worked.night)


def absence_for_days(officer: Officer, first_day: date, last_day: date,
                     reason: str = "leave") -> Absence:
    """Whole local days ``first_day``..``last_day`` of the officer's home zone."""
    start, _ = local_day_bounds(first_day, officer.zone)
    _, end = local_day_bounds(last_day, officer.zone)
    return Absence(officer_id=officer.id, start=start, end=end, reason=reason)


def interval_cover(
    office: Office,
    skill: str | None,
    start: date,
    days: int,
    required_at: Callable[[date, int], int],
    *,
    step_minutes: int = 30,
    under: Enforcement = HARD,
    over_weight: int = 0,
) -> tuple[IntervalCover, ...]:
    """Demand per ``step_minutes`` UTC interval over the horizon's local days at ``office``.

    ``required_at(local_day, local_minute_of_day)`` gives the officers needed in the interval
    starting then; intervals needing nobody and costing nothing when overstaffed are left out.
    """
    first, _ = local_day_bounds(start, office.zone)
    _, last = local_day_bounds(start + timedelta(days=days - 1), office.zone)
    step = timedelta(minutes=step_minutes)
    covers: list[IntervalCover] = []
    moment = first
    while moment < last:
        local = utc_to_local(moment, office.zone)
        required = required_at(local.date(), local.hour * 60 + local.minute)
        if required > 0 or over_weight > 0:
            covers.append(IntervalCover(
                office_id=office.id, skill=skill, start=moment.astimezone(UTC),
                end=(moment + step).astimezone(UTC), required=required, under=under,
                over_weight=over_weight))
        moment += step
    return tuple(covers)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware UTC instant, for building problems by hand."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)
