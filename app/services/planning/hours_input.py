"""A post's rows as the opening-hours engine's problem.

Everything the engine needs is resolved here, once: each side's holidays from the
``holidays`` package, each office's regular hours with date-ranged overrides, mandatory and
never-open windows turned into UTC windows, staffing capacity from the officer pool, cargo
flows from the hourly demand profile, what is published and the notice owed for changes.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime, timedelta
from statistics import mean
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.calendars import holidays_between
from app.services.errors import InputProblem, InvalidInput
from app.services.planning.settings import RuleBook
from models import (
    AgencyKind,
    BorderPost,
    CargoCategory,
    Demand,
    HolidayPolicy,
    HoursOverride,
    Office,
    Officer,
    Plan,
    PlanStatus,
    PostLayout,
    WindowKind,
)
from models import (
    NoticePolicy as NoticeSetting,
)
from solver.hours import problem as hp
from solver.hours.capacity import staffing_capacity
from solver.rules import HARD, Enforcement
from solver.timeutil import local_day_bounds, local_to_utc

# What a truck-hour of waiting costs, in the post's planning currency (see
# ``planning_currency_rates``): a driver and a tractor unit, more for cargo that spoils or
# suffers [A].
WAITING_COST_BY_PRIORITY = {"live_animals": 150, "perishable": 80, "aeo": 50, "regular": 40}
DEFAULT_WAITING_COST = 40
MAX_WAIT_WEIGHT = 200  # per truck-hour beyond a category's maximum wait
# Share of the officer pool present on an average day (leave, sickness, training) [A].
AVAILABILITY = 0.85
# Customs and immigration handle every truck; other agencies the categories that need them.
EVERY_TRUCK = (AgencyKind.CUSTOMS, AgencyKind.IMMIGRATION)


def _quarter(minute: int, *, up: bool) -> int:
    return -(-minute // 15) * 15 if up else minute // 15 * 15


def local_window(start: int, end: int) -> hp.LocalWindow:
    """A stored window on the engine's quarter-hour grid (opening rounded down, closing up)."""
    start_q, end_q = _quarter(start, up=False), _quarter(end, up=True)
    return hp.LocalWindow(start_minute=start_q, end_minute=min(end_q, start_q + 1440))


def weekly_hours(office: Office) -> hp.WeeklyHours:
    days: list[list[hp.LocalWindow]] = [[] for _ in range(7)]
    for row in office.weekly_hours:
        days[row.weekday].append(local_window(row.start_minute, row.end_minute))
    if office.always_open:
        return hp.WeeklyHours.around_the_clock()
    holidays = None if office.on_holidays == HolidayPolicy.OPEN else ()
    return hp.WeeklyHours(days=tuple(tuple(sorted(d, key=lambda w: w.start_minute)) for d in days), holidays=holidays)


def _override_applies(row: HoursOverride, office: Office) -> bool:
    """An override names an office, its agency or its side."""
    return (
        row.office_id == office.id
        or row.agency_id == office.agency_id
        or (row.side_id is not None and row.side_id == office.agency.side_id)
    )


def _overrides(office: Office, rows: list[HoursOverride], regular: hp.WeeklyHours) -> tuple[hp.HoursOverride, ...]:
    result = []
    for row in rows:
        if not _override_applies(row, office):
            continue
        special = tuple(local_window(start, end) for start, end in row.windows)
        days = tuple(special if weekday in row.weekdays else regular.days[weekday] for weekday in range(7))
        label = row.name if row.confirmed else f"{row.name} (dates estimated)"
        result.append(hp.HoursOverride(label=label, first_day=row.valid_from, last_day=row.valid_to, hours=hp.WeeklyHours(days=days, holidays=regular.holidays)))
    return tuple(result)


def _windows(office: Office, kind: WindowKind, first_day: date, days: int) -> tuple[hp.TimeWindow, ...]:
    result: list[hp.TimeWindow] = []
    for row in office.windows:
        if row.kind != kind:
            continue
        window = local_window(row.start_minute, row.end_minute)
        for offset in range(-1, days + 1):
            day = first_day + timedelta(days=offset)
            if day.weekday() not in row.weekdays:
                continue
            if (row.valid_from and day < row.valid_from) or (row.valid_to and day > row.valid_to):
                continue
            start = local_to_utc(day, window.start_minute, office.timezone)
            end = local_to_utc(day, window.end_minute, office.timezone)
            if end > start:
                label = row.reason or ("must be open" if kind == WindowKind.MUST_OPEN else "never open")
                result.append(hp.TimeWindow(start=start, end=end, label=label))
    return tuple(result)


def checking_office(post: BorderPost, offices: list[Office], exit_code: str, entry_code: str) -> Office:
    """The office of an agency that handles trucks going ``exit_code`` -> ``entry_code``.

    In a two-facility one-stop post, each country hosts the traffic entering it, so the
    control happens in the facility on the entry side (the exit country's officers work
    there as adjoining-state officers); elsewhere each agency works on its own side.
    """
    if len(offices) == 1:
        return offices[0]
    host = entry_code if post.layout == PostLayout.TWO_FACILITY else None
    for office in offices:
        if host is not None and office.host_side.code == host:
            return office
    for office in offices:
        if office.host_side_id == office.agency.side_id:
            return office
    return offices[0]


def build_hours_problem(
    session: Session,
    post: BorderPost,
    first_day: date,
    days: int,
    *,
    now: datetime,
    neighbour_closures: tuple[hp.NeighbourClosure, ...] = (),
) -> hp.HoursProblem:
    rules = RuleBook(post, "hours")
    last_day = first_day + timedelta(days=days - 1)
    sides = tuple(
        hp.Side(
            code=side.code,
            name=side.name,
            holidays=tuple(hp.Holiday(day=d, name=n) for d, n in holidays_between(side, first_day - timedelta(days=2), last_day + timedelta(days=3)).items()),
            weekend_days=frozenset(side.weekend_days),
        )
        for side in post.sides
    )
    officers_by_office: dict[int, list[Officer]] = defaultdict(list)
    for officer in session.scalars(select(Officer).where(Officer.post_id == post.id)):
        officers_by_office[officer.office_id].append(officer)
    handover_by_agency = _handover_by_agency(post)
    overrides = list(post.hours_overrides)
    rates = planning_currency_rates(post, rules)
    offices = tuple(
        _office(office, rules, overrides, officers_by_office[office.id], handover_by_agency.get(office.agency.code, 0), first_day, days, rates[office.agency.currency])
        for office in post.offices
    )
    return hp.HoursProblem(
        post=post.code,
        first_day=first_day,
        days=days,
        sides=sides,
        offices=offices,
        flows=build_flows(session, post, first_day, days, rules),
        published=_published(session, post, first_day, days),
        notice=hp.NoticePolicy(
            now=now,
            notice_hours=post.notice_period_hours,
            enforcement=HARD if post.notice_policy == NoticeSetting.FORBID else Enforcement.soft(post.notice_penalty),
        ),
        neighbour_closures=neighbour_closures,
        **staff_hour_budget(rules, days),
    )


def staff_hour_budget(rules: RuleBook, days: int) -> dict[str, Any]:
    """The post's staff-hour budget over the plan, from the hours rule ``staff_budget`` (value
    ``{ officer_hours_per_week = N }``, hard, or soft with a weight per officer-hour beyond
    it); no budget when the post sets none. A week's budget scales with the horizon, so one
    setting serves plans of 1 to 12 weeks."""
    setting = rules.get("staff_budget", default=None)
    if setting is None:
        return {}
    per_week = setting.value.get("officer_hours_per_week")
    if not isinstance(per_week, (int, float)) or isinstance(per_week, bool) or per_week < 0:
        raise InvalidInput([InputProblem(
            "rules.hours.staff_budget.value.officer_hours_per_week",
            f"is {per_week!r}, not a number of officer-hours",
            "give the officer-hours the post may staff in a week, for instance officer_hours_per_week = 6000",
        )])
    return {"staff_hours_budget": math.floor(per_week * days / 7), "staff_budget_rule": setting.enforcement}


def neighbour_closures(session: Session, post: BorderPost, first_day: date, days: int) -> tuple[hp.NeighbourClosure, ...]:
    """What neighbouring administrations announced for their sides (imported iCalendar files)."""
    from app.services.ics_import import closures

    result = []
    for side in post.sides:
        start, _ = local_day_bounds(first_day - timedelta(days=1), side.timezone)
        _, end = local_day_bounds(first_day + timedelta(days=days + 1), side.timezone)
        for row in closures(session, side, start, end):
            on_grid_start = _floor_quarter(max(row.start_at, start))
            on_grid_end = _ceil_quarter(min(row.end_at, end))
            if on_grid_end > on_grid_start:
                result.append(hp.NeighbourClosure(side=side.code, start=on_grid_start, end=on_grid_end, label=row.summary or "announced closure"))
    return tuple(result)


def _floor_quarter(instant: datetime) -> datetime:
    return instant - timedelta(minutes=instant.minute % 15, seconds=instant.second, microseconds=instant.microsecond)


def _ceil_quarter(instant: datetime) -> datetime:
    floored = _floor_quarter(instant)
    return floored if floored == instant else floored + timedelta(minutes=15)


def _handover_by_agency(post: BorderPost) -> dict[str, int]:
    result: dict[str, int] = {}
    for template in post.shift_templates:
        agencies = template.agency_codes or [a.code for a in template.side.agencies]
        for code in agencies:
            result[code] = max(result.get(code, 0), template.handover_minutes)
    return result


# Staffing capacity is estimated from head counts, contracts and an availability rate, not
# from a roster: opening beyond it costs (per hour beyond) unless a post makes it hard, and
# the roster engine then says who covers the hours or what is short.
STAFFING_BEYOND_CAPACITY_COST = 500


def opening_step(office: Office, overrides: list[HoursOverride]) -> int:
    """The clock step the office opens and closes on: whole hours when all its configured
    times (regular hours, date-ranged hours, mandatory and never-open windows) are on the hour,
    else half hours, else quarter hours. Posts publish hours that way, and a coarser step
    gives the engine fewer, more meaningful choices, which is what lets it search a month."""
    minutes = [m for row in office.weekly_hours for m in (row.start_minute, row.end_minute)]
    minutes += [m for row in office.windows for m in (row.start_minute, row.end_minute)]
    minutes += [m for row in overrides if _override_applies(row, office) for start, end in row.windows for m in (start, end)]
    for step in (60, 30):
        if all(minute % step == 0 for minute in minutes):
            return step
    return 15


def _staffing_rule(rules: RuleBook, scope: dict[str, int]) -> Enforcement:
    resolved = rules.get("staffing_week", default=Enforcement.soft(STAFFING_BEYOND_CAPACITY_COST), **scope)
    assert resolved is not None
    return resolved.enforcement


def planning_currency_rates(post: BorderPost, rules: RuleBook) -> dict[str, float]:
    """What one unit of each agency's currency is worth in the post's planning currency.

    Agencies keep their own currency (a Turkish office's staff cost and fees in TRY), but the
    engine weighs staff hours, fees and truck waiting against each other, so every amount is
    converted once, here. The hours rule ``staff_hours`` names the planning currency and the
    rates (``value = { currency = "EUR", rates = { TRY = 0.027 } }``); a post whose agencies all
    use one currency needs neither.
    """
    setting = rules.get("staff_hours", default=HARD)
    value = setting.value if setting else {}
    used = sorted({agency.currency for agency in post.agencies})
    planning = str(value.get("currency") or (used[0] if len(used) == 1 else ""))
    given = value.get("rates") or {}
    if not isinstance(given, dict):
        raise InvalidInput([InputProblem("rules.hours.staff_hours.value.rates", "is not a table of currency rates", 'give rates = { TRY = 0.027 }: units of the planning currency per unit of each currency')])
    if not planning:
        raise InvalidInput([InputProblem(
            "rules.hours.staff_hours.value.currency",
            f"the agencies of {post.code} use {', '.join(used)}, and no planning currency is set to weigh their costs against each other",
            f'add an hours rule staff_hours with value = {{ currency = "{used[0]}", rates = {{ {", ".join(f"{code} = ..." for code in used[1:])} }} }}',
        )])
    rates: dict[str, float] = {planning: 1.0}
    problems = []
    for code in used:
        if code == planning:
            continue
        rate = given.get(code)
        if not isinstance(rate, (int, float)) or isinstance(rate, bool) or rate <= 0:
            problems.append(InputProblem(
                f"rules.hours.staff_hours.value.rates.{code}",
                f"agencies of {post.code} pay in {code}, which has no positive rate to the planning currency {planning}",
                f"give rates.{code}: how many {planning} one {code} is worth",
            ))
            continue
        rates[code] = float(rate)
    if problems:
        raise InvalidInput(problems)
    return rates


def _office(office: Office, rules: RuleBook, overrides: list[HoursOverride], officers: list[Officer], handover: int, first_day: date, days: int, rate: float) -> hp.Office:
    agency, side = office.agency, office.agency.side
    scope = {"side_id": side.id, "agency_id": agency.id}
    regular = weekly_hours(office)
    share = rules.get("correlation_share", **scope, default=None, default_value={"min_share_percent": 0})
    overlap = rules.get("correlation_overlap", **scope, default=None, default_value={"min_overlap_minutes": 0})
    correlation = None
    if office.counterpart_id is not None:
        correlation = hp.CorrelationRule(
            min_share_percent=int((share.value if share else {}).get("min_share_percent", 60)),
            share=share.enforcement if share else Enforcement.soft(30),
            min_overlap_minutes=int((overlap.value if overlap else {}).get("min_overlap_minutes", 240)),
            overlap=overlap.enforcement if overlap else HARD,
        )
    contract = mean(o.contract_minutes_per_week for o in officers) if officers else 0
    staffing = staffing_capacity(
        officers=len(officers),
        crew=office.min_crew,
        contract_minutes_per_week=int(min(contract, side.max_weekly_minutes)),
        max_shift_minutes=side.max_shift_minutes,
        min_daily_rest_minutes=side.min_daily_rest_minutes,
        handover_minutes=handover,
        availability=AVAILABILITY,
        enforcement=_staffing_rule(rules, scope),
    )
    staff_hour_cost = float(agency.staff_hour_cost) * rate
    premium = staff_hour_cost * max(agency.overtime_rate - 1, 0) + float(agency.out_of_hours_fee_per_hour) * rate
    return hp.Office(
        id=office.code,
        name=office.name,
        agency_id=agency.code,
        agency_kind=agency.kind.value,
        agency_name=agency.name,
        side=side.code,
        zone=office.timezone,
        regular_hours=regular,
        counterpart_id=office.counterpart.code if office.counterpart is not None else None,
        joint_controls=office.joint_controls,
        joint_controls_rule=rules.enforcement("joint_controls", **scope),
        correlation=correlation,
        overrides=_overrides(office, overrides, regular),
        always_open=office.always_open,
        mandatory=_windows(office, WindowKind.MUST_OPEN, first_day, days),
        never_open=_windows(office, WindowKind.NEVER_OPEN, first_day, days),
        blocks=hp.BlockRules(
            max_blocks_per_day=office.max_blocks_per_day,
            min_block_minutes=_quarter(office.min_block_minutes, up=True),
            min_fragment_minutes=60,
            block_cost=int(rules.value("fragmentation", "cost_per_block", 20, **scope)),  # type: ignore[arg-type]
        ),
        staffing=staffing,
        crew=office.min_crew,
        step_minutes=opening_step(office, overrides),
        officer_hour_cost=round(staff_hour_cost),
        out_of_hours_premium=round(premium),
    )


def build_flows(session: Session, post: BorderPost, first_day: date, days: int, rules: RuleBook) -> tuple[hp.CargoFlow, ...]:
    """One flow per direction and cargo category, with arrivals from the hourly profile."""
    side_by_id = {side.id: side for side in post.sides}
    offices_of: dict[int, list[Office]] = defaultdict(list)
    for office in post.offices:
        offices_of[office.agency_id].append(office)
    every_truck = [agency for agency in post.agencies if agency.kind in EVERY_TRUCK]
    rows = session.scalars(select(Demand).where(Demand.post_id == post.id)).all()
    profile: dict[tuple[int, int, int], dict[tuple[object, int], float]] = defaultdict(dict)
    for row in rows:
        key = (row.exit_side_id, row.entry_side_id, row.category_id)
        profile[key][(row.on_date if row.on_date else row.weekday, row.hour)] = row.trucks
    categories = {category.id: category for category in post.categories}
    flows = []
    for (exit_id, entry_id, category_id), hours in sorted(profile.items()):
        exit_side, entry_side = side_by_id[exit_id], side_by_id[entry_id]
        category: CargoCategory = categories[category_id]
        arrivals = _arrivals(hours, exit_side.timezone, first_day, days)
        if not arrivals:
            continue
        checks: dict[str, hp.AgencyCheck] = {}
        for agency in every_truck:
            office = checking_office(post, offices_of[agency.id], exit_side.code, entry_side.code)
            checks[office.code] = hp.AgencyCheck(office_id=office.code, document_minutes=60 / office.trucks_per_officer_hour)
        for check in category.checks:
            if not offices_of[check.agency_id]:
                continue
            office = checking_office(post, offices_of[check.agency_id], exit_side.code, entry_side.code)
            document = 60 / office.trucks_per_officer_hour
            checks[office.code] = hp.AgencyCheck(
                office_id=office.code,
                selection_rate=check.selection_rate,
                document_minutes=document,
                inspection_minutes=check.inspection_minutes,
                skill=check.skill.code if check.skill else None,
            )
        lead = next(
            (code for code, _ in checks.items() if any(o.code == code and o.agency.kind == AgencyKind.CUSTOMS and o.agency.side_id == entry_id for o in post.offices)),
            None,
        )
        priority = category.priority_class.code if category.priority_class else "regular"
        max_wait = category.max_wait_minutes or (category.priority_class.max_wait_minutes if category.priority_class else None)
        dependency = rules.get("dependency", default=Enforcement.soft(50))
        flows.append(hp.CargoFlow(
            id=f"{exit_side.code}>{entry_side.code}:{category.code}",
            category=category.code,
            exit_side=exit_side.code,
            entry_side=entry_side.code,
            checks=tuple(checks.values()),
            arrivals=arrivals,
            waiting_cost_per_truck_hour=int(rules.value("waiting", priority, WAITING_COST_BY_PRIORITY.get(priority, DEFAULT_WAITING_COST))),  # type: ignore[arg-type]
            max_wait_minutes=_quarter(max_wait, up=True) if max_wait else None,
            max_wait=Enforcement.soft(MAX_WAIT_WEIGHT),
            lead_office_id=lead if dependency and len(checks) > 1 else None,
            dependency=dependency.enforcement if dependency and lead and len(checks) > 1 else None,
        ))
    return tuple(flows)


def _arrivals(hours: dict[tuple[object, int], float], zone_name: str, first_day: date, days: int) -> tuple[hp.ArrivalCount, ...]:
    result = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        dated = any(key == day for key, _ in hours)
        for hour in range(24):
            trucks = hours.get((day, hour)) if dated else hours.get((day.weekday(), hour))
            if not trucks:
                continue
            start = local_to_utc(day, hour * 60, zone_name)
            end = local_to_utc(day, hour * 60 + 60, zone_name)
            if end > start:  # the hour skipped when clocks go forward has no arrivals
                result.append(hp.ArrivalCount(start=start, end=end, trucks=trucks))
    return tuple(result)


def _published(session: Session, post: BorderPost, first_day: date, days: int) -> tuple[hp.PublishedHours, ...]:
    plan = session.scalar(
        select(Plan).where(Plan.post_id == post.id, Plan.status == PlanStatus.PUBLISHED).order_by(Plan.version.desc()).limit(1)
    )
    if plan is None or not plan.windows:
        return ()
    result = []
    plan_last = plan.horizon_start + timedelta(days=plan.horizon_days - 1)
    overlap_first, overlap_last = max(first_day, plan.horizon_start), min(first_day + timedelta(days=days - 1), plan_last)
    if overlap_last < overlap_first:
        return ()
    by_office: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for window in plan.windows:
        by_office[window.office_id].append((window.start_at, window.end_at))
    for office in post.offices:
        start, _ = local_day_bounds(overlap_first, office.timezone)
        _, end = local_day_bounds(overlap_last, office.timezone)
        inside = tuple(
            hp.TimeWindow(start=max(s, start), end=min(e, end), label="published")
            for s, e in sorted(by_office.get(office.id, []))
            if min(e, end) > max(s, start)
        )
        result.append(hp.PublishedHours(office_id=office.code, start=start, end=end, windows=inside))
    return tuple(result)
