"""The post as the joint-inspections engine sees it, read from the database.

``solver.inspections`` knows nothing of rows: it takes a ``PostSite`` (sides with their
calendars, agencies with their notice rules and fees, offices open in UTC windows, officers
on duty in UTC windows, bays, priority classes, rules), ``InspectionRequest``s and the
``ExistingBooking``s to respect. This module builds them from a post, a staffing plan (the
published one unless another is named) and the confirmed bookings, for a stretch of real
time. The booking service and the batch planner both read the post through it, so an offer,
a booking check and a batch plan see the same post.

Everything the engine names is named by the code users know: agencies, offices, officers
(staff numbers), bays and sides by their codes. ``InspectionSite`` keeps the way back from
codes to rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from app.services.calendars import holidays_between
from app.services.errors import InputProblem, InvalidInput, NotFound
from app.services.planning.settings import RuleBook
from models import (
    Agency,
    Booking,
    BookingPart,
    BookingStatus,
    BorderPost,
    CargoCategory,
    CategoryCheck,
    InspectionRequest,
    Officer,
    Plan,
    PlanKind,
    PlannedShift,
    PlannedWindow,
    PlanStatus,
    PostLayout,
    PriorityClass,
    Resource,
    ResourceHours,
    Side,
    Skill,
)
from models.staff import officer_skill
from solver import inspections as engine
from solver.inspections.defaults import DEFAULT_PRIORITY_CLASSES
from solver.rules import HARD, Enforcement
from solver.timeutil import local_to_utc

ENGINE = "inspections"

# Slots start on this grid, which is also the grid of the ``BookingClaim`` rows that make a
# confirmation atomic: an engine slot always covers whole claim slots from its start.
CLAIM_GRID_MINUTES = 5
# No part of a booking is longer than this (requests last at most a day), so the bookings
# that overlap a window all start less than this before it: the offers' query relies on it.
LONGEST_PART = timedelta(days=1)
LONGEST_DURATION_MINUTES = int(LONGEST_PART / timedelta(minutes=1))

# The ``RuleSetting`` rows of engine "inspections" Juxta reads, by rule key. ``hard`` and
# ``weight`` say how the rule holds; ``value`` carries the parameters listed.
RULE_KEYS: dict[str, str] = {
    "max_wait": "Maximum wait: hard, or soft at weight per minute beyond the maximum",
    "notice": "Notice period (batch plans; bookings always hold it): hard, or soft per minute short",
    "queue_order": "Priority order and quotas: hard, or soft per minute overtaken; value {window_minutes}",
    "sequential": "Sequential fallback: value {allowed: bool, weight: cost per sequential inspection}",
    "out_of_hours": "Out-of-hours fees in plans: value {weight: objective points per unit of fee}",
    "offers": "Offers: value {spacing_minutes, lookahead_days}",
    "notice_derogation": "Per agency: value {excluded_categories: [category codes]} never derogated",
}
# Live animals always need the full notice period (DOMAIN.md 3.7: "Live animals always need
# 24 h"); a post lists other categories per agency with the "notice_derogation" rule.
LIVE_ANIMALS_CLASS = "live_animals"


@dataclass(frozen=True, slots=True)
class InspectionSite:
    """A post for the engine between ``start`` and ``end``, and the way back to its rows.

    ``plan`` is the staffing plan the office windows and the duty windows come from (None
    when the post has no published plan: then nobody is on duty and offers say so).
    """

    site: engine.PostSite
    post: BorderPost
    plan: Plan | None
    start: datetime
    end: datetime
    officer_ids: Mapping[str, int]
    bay_ids: Mapping[str, int]
    agency_ids: Mapping[str, int]

    def officer_name(self, code: str) -> str:
        return self.site.officer(code).name if self.site.has_officer(code) else code

    def bay_name(self, code: str) -> str:
        return self.site.bay(code).name if self.site.has_bay(code) else code


def post_for_inspections(session: Session, post_id: int) -> BorderPost:
    """The post with everything ``load_site`` and the request mapping read from it, in a
    handful of queries instead of one per relationship: offers answer within a web request."""
    post = session.scalar(
        select(BorderPost)
        .where(BorderPost.id == post_id)
        .options(
            selectinload(BorderPost.sides).selectinload(Side.agencies).selectinload(Agency.offices),
            selectinload(BorderPost.categories)
            .selectinload(CargoCategory.checks)
            .selectinload(CategoryCheck.skill),
            selectinload(BorderPost.categories).selectinload(CargoCategory.priority_class),
            selectinload(BorderPost.priority_classes),
            selectinload(BorderPost.rule_settings),
            selectinload(BorderPost.resources).selectinload(Resource.host_side),
        )
    )
    if post is None:
        raise NotFound(f"no post with id {post_id}")
    return post


def staffing_plan(session: Session, post: BorderPost) -> Plan | None:
    """The published plan whose opening windows and shifts inspections are booked against.

    A batch plan of inspections carries neither, so it never stands in for the roster.
    """
    return session.scalar(
        select(Plan)
        .where(
            Plan.post_id == post.id,
            Plan.status == PlanStatus.PUBLISHED,
            Plan.kind != PlanKind.INSPECTIONS,
        )
        .order_by(Plan.version.desc())
        .limit(1)
    )


def load_site(
    session: Session,
    post: BorderPost,
    start: datetime,
    end: datetime,
    *,
    plan: Plan | None = None,
    agencies: Collection[str] | None = None,
) -> InspectionSite:
    """The post between ``start`` and ``end`` (UTC) as the engine needs it.

    ``plan`` defaults to the published staffing plan. With ``agencies`` (codes), only those
    agencies' offices get their hours and only their officers are loaded: all an offer for
    one request looks at, and a fraction of the rows of a large post.
    """
    if plan is None:
        plan = staffing_plan(session, post)
    book = RuleBook(post, ENGINE)
    sides = {side.id: side for side in post.sides}
    all_agencies = post.agencies
    wanted = {a.id for a in all_agencies if agencies is None or a.code in agencies}
    engine_sides = tuple(engine_side(side, start, end) for side in sides.values())
    engine_agencies = tuple(
        engine_agency(agency, sides[agency.side_id].code, book, post) for agency in all_agencies
    )
    offices = [office for agency in all_agencies for office in agency.offices]
    windows = _office_windows(
        session,
        plan,
        [o.id for o in offices if o.agency_id in wanted and not o.always_open],
        start,
        end,
    )
    engine_offices = tuple(
        engine.Office(
            office_id=office.code,
            name=office.name,
            agency=office.agency.code,
            host_side=sides[office.host_side_id].code,
            open_windows=_whole(start, end)
            if office.always_open and office.agency_id in wanted
            else windows.get(office.id, ()),
        )
        for office in offices
    )
    officers, officer_ids = _officers(session, post, plan, wanted, start, end)
    resources = session.scalars(
        select(Resource).where(Resource.post_id == post.id).order_by(Resource.code)
    ).all()
    hours = _resource_hours(session, [r.id for r in resources if not r.always_open])
    bays = tuple(
        engine.Bay(
            bay_id=resource.code,
            name=resource.name,
            host_side=sides[resource.host_side_id].code,
            capabilities=frozenset(resource.capabilities or ()),
            capacity=resource.capacity,
            open_windows=_whole(start, end)
            if resource.always_open
            else _weekly_windows(
                hours.get(resource.id, ()), sides[resource.host_side_id].timezone, start, end
            ),
        )
        for resource in resources
    )
    try:
        site = engine.PostSite(
            post_id=post.code,
            name=post.name,
            sides=engine_sides,
            agencies=engine_agencies,
            offices=engine_offices,
            officers=officers,
            bays=bays,
            priority_classes=priority_classes(post),
            rules=inspection_rules(post),
        )
    except ValueError as error:
        raise InvalidInput(
            [InputProblem("post", str(error), "fix the post's set-up (offices, officers, bays)")],
            f"post {post.code} cannot be used for inspections",
        ) from None
    return InspectionSite(
        site=site,
        post=post,
        plan=plan,
        start=start,
        end=end,
        officer_ids=officer_ids,
        bay_ids={resource.code: resource.id for resource in resources},
        agency_ids={agency.code: agency.id for agency in all_agencies},
    )


def _whole(start: datetime, end: datetime) -> tuple[engine.Window, ...]:
    return (engine.Window(start=start, end=end),)


def engine_side(side, start: datetime, end: datetime) -> engine.Side:  # type: ignore[no-untyped-def]
    """The side with its holidays of every year from a month before ``start`` (notice periods
    reach back to the notification) to two months after ``end`` (and forward by working days).
    Whole years, one at a time: the calendars computed once serve every later request."""
    holidays: set[date] = set()
    for year in range((start - timedelta(days=31)).year, (end + timedelta(days=62)).year + 1):
        holidays.update(holidays_between(side, date(year, 1, 1), date(year, 12, 31)))
    return engine.Side(
        code=side.code,
        name=side.name,
        zone=side.timezone,
        weekend_days=frozenset(side.weekend_days or ()),
        holidays=frozenset(holidays),
    )


def engine_agency(agency, side_code: str, book: RuleBook, post: BorderPost) -> engine.Agency:  # type: ignore[no-untyped-def]
    excluded = book.get(
        "notice_derogation",
        side_id=agency.side_id,
        agency_id=agency.id,
        default_value={"excluded_categories": _live_animal_categories(post)},
    )
    assert excluded is not None
    fee = float(agency.out_of_hours_fee_per_hour or 0)
    return engine.Agency(
        code=agency.code,
        name=agency.name,
        side=side_code,
        notice=engine.NoticeRule(
            working_days=agency.notice_working_days,
            hours=agency.notice_hours,
            derogation_hours=agency.derogation_notice_hours,
            categories_without_derogation=frozenset(
                excluded.value.get("excluded_categories") or ()
            ),  # type: ignore[arg-type]
        ),
        # A fee of 0 is how the post says the agency offers no out-of-hours service; the
        # engine prices in whole currency units per started hour.
        out_of_hours_fee_per_hour=round(fee) if fee > 0 else None,
        currency=agency.currency,
    )


def _live_animal_categories(post: BorderPost) -> list[str]:
    return [
        c.code
        for c in post.categories
        if c.priority_class is not None and c.priority_class.code == LIVE_ANIMALS_CLASS
    ]


def _office_windows(
    session: Session, plan: Plan | None, office_ids: list[int], start: datetime, end: datetime
) -> dict[int, tuple[engine.Window, ...]]:
    """Regular opening windows of the plan; windows marked out of hours are service on
    request, which the engine prices as out-of-hours service, not as opening hours."""
    if plan is None or not office_ids:
        return {}
    rows = session.execute(
        select(PlannedWindow.office_id, PlannedWindow.start_at, PlannedWindow.end_at).where(
            PlannedWindow.plan_id == plan.id,
            PlannedWindow.office_id.in_(office_ids),
            PlannedWindow.out_of_hours.is_(False),
            PlannedWindow.end_at > start,
            PlannedWindow.start_at < end,
        )
    ).all()
    found: dict[int, list[engine.Window]] = defaultdict(list)
    for office_id, window_start, window_end in rows:
        found[office_id].append(engine.Window(start=window_start, end=window_end))
    return {office_id: tuple(windows) for office_id, windows in found.items()}


def _officers(
    session: Session,
    post: BorderPost,
    plan: Plan | None,
    agency_ids: set[int],
    start: datetime,
    end: datetime,
) -> tuple[tuple[engine.Officer, ...], dict[str, int]]:
    rows = session.execute(
        select(
            Officer.id,
            Officer.code,
            Officer.name,
            Officer.agency_id,
            Officer.office_id,
            Officer.cross_border,
        )
        .where(Officer.post_id == post.id, Officer.agency_id.in_(agency_ids))
        .order_by(Officer.code)
    ).all()
    if not rows:
        return (), {}
    ids = [row.id for row in rows]
    skills: dict[int, set[str]] = defaultdict(set)
    for officer_id, skill_code in session.execute(
        select(officer_skill.c.officer_id, Skill.code)
        .join(Skill, Skill.id == officer_skill.c.skill_id)
        .where(Skill.post_id == post.id)
    ):
        skills[officer_id].add(skill_code)
    duty: dict[int, list[engine.Window]] = defaultdict(list)
    if plan is not None:
        home = {row.id: row.office_id for row in rows}
        for officer_id, office_id, shift_start, shift_end in session.execute(
            select(
                PlannedShift.officer_id,
                PlannedShift.office_id,
                PlannedShift.start_at,
                PlannedShift.end_at,
            ).where(
                PlannedShift.plan_id == plan.id,
                PlannedShift.officer_id.in_(ids),
                # A shift starts on its local day and lasts less than a day: the day bounds
                # keep the read on the (plan, officer, day) index of a long plan.
                PlannedShift.day >= (start - timedelta(days=2)).date(),
                PlannedShift.day <= (end + timedelta(days=1)).date(),
                PlannedShift.end_at > start,
                PlannedShift.start_at < end,
            )
        ):
            # A shift at another office puts the officer there, not at the office they inspect from.
            if home.get(officer_id) == office_id:
                duty[officer_id].append(engine.Window(start=shift_start, end=shift_end))
    offices = {office.id: office.code for agency in post.agencies for office in agency.offices}
    agencies = {agency.id: agency.code for agency in post.agencies}
    officers = tuple(
        engine.Officer(
            officer_id=row.code,
            name=row.name,
            agency=agencies[row.agency_id],
            office_id=offices[row.office_id],
            skills=frozenset(skills.get(row.id, ())),
            cross_border=row.cross_border,
            duty=tuple(duty.get(row.id, ())),
        )
        for row in rows
    )
    return officers, {row.code: row.id for row in rows}


def _resource_hours(
    session: Session, resource_ids: list[int]
) -> dict[int, list[tuple[int, int, int]]]:
    found: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    if resource_ids:
        for resource_id, weekday, start_minute, end_minute in session.execute(
            select(
                ResourceHours.resource_id,
                ResourceHours.weekday,
                ResourceHours.start_minute,
                ResourceHours.end_minute,
            ).where(ResourceHours.resource_id.in_(resource_ids))
        ):
            found[resource_id].append((weekday, start_minute, end_minute))
    return found


def weekly_spans(
    hours: Iterable[tuple[int, int, int]], zone: str, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """Weekly local hours (weekday, start and end minute, which may pass midnight) as merged
    UTC spans overlapping ``[start, end)``; the day before counts for windows past midnight."""
    hours = list(hours)
    spans = []
    day = (start - timedelta(days=1)).astimezone(UTC).date()
    last = end.astimezone(UTC).date() + timedelta(days=1)
    while day <= last:
        for weekday, start_minute, end_minute in hours:
            if weekday == day.weekday():
                span_start, span_end = (
                    local_to_utc(day, start_minute, zone),
                    local_to_utc(day, end_minute, zone),
                )
                if span_start < span_end and span_end > start and span_start < end:
                    spans.append((span_start, span_end))
        day += timedelta(days=1)
    merged: list[tuple[datetime, datetime]] = []
    for span_start, span_end in sorted(spans):
        if merged and span_start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], span_end))
        else:
            merged.append((span_start, span_end))
    return merged


def open_spans(
    resource: Resource, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """When ``resource`` can be used in ``[start, end)``, from its weekly hours in its host's zone."""
    if resource.always_open:
        return [(start, end)]
    hours = ((h.weekday, h.start_minute, h.end_minute) for h in resource.hours)
    return weekly_spans(hours, resource.host_side.timezone, start, end)


def _weekly_windows(
    hours: Iterable[tuple[int, int, int]], zone: str, start: datetime, end: datetime
) -> tuple[engine.Window, ...]:
    return tuple(engine.Window(start=a, end=b) for a, b in weekly_spans(hours, zone, start, end))


def priority_classes(post: BorderPost) -> tuple[engine.PriorityClass, ...]:
    """The post's classes with the value and wait weight of the default class of the same
    code (the database keeps rank, quota and maximum wait only), else of the same rank,
    else of the lowest default class."""
    if not post.priority_classes:
        return DEFAULT_PRIORITY_CLASSES
    by_code = {c.code: c for c in DEFAULT_PRIORITY_CLASSES}
    by_rank = {c.rank: c for c in DEFAULT_PRIORITY_CLASSES}
    found = []
    for row in post.priority_classes:
        default = by_code.get(row.code) or by_rank.get(row.rank) or DEFAULT_PRIORITY_CLASSES[-1]
        found.append(
            engine.PriorityClass(
                code=row.code,
                name=row.name,
                rank=row.rank,
                quota=row.quota,
                value=default.value,
                wait_weight=default.wait_weight,
                max_wait_minutes=row.max_wait_minutes or default.max_wait_minutes,
            )
        )
    return tuple(found)


def inspection_rules(post: BorderPost) -> engine.InspectionRules:
    """The engine's rules from the post's ``RuleSetting`` rows of engine "inspections" (see
    ``RULE_KEYS``); every rule a post does not set keeps the engine's default."""
    book = RuleBook(post, ENGINE)
    defaults = engine.InspectionRules()

    def enforcement(rule: str, default: Enforcement) -> Enforcement:
        found = book.get(rule, default=default)
        assert found is not None
        return found.enforcement

    def value(rule: str, key: str, default: object) -> object:
        found = book.get(rule, default=HARD)
        assert found is not None
        return found.value.get(key, default)

    return engine.InspectionRules(
        max_wait=enforcement("max_wait", defaults.max_wait),
        notice=enforcement("notice", defaults.notice),
        queue_order=enforcement("queue_order", defaults.queue_order),
        allow_sequential=bool(value("sequential", "allowed", defaults.allow_sequential)),
        sequential_weight=int(value("sequential", "weight", defaults.sequential_weight)),  # type: ignore[call-overload]
        out_of_hours_fee_weight=int(
            value("out_of_hours", "weight", defaults.out_of_hours_fee_weight)
        ),  # type: ignore[call-overload]
        start_grid_minutes=CLAIM_GRID_MINUTES,
        queue_window_minutes=int(
            value("queue_order", "window_minutes", defaults.queue_window_minutes)
        ),  # type: ignore[call-overload]
        offer_spacing_minutes=int(
            value("offers", "spacing_minutes", defaults.offer_spacing_minutes)
        ),  # type: ignore[call-overload]
        lookahead_days=int(value("offers", "lookahead_days", defaults.lookahead_days)),  # type: ignore[call-overload]
    )


# --- requests ------------------------------------------------------------------------------


def facility_side(
    post: BorderPost, exit_code: str, entry_code: str, agency_sides: Iterable[str]
) -> str:
    """Which side's facility inspects the consignment.

    A two-facility post inspects at the entry country's facility, which hosts the traffic
    entering it. At a separate post each side inspects in its own facility: the side of the
    selecting agencies (a consignment selected on both sides needs one request per side).
    A straddle or single-country post has one facility, hosted where its bays are.
    """
    sides = set(agency_sides)
    if post.layout == PostLayout.SEPARATE and len(sides) == 1:
        return next(iter(sides))
    if post.layout in (PostLayout.STRADDLE, PostLayout.SINGLE_COUNTRY):
        hosts = {resource.host_side.code for resource in post.resources}
        if len(hosts) == 1:
            return next(iter(hosts))
    return entry_code


def engine_request(
    post: BorderPost,
    *,
    reference: str,
    exit_code: str,
    entry_code: str,
    category: CargoCategory,
    agencies: Sequence[Agency],
    priority: PriorityClass | None,
    capabilities: Iterable[str],
    duration_minutes: int,
    expected_arrival: datetime,
    notified_at: datetime,
    max_wait_minutes: int | None,
    reversal_allowed: bool = False,
    accepts_out_of_hours: bool = False,
    notice_derogation: bool = False,
) -> engine.InspectionRequest:
    """A request as the engine takes it. Each selecting agency's check needs the skill its
    ``CategoryCheck`` names; without a priority class the category's, else the post's lowest."""
    skills = {
        check.agency_id: check.skill.code for check in category.checks if check.skill is not None
    }
    priority = priority or category.priority_class
    if priority is not None:
        priority_code = priority.code
    else:
        priority_code = max(priority_classes(post), key=lambda c: c.rank).code
    try:
        return engine.InspectionRequest(
            reference=reference,
            exit_side=exit_code,
            entry_side=entry_code,
            cargo_category=category.code,
            selections=tuple(
                engine.Selection(agency=a.code, skill=skills.get(a.id)) for a in agencies
            ),
            required_capabilities=frozenset(capabilities),
            duration_minutes=duration_minutes,
            expected_arrival=expected_arrival,
            priority_class=priority_code,
            notified_at=notified_at,
            max_wait_minutes=max_wait_minutes,
            reversal_allowed=reversal_allowed,
            accepts_out_of_hours=accepts_out_of_hours,
            notice_derogation=notice_derogation,
            facility_side=facility_side(
                post, exit_code, entry_code, (a.side.code for a in agencies)
            ),
        )
    except engine.InvalidInput as error:
        raise as_invalid_input(error.errors, f"request {reference} cannot be inspected") from None


def request_of(post: BorderPost, row: InspectionRequest) -> engine.InspectionRequest:
    """A saved request as the engine takes it."""
    return engine_request(
        post,
        reference=row.reference,
        exit_code=row.exit_side.code,
        entry_code=row.entry_side.code,
        category=row.category,
        agencies=row.agencies,
        priority=row.priority_class,
        capabilities=row.capabilities or (),
        duration_minutes=row.duration_minutes,
        expected_arrival=row.expected_arrival,
        notified_at=row.notified_at,
        max_wait_minutes=row.max_wait_minutes,
        reversal_allowed=row.reversal_allowed,
        accepts_out_of_hours=row.accepts_out_of_hours,
        notice_derogation=row.notice_derogation,
    )


def as_invalid_input(errors: Iterable[engine.FieldError], summary: str) -> InvalidInput:
    return InvalidInput([InputProblem(error.field, error.message) for error in errors], summary)


# --- bookings ------------------------------------------------------------------------------


def confirmed_bookings(
    session: Session,
    post: BorderPost,
    start: datetime,
    end: datetime,
    *,
    except_booking_id: int | None = None,
    holding: tuple[Collection[int], Collection[int]] | None = None,
) -> tuple[engine.ExistingBooking, ...]:
    """The confirmed bookings of the post that overlap ``[start, end)``, one per part.

    With ``holding`` (officer ids, bay ids), only the parts that hold one of these officers
    or bays: all a search for one request can collide with. A part read for its officer
    keeps only the officers asked for, and its bay then stands for nothing asked.

    Only parts starting at most ``LONGEST_PART`` before the window can reach into it, which
    keeps the read on the ``booking_part.start_at`` index however many bookings the post has.
    The post is named through the parts' bays, not the bookings: a condition on
    ``booking.post_id`` leads SQLite to read every booking of the post first.
    """
    query = (
        select(
            BookingPart.booking_id,
            BookingPart.start_at,
            BookingPart.end_at,
            Officer.code,
            Resource.code,
            InspectionRequest.reference,
        )
        .join(Booking, Booking.id == BookingPart.booking_id)
        .join(InspectionRequest, InspectionRequest.id == Booking.request_id)
        .join(Resource, Resource.id == BookingPart.resource_id)
        .outerjoin(Officer, Officer.id == BookingPart.officer_id)
        .where(
            Resource.post_id == post.id,
            Booking.status == BookingStatus.CONFIRMED,
            BookingPart.start_at >= start - LONGEST_PART,
            BookingPart.start_at < end,
            BookingPart.end_at > start,
        )
    )
    if except_booking_id is not None:
        query = query.where(Booking.id != except_booking_id)
    if holding is not None:
        officer_ids, bay_ids = holding
        query = query.where(
            or_(BookingPart.officer_id.in_(officer_ids), BookingPart.resource_id.in_(bay_ids))
        )
    parts: dict[tuple[int, datetime, datetime, str], tuple[str, set[str]]] = {}
    for booking_id, part_start, part_end, officer_code, bay_code, reference in session.execute(
        query
    ):
        _reference, officers = parts.setdefault(
            (booking_id, part_start, part_end, bay_code), (reference, set())
        )
        if officer_code is not None:
            officers.add(officer_code)
    return tuple(
        engine.ExistingBooking(
            reference=reference,
            start=part_start,
            end=part_end,
            officer_ids=frozenset(officers),
            bay_id=bay_code,
        )
        for (_booking, part_start, part_end, bay_code), (reference, officers) in sorted(
            parts.items(), key=lambda item: (item[0][1], item[0][0])
        )
    )
