"""A post's rows, and the staffing needs of its planned hours, as the rostering engine's problem.

Labour rules come from each officer's country (their side), overridden by the post's rule
settings for the agency or the officer; templates become one roster template per office the
agency works at; leave becomes absences in the officer's own zone; the published plan gives
the history before the horizon (so rest and consecutive-day rules hold across it) and the
roster to stay close to.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.services.calendars import holidays_between
from app.services.planning.settings import RuleBook
from models import (
    BorderPost,
    Leave,
    Office,
    Officer,
    Plan,
    PlannedShift,
    ShiftPreference,
)
from solver.roster import prepare
from solver.roster import problem as rp
from solver.rules import Enforcement

HISTORY_DAYS = 7
# Costs in the roster's objective units: an officer missing for half an hour weighs more than
# any wish or fairness rule, so the roster covers first and pleases second [A].
UNDER_COVER_WEIGHT = 1000
CHANGE_WEIGHT = 500
FAIRNESS_WEIGHT = 20
OVERTIME_WEIGHT_PER_MINUTE = 1


@dataclass(frozen=True, slots=True)
class StaffNeed:
    """Officers (with ``skill``) needed at an office throughout [start, end) UTC."""

    office_code: str
    skill: str | None
    start: datetime
    end: datetime
    required: int


def template_id(template_code: str, office_code: str) -> str:
    """One roster template per shift template and office the agency works at."""
    return f"{template_code}@{office_code}"


def template_code_and_office(roster_template_id: str) -> tuple[str, str]:
    template, _, office = roster_template_id.rpartition("@")
    return template, office


def build_roster_problem(
    session: Session,
    post: BorderPost,
    first_day: date,
    days: int,
    needs: list[StaffNeed],
    *,
    published: Plan | None = None,
) -> rp.RosterProblem:
    rules = RuleBook(post, "roster")
    last_day = first_day + timedelta(days=days - 1)
    agencies = tuple(rp.Agency(id=a.code, name=a.name, side=a.side.code) for a in post.agencies)
    offices = tuple(_office(o) for o in post.offices)
    office_by_code = {o.id: o for o in offices}
    templates = _templates(post)
    shifts = prepare.make_shifts(templates, offices, first_day, days)
    officer_rows = session.scalars(
        select(Officer).where(Officer.post_id == post.id).options(selectinload(Officer.skills), selectinload(Officer.agency)).order_by(Officer.code)
    ).all()
    officers = tuple(_officer(row, post, rules, templates, first_day, days) for row in officer_rows)
    officer_by_code = {o.id: o for o in officers}
    absences = []
    # Leave matters from the day before the horizon (a night shift from it runs into the
    # first day) to the day after; leave that ended earlier is history's business, and
    # clipped to these days it would end before it starts.
    leave_from, leave_to = first_day - timedelta(days=1), last_day + timedelta(days=1)
    leave_rows = session.scalars(
        select(Leave).join(Officer).where(Officer.post_id == post.id, Leave.end_date >= leave_from, Leave.start_date <= leave_to)
    ).all()
    for leave in leave_rows:
        officer = officer_by_code[leave.officer.code]
        absences.append(prepare.absence_for_days(officer, max(leave.start_date, leave_from), min(leave.end_date, leave_to), reason=leave.kind.value))
    covers = tuple(
        rp.IntervalCover(office_id=need.office_code, skill=need.skill, start=need.start, end=need.end, required=need.required, under=Enforcement.soft(UNDER_COVER_WEIGHT))
        for need in needs
        if need.required > 0 and need.office_code in office_by_code
    )
    history, published_roster = _from_published(session, published, first_day, days)
    holidays = tuple(
        rp.Holiday(side=side.code, day=day, name=name)
        for side in post.sides
        for day, name in holidays_between(side, first_day - timedelta(days=HISTORY_DAYS), last_day).items()
    )
    return rp.RosterProblem(
        name=f"{post.name}, {first_day:%d %b %Y} + {days} days",
        start=first_day,
        days=days,
        agencies=agencies,
        offices=offices,
        templates=templates,
        shifts=shifts,
        officers=officers,
        interval_cover=covers,
        absences=tuple(absences),
        requests=_requests(session, post, templates, officer_rows, first_day, last_day),
        history=history,
        history_days=HISTORY_DAYS if history else 0,
        published=published_roster,
        holidays=holidays,
        fair_spread=_fairness(officers),
    )


def _office(office: Office) -> rp.Office:
    return rp.Office(id=office.code, name=office.name, zone=office.timezone, zone_side=office.host_side.code)


def _templates(post: BorderPost) -> tuple[rp.ShiftTemplate, ...]:
    result = []
    for template in post.shift_templates:
        agency_codes = set(template.agency_codes) or {a.code for a in template.side.agencies}
        for agency in template.side.agencies:
            if agency.code not in agency_codes:
                continue
            for office in agency.offices:
                result.append(rp.ShiftTemplate(
                    id=template_id(template.code, office.code),
                    name=template.name,
                    agency_id=agency.code,
                    office_id=office.code,
                    start_minute=template.start_minute,
                    length_minutes=template.length_minutes,
                    night=template.night,
                    weekdays=frozenset(template.weekdays),
                ))
    return tuple(result)


def _officer(row: Officer, post: BorderPost, rules: RuleBook, templates: tuple[rp.ShiftTemplate, ...], first_day: date, days: int) -> rp.Officer:
    side = row.agency.side
    other_sides = frozenset(s.code for s in post.sides if s.id != side.id)
    return rp.Officer(
        id=row.code,
        name=row.name,
        agency_id=row.agency.code,
        side=side.code,
        zone=row.office.timezone,
        skills=frozenset(skill.code for skill in row.skills),
        accredited_sides=other_sides if row.cross_border else frozenset(),
        rules=officer_rules(row, rules, templates, first_day, days),
    )


def officer_rules(row: Officer, rules: RuleBook, templates: tuple[rp.ShiftTemplate, ...], first_day: date, days: int) -> rp.OfficerRules:
    """The officer's country rules, overridden by agency and officer settings of the post."""
    side = row.agency.side
    scope = {"side_id": side.id, "agency_id": row.agency_id, "officer_id": row.id}

    def limit(rule: str, default: int) -> rp.Limit:
        resolved = rules.get(rule, **scope, default_value={"value": default})
        assert resolved is not None
        return rp.Limit(value=int(resolved.value["value"]), enforcement=resolved.enforcement)  # type: ignore[arg-type]

    contract = row.contract_minutes_per_week
    weeks = []
    for week_start in range(0, days, 7):
        length = min(7, days - week_start)
        first = first_day + timedelta(days=week_start)
        weeks.append(rp.MinutesWindow(
            first_day=first,
            last_day=first + timedelta(days=length - 1),
            max_minutes=rp.Limit(value=round(side.max_weekly_minutes * 1.25 * length / 7)),
        ))
    night_templates = tuple(rp.TemplateLimit(template_id=t.id, limit=rp.Limit(value=0)) for t in templates if t.night and t.agency_id == row.agency.code)
    return rp.OfficerRules(
        min_rest_minutes=limit("min_rest", side.min_daily_rest_minutes),
        max_consecutive_days=limit("max_consecutive_days", side.max_consecutive_days),
        weekly_rest_minutes=limit("weekly_rest", side.min_weekly_rest_minutes),
        average_hours=rp.AverageHours(max_minutes_per_week=side.max_weekly_minutes, reference_days=max(7, side.reference_period_weeks * 7)),
        working_time=tuple(weeks),
        max_consecutive_nights=limit("max_consecutive_nights", 4),
        max_shifts_per_template=() if row.night_work else night_templates,
        weekend_days=frozenset(side.weekend_days),
        overtime=rp.Overtime(regular_minutes_per_week=contract, enforcement=Enforcement.soft(OVERTIME_WEIGHT_PER_MINUTE)),
    )


def _requests(session: Session, post: BorderPost, templates: tuple[rp.ShiftTemplate, ...], officers: list[Officer], first_day: date, last_day: date) -> tuple[rp.ShiftRequest, ...]:
    by_id = {o.id: o for o in officers}
    rows = session.scalars(select(ShiftPreference).join(Officer).where(Officer.post_id == post.id)).all()
    known = {t.id for t in templates}
    result = []
    for pref in rows:
        officer = by_id[pref.officer_id]
        tid = template_id(pref.template.code, officer.office.code) if pref.template else None
        if tid is not None and tid not in known:
            continue
        day = first_day
        while day <= last_day:
            if (pref.on_date == day) or (pref.weekday is not None and day.weekday() == pref.weekday):
                result.append(rp.ShiftRequest(officer_id=officer.code, day=day, kind=pref.want, template_id=tid, enforcement=Enforcement.soft(pref.weight)))  # type: ignore[arg-type]
            day += timedelta(days=1)
    return tuple(result)


def _from_published(session: Session, published: Plan | None, first_day: date, days: int) -> tuple[tuple[rp.PastShift, ...], rp.PublishedRoster | None]:
    if published is None:
        return (), None
    last_day = first_day + timedelta(days=days - 1)
    rows = session.scalars(
        select(PlannedShift).where(PlannedShift.plan_id == published.id, PlannedShift.day >= first_day - timedelta(days=HISTORY_DAYS), PlannedShift.day <= last_day)
        .options(selectinload(PlannedShift.officer), selectinload(PlannedShift.template), selectinload(PlannedShift.office))
    ).all()
    history, assignments = [], set()
    for row in rows:
        tid = template_id(row.template.code, row.office.code)
        if row.day < first_day:
            history.append(rp.PastShift(officer_id=row.officer.code, template_id=tid, day=row.day, start=row.start_at, end=row.end_at, night=row.template.night))
        else:
            assignments.add((row.officer.code, prepare.shift_id(tid, row.day)))
    roster = None
    if assignments:
        covered = sorted({day for day in (r.day for r in rows) if day >= first_day})
        roster = rp.PublishedRoster(assignments=frozenset(assignments), first_day=covered[0], last_day=covered[-1], change=Enforcement.soft(CHANGE_WEIGHT))
    return tuple(history), roster


def _fairness(officers: tuple[rp.Officer, ...]) -> tuple[rp.FairSpread, ...]:
    groups: dict[str, list[str]] = defaultdict(list)
    for officer in officers:
        groups[officer.agency_id].append(officer.id)
    spreads = []
    for agency, members in sorted(groups.items()):
        if len(members) < 2:
            continue
        for measure in ("nights", "weekends", "holidays"):
            spreads.append(rp.FairSpread(name=f"{measure} in {agency}", officer_ids=tuple(members), measure=measure, enforcement=Enforcement.soft(FAIRNESS_WEIGHT), allowed_spread=1))  # type: ignore[arg-type]
    return tuple(spreads)


