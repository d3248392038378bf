"""Writing a validated scenario into the database, inside the caller's transaction.

The caller commits once everything is added, so a load is all or nothing: if any step
fails the caller rolls back and the database is exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from app.services.errors import InputProblem, InvalidInput
from app.services.scenario import spec
from models import (
    Agency,
    BorderPost,
    CargoCategory,
    CategoryCheck,
    Demand,
    Facility,
    HolidayPolicy,
    HoursOverride,
    InspectionRequest,
    Leave,
    LeaveKind,
    MandatoryWindow,
    NoticePolicy,
    Office,
    Officer,
    PostLayout,
    PriorityClass,
    RequestStatus,
    Resource,
    ResourceHours,
    ResourceKind,
    RuleSetting,
    ShiftPreference,
    ShiftTemplate,
    Side,
    Skill,
    WeeklyHours,
    WindowKind,
)
from models.enums import AgencyKind


@dataclass(frozen=True, slots=True)
class LoadReport:
    post_code: str
    post_id: int
    counts: dict[str, int]
    replaced: bool


def post_exists(session: Session, code: str) -> bool:
    return session.scalar(select(BorderPost.id).where(BorderPost.code == code)) is not None


def load_scenario(session: Session, scenario: spec.Scenario, *, replace: bool = False) -> LoadReport:
    """Add every row of ``scenario``; with ``replace``, first delete the post of the same code.

    A row the database refuses (a post of the same code loaded meanwhile by someone else, a
    constraint the validator does not know) becomes ``InvalidInput``; the caller rolls back.
    """
    try:
        return _add_scenario(session, scenario, replace=replace)
    except (IntegrityError, DataError) as error:
        raise InvalidInput(
            [InputProblem("(database)", f"the database refused the scenario: {error.orig}", "nothing was loaded; fix the value named, or reload with --replace if the post was loaded meanwhile", source="post.toml")],
            f"loading post {scenario.post.code} failed",
        ) from error


def _add_scenario(session: Session, scenario: spec.Scenario, *, replace: bool) -> LoadReport:
    existing = session.scalar(select(BorderPost).where(BorderPost.code == scenario.post.code))
    if existing is not None:
        if not replace:
            raise InvalidInput(
                [InputProblem("post.code", f"a post with code {scenario.post.code!r} is already loaded", "load with --replace to replace it, or give the scenario another code", source="post.toml")]
            )
        session.delete(existing)
        session.flush()
    post = _post(scenario)
    session.add(post)
    session.flush()

    sides = {s.code: _side(post, s) for s in scenario.sides}
    skills = {s.code: Skill(post_id=post.id, code=s.code, name=s.name) for s in scenario.skills}
    post.skills.extend(skills.values())
    session.flush()
    agencies = {a.code: _agency(post, sides[a.side], a) for a in scenario.agencies}
    session.flush()
    offices = {o.code: _office(post, agencies[o.agency], sides[o.host_side], o) for o in scenario.offices}
    session.flush()
    for o in scenario.offices:
        if o.counterpart:
            offices[o.code].counterpart = offices[o.counterpart]
    for w in scenario.mandatory_windows:
        offices[w.office].windows.append(
            MandatoryWindow(kind=WindowKind(w.kind), weekdays=list(w.weekdays), start_minute=w.window.start, end_minute=w.window.end, valid_from=w.valid_from, valid_to=w.valid_to, reason=w.reason)
        )
    for o in scenario.hours_overrides:
        post.hours_overrides.append(
            HoursOverride(
                name=o.name,
                side_id=sides[o.scope_code].id if o.scope_kind == "side" else None,
                agency_id=agencies[o.scope_code].id if o.scope_kind == "agency" else None,
                office_id=offices[o.scope_code].id if o.scope_kind == "office" else None,
                valid_from=o.valid_from, valid_to=o.valid_to, weekdays=list(o.weekdays),
                windows=[[w.start, w.end] for w in o.windows], confirmed=o.confirmed,
            )
        )
    templates = {
        t.code: ShiftTemplate(post_id=post.id, side_id=sides[t.side].id, code=t.code, name=t.name, start_minute=t.start_minute, length_minutes=t.length_minutes, night=t.night, handover_minutes=t.handover_minutes, agency_codes=list(t.agencies), weekdays=list(t.weekdays))
        for t in scenario.shift_templates
    }
    post.shift_templates.extend(templates.values())
    for r in scenario.resources:
        resource = Resource(post_id=post.id, host_side_id=sides[r.host_side].id, code=r.code, name=r.name, kind=ResourceKind(r.kind), capabilities=list(r.capabilities), capacity=r.capacity, always_open=r.always_open)
        resource.hours.extend(ResourceHours(weekday=day, start_minute=w.start, end_minute=w.end) for row in r.hours for day in row.weekdays for w in row.windows)
        post.resources.append(resource)
    classes = {c.code: PriorityClass(post_id=post.id, code=c.code, name=c.name, rank=c.rank, max_wait_minutes=c.max_wait_minutes, quota=c.quota) for c in scenario.priority_classes}
    post.priority_classes.extend(classes.values())
    session.flush()
    categories: dict[str, CargoCategory] = {}
    for c in scenario.categories:
        category = CargoCategory(post_id=post.id, code=c.code, name=c.name, priority_class=classes.get(c.priority) if c.priority else None, max_wait_minutes=c.max_wait_minutes, capabilities=list(c.capabilities))
        category.checks.extend(
            CategoryCheck(agency_id=agencies[k.agency].id, selection_rate=k.selection_rate, inspection_minutes=k.inspection_minutes, skill_id=skills[k.skill].id if k.skill else None)
            for k in c.checks
        )
        categories[c.code] = category
        post.categories.append(category)
    session.flush()

    officers: dict[str, Officer] = {}
    for o in scenario.officers:
        officer = Officer(post_id=post.id, agency_id=agencies[o.agency].id, office_id=offices[o.office].id, code=o.code, name=o.name, contract_minutes_per_week=o.contract_minutes_per_week, cross_border=o.cross_border, night_work=o.night_work, email=o.email)
        officer.skills.extend(skills[s] for s in o.skills)
        officers[o.code] = officer
    session.add_all(officers.values())
    session.flush()
    for rule in scenario.rules:
        post.rule_settings.append(
            RuleSetting(
                engine=rule.engine, rule=rule.rule, hard=rule.hard, weight=rule.weight, value=rule.value,
                side_id=sides[rule.scope_code].id if rule.scope_kind == "side" else None,
                agency_id=agencies[rule.scope_code].id if rule.scope_kind == "agency" else None,
                officer_id=officers[rule.scope_code].id if rule.scope_kind == "officer" else None,
            )
        )
    session.add_all(Leave(officer_id=officers[period.officer].id, start_date=period.start, end_date=period.end, kind=LeaveKind(period.kind), note=period.note) for period in scenario.leave)
    session.add_all(
        ShiftPreference(officer_id=officers[p.officer].id, on_date=p.on_date, weekday=p.weekday, template_id=templates[p.shift].id if p.shift else None, want=p.want, weight=p.weight)
        for p in scenario.preferences
    )
    session.add_all(
        Demand(post_id=post.id, exit_side_id=sides[d.exit_side].id, entry_side_id=sides[d.entry_side].id, category_id=categories[d.category].id, weekday=d.weekday, on_date=d.on_date, hour=d.hour, trucks=d.trucks)
        for d in scenario.demand
    )
    for r in scenario.requests:
        request = InspectionRequest(
            post_id=post.id, reference=r.reference, exit_side_id=sides[r.exit_side].id, entry_side_id=sides[r.entry_side].id,
            category_id=categories[r.category].id, priority_class_id=classes[r.priority].id if r.priority else None,
            capabilities=list(r.capabilities), duration_minutes=r.duration_minutes, expected_arrival=r.expected_arrival,
            max_wait_minutes=r.max_wait_minutes, notified_at=r.notified_at, reversal_allowed=r.reversal_allowed, status=RequestStatus.PENDING,
        )
        request.agencies.extend(agencies[a] for a in r.agencies)
        session.add(request)
    session.flush()
    counts = {
        "sides": len(scenario.sides), "agencies": len(scenario.agencies), "offices": len(scenario.offices),
        "officers": len(scenario.officers), "shift_templates": len(scenario.shift_templates),
        "resources": len(scenario.resources), "cargo_categories": len(scenario.categories),
        "leave": len(scenario.leave), "preferences": len(scenario.preferences),
        "demand_rows": len(scenario.demand), "inspection_requests": len(scenario.requests),
    }
    return LoadReport(post_code=post.code, post_id=post.id, counts=counts, replaced=existing is not None)


def _post(s: spec.Scenario) -> BorderPost:
    p = s.post
    return BorderPost(code=p.code, name=p.name, description=p.description, layout=PostLayout(p.layout), notice_period_hours=p.notice_period_hours, urgent_notice_hours=p.urgent_notice_hours, notice_policy=NoticePolicy(p.notice_policy), notice_penalty=p.notice_penalty)


def _side(post: BorderPost, s: spec.SideSpec) -> Side:
    labour = s.labour
    side = Side(
        code=s.code, country=s.country, name=s.name, timezone=s.timezone, holiday_country=s.holiday_country,
        holiday_subdivision=s.holiday_subdivision, weekend_days=list(s.weekend),
        min_daily_rest_minutes=labour.min_daily_rest_minutes, max_weekly_minutes=labour.max_weekly_minutes,
        reference_period_weeks=labour.reference_period_weeks, max_consecutive_days=labour.max_consecutive_days,
        min_weekly_rest_minutes=labour.min_weekly_rest_minutes, night_start_minute=labour.night_start_minute,
        night_end_minute=labour.night_end_minute, max_night_minutes_per_24h=labour.max_night_minutes_per_24h,
        max_shift_minutes=labour.max_shift_minutes,
    )
    post.sides.append(side)
    return side


def _agency(post: BorderPost, side: Side, a: spec.AgencySpec) -> Agency:
    agency = Agency(
        post_id=post.id, code=a.code, name=a.name, kind=AgencyKind(a.kind), lead=a.lead,
        notice_working_days=a.notice_working_days, notice_hours=a.notice_hours,
        derogation_notice_hours=a.derogation_notice_hours, out_of_hours_fee_per_hour=a.out_of_hours_fee_per_hour,
        currency=a.currency, overtime_rate=a.overtime_rate, staff_hour_cost=a.staff_hour_cost,
    )
    side.agencies.append(agency)
    return agency


def _office(post: BorderPost, agency: Agency, host: Side, o: spec.OfficeSpec) -> Office:
    office = Office(
        post_id=post.id, code=o.code, name=o.name, host_side_id=host.id, facility=Facility(o.facility),
        joint_controls=o.joint_controls, always_open=o.always_open, on_holidays=HolidayPolicy(o.on_holidays),
        min_crew=o.min_crew, trucks_per_officer_hour=o.trucks_per_officer_hour,
        max_blocks_per_day=o.max_blocks_per_day, min_block_minutes=o.min_block_minutes,
    )
    office.weekly_hours.extend(WeeklyHours(weekday=day, start_minute=w.start, end_minute=w.end) for row in o.hours for day in row.weekdays for w in row.windows)
    agency.offices.append(office)
    return office
