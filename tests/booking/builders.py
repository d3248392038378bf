"""A small two-country post built as rows, to test booking where each rule binds.

Bulgaria (Europe/Sofia, UTC+2 in March) hosts the facility for trucks entering it from
Turkey (Europe/Istanbul, UTC+3); Turkish officers work there in juxtaposed offices. Times in
tests are hours after ``T0``: Tuesday 10 March 2026, 06:00 UTC (08:00 in Sofia, 09:00 in
Istanbul). Requests are registered at ``NOW``, the Monday before at 06:00 UTC, so the
veterinary pre-notification of one working day has run out at ``T0``.

Nobody is on duty and no office is open unless a test says so with ``publish_plan``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services import booking as booking_service
from app.services import users as user_service
from app.services.booking_search import BookingContext
from app.services.inspection_site import request_of
from models import (
    Agency,
    AgencyKind,
    BorderPost,
    CargoCategory,
    CategoryCheck,
    Facility,
    HolidayPolicy,
    InspectionRequest,
    NoticePolicy,
    Office,
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
    ResourceKind,
    ShiftTemplate,
    Side,
    Skill,
    User,
)
from solver import inspections as engine
from solver.timeutil import utc_to_local

T0 = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
NOW = T0 - timedelta(days=1)
# The same hours in the future, for tests through the web and the API, which book at the
# real present: 06:00 UTC on the Tuesday of next week.
_today = datetime.now(UTC).date()
NEXT_TUESDAY = datetime.combine(
    _today + timedelta(days=7 + (1 - _today.weekday()) % 7), datetime.min.time(), tzinfo=UTC
) + timedelta(hours=6)
POST = "mini"

# agency code: (side, kind, notice working days, derogation hours, notice hours, fee per hour, currency)
AGENCIES = {
    "BG-CUS": ("BG", AgencyKind.CUSTOMS, 0, None, 0, 0, "EUR"),
    "BG-VET": ("BG", AgencyKind.ANIMAL_HEALTH, 1, 4, 0, 40, "EUR"),
    "BG-CITES": ("BG", AgencyKind.CITES, 0, None, 48, 0, "EUR"),
    "TR-CUS": ("TR", AgencyKind.CUSTOMS, 0, None, 0, 0, "TRY"),
    "TR-AGR": ("TR", AgencyKind.PLANT_HEALTH, 0, None, 0, 1200, "TRY"),
}
# office code: (agency, host side); every office of the facility is on the Bulgarian side.
OFFICES = {
    "BG-CUS-KA": ("BG-CUS", "BG"),
    "BG-VET-KA": ("BG-VET", "BG"),
    "BG-CITES-KA": ("BG-CITES", "BG"),
    "TR-CUS-JUX": ("TR-CUS", "BG"),
    "TR-AGR-JUX": ("TR-AGR", "BG"),
    "TR-CUS-KK": ("TR-CUS", "TR"),
}
# officer code: (office, skills, cross-border accreditation)
OFFICERS = {
    "BC1": ("BG-CUS-KA", (), False),
    "BC2": ("BG-CUS-KA", (), False),
    "BV1": ("BG-VET-KA", ("veterinary",), False),
    "BV2": ("BG-VET-KA", (), False),
    "BW1": ("BG-CITES-KA", ("cites",), False),
    "TC1": ("TR-CUS-JUX", (), True),
    "TC2": ("TR-CUS-JUX", (), False),
    "TA1": ("TR-AGR-JUX", (), True),
    "TK1": ("TR-CUS-KK", (), False),
}
# bay code: (host side, capabilities, capacity, weekly local hours or None for always open)
BAYS = {
    "BAY": ("BG", (), 2, None),
    "COLD": ("BG", ("cold_chain",), 1, [(weekday, 8 * 60, 20 * 60) for weekday in range(7)]),
    "PEN": ("BG", ("livestock",), 1, None),
    "TR-BAY": ("TR", (), 1, None),
}
# category code: (priority class, capabilities, {agency: (minutes, skill)})
CATEGORIES = {
    "general": (
        "regular",
        (),
        {"BG-CUS": (60, None), "TR-CUS": (60, None), "BG-CITES": (60, "cites")},
    ),
    "produce": ("perishable", ("cold_chain",), {"BG-CUS": (60, None), "TR-AGR": (60, None)}),
    "livestock": (
        "live_animals",
        ("livestock",),
        {"BG-VET": (60, "veterinary"), "TR-CUS": (60, None)},
    ),
}
CLASSES = (
    ("live_animals", 0, 120, 1),
    ("perishable", 1, 240, 1),
    ("aeo", 2, 360, 1),
    ("regular", 3, None, 5),
)


def at(hours: float, base: datetime = T0) -> datetime:
    return base + timedelta(hours=hours)


def build_post(session: Session, *, layout: PostLayout = PostLayout.TWO_FACILITY) -> BorderPost:
    post = BorderPost(
        code=POST, name="Mini crossing", layout=layout, notice_policy=NoticePolicy.FORBID
    )
    session.add(post)
    session.flush()
    sides = {
        "BG": Side(
            post_id=post.id,
            code="BG",
            country="BG",
            name="Bulgaria",
            timezone="Europe/Sofia",
            holiday_country="BG",
            weekend_days=[5, 6],
        ),
        "TR": Side(
            post_id=post.id,
            code="TR",
            country="TR",
            name="Türkiye",
            timezone="Europe/Istanbul",
            holiday_country="TR",
            weekend_days=[5, 6],
        ),
    }
    session.add_all(sides.values())
    session.flush()
    skills = {
        code: Skill(post_id=post.id, code=code, name=code.capitalize())
        for code in ("veterinary", "cites")
    }
    session.add_all(skills.values())
    agencies = {}
    for code, (side, kind, days, derogation, hours, fee, currency) in AGENCIES.items():
        agencies[code] = Agency(
            post_id=post.id,
            side_id=sides[side].id,
            code=code,
            name=f"{code} agency",
            kind=kind,
            notice_working_days=days,
            derogation_notice_hours=derogation,
            notice_hours=hours,
            out_of_hours_fee_per_hour=fee,
            currency=currency,
        )
    session.add_all(agencies.values())
    session.flush()
    offices = {}
    for code, (agency, host) in OFFICES.items():
        own = agencies[agency].side_id == sides[host].id
        offices[code] = Office(
            post_id=post.id,
            agency_id=agencies[agency].id,
            host_side_id=sides[host].id,
            code=code,
            name=f"{code} office",
            facility=Facility.OWN if own else Facility.JUXTAPOSED,
            on_holidays=HolidayPolicy.CLOSED,
        )
    session.add_all(offices.values())
    session.flush()
    for code, (office, held, cross_border) in OFFICERS.items():
        officer = Officer(
            post_id=post.id,
            agency_id=offices[office].agency_id,
            office_id=offices[office].id,
            code=code,
            name=f"Officer {code}",
            cross_border=cross_border,
        )
        officer.skills.extend(skills[s] for s in held)
        session.add(officer)
    for side in sides.values():
        session.add(
            ShiftTemplate(
                post_id=post.id,
                side_id=side.id,
                code=f"{side.code}-ANY",
                name="Any",
                start_minute=0,
                length_minutes=480,
                agency_codes=[],
                weekdays=[],
            )
        )
    for code, (host, capabilities, capacity, hours) in BAYS.items():
        resource = Resource(
            post_id=post.id,
            host_side_id=sides[host].id,
            code=code,
            name=f"{code} bay",
            kind=ResourceKind.BAY,
            capabilities=list(capabilities),
            capacity=capacity,
            always_open=hours is None,
        )
        resource.hours.extend(
            ResourceHours(weekday=w, start_minute=a, end_minute=b) for w, a, b in hours or ()
        )
        session.add(resource)
    classes = {
        code: PriorityClass(
            post_id=post.id,
            code=code,
            name=code.replace("_", " ").capitalize(),
            rank=rank,
            max_wait_minutes=wait,
            quota=quota,
        )
        for code, rank, wait, quota in CLASSES
    }
    session.add_all(classes.values())
    session.flush()
    for code, (priority, capabilities, checks) in CATEGORIES.items():
        category = CargoCategory(
            post_id=post.id,
            code=code,
            name=code.capitalize(),
            priority_class_id=classes[priority].id,
            capabilities=list(capabilities),
        )
        category.checks.extend(
            CategoryCheck(
                agency_id=agencies[agency].id,
                selection_rate=0.1,
                inspection_minutes=minutes,
                skill_id=skills[skill].id if skill else None,
            )
            for agency, (minutes, skill) in checks.items()
        )
        session.add(category)
    user_service.create_user(session, username="booker", password="correct horse", role="admin")
    session.flush()
    session.expire(post)
    return post


def post_of(session: Session) -> BorderPost:
    return session.scalar(select(BorderPost).where(BorderPost.code == POST))  # type: ignore[return-value]


def booker(session: Session) -> User:
    return user_service.get_user(session, "booker")


def publish_plan(
    session: Session,
    *,
    open_hours: Mapping[str, Iterable[tuple[float, float]]],
    duty: Mapping[str, Iterable[tuple[float, float]]],
    version: int = 1,
    status: PlanStatus = PlanStatus.PUBLISHED,
    out_of_hours: Mapping[str, Iterable[tuple[float, float]]] | None = None,
    base: datetime = T0,
) -> Plan:
    """A staffing plan: each office open in ``open_hours`` and each officer on duty in ``duty``,
    both in hours after ``T0``; ``out_of_hours`` windows are service on request."""
    post = post_of(session)
    plan = Plan(
        post_id=post.id,
        version=version,
        kind=PlanKind.PIPELINE,
        status=status,
        horizon_start=base.date() - timedelta(days=2),
        horizon_days=14,
        seed=1,
        time_limit_seconds=5.0,
        workers=2,
        solver_status="optimal",
        kpis={},
        explanations=[],
    )
    session.add(plan)
    session.flush()
    offices = {
        office.code: office
        for office in session.scalars(select(Office).where(Office.post_id == post.id))
    }
    for flag, table in ((False, open_hours), (True, out_of_hours or {})):
        for code, spans in table.items():
            for a, b in spans:
                session.add(
                    PlannedWindow(
                        plan_id=plan.id,
                        office_id=offices[code].id,
                        start_at=at(a, base),
                        end_at=at(b, base),
                        out_of_hours=flag,
                    )
                )
    officers = {
        officer.code: officer
        for officer in session.scalars(select(Officer).where(Officer.post_id == post.id))
    }
    templates = {
        t.side_id: t
        for t in session.scalars(select(ShiftTemplate).where(ShiftTemplate.post_id == post.id))
    }
    for code, spans in duty.items():
        officer = officers[code]
        for a, b in spans:
            # Duty longer than a day is a run of shifts of at most a day, as a roster has them.
            for start in range(int(a * 60), int(b * 60), 24 * 60):
                shift_start, shift_end = at(start / 60, base), at(min(b, start / 60 + 24), base)
                session.add(
                    PlannedShift(
                        plan_id=plan.id,
                        officer_id=officer.id,
                        template_id=templates[officer.agency.side_id].id,
                        office_id=officer.office_id,
                        day=utc_to_local(shift_start, officer.agency.side.timezone).date(),
                        start_at=shift_start,
                        end_at=shift_end,
                    )
                )
    session.flush()
    return plan


ALL_DAY = ((-30.0, 60.0),)


def everyone_on_duty(
    session: Session, *, base: datetime = T0, **overrides: Iterable[tuple[float, float]]
) -> Plan:
    """Every office open and every officer on duty from a day before ``T0`` to two days after,
    except what ``overrides`` (office or officer code, dashes as underscores) says."""
    table = {code.replace("_", "-"): tuple(spans) for code, spans in overrides.items()}
    open_hours = {code: table.get(code, ALL_DAY) for code in OFFICES}
    duty = {code: table.get(code, ALL_DAY) for code in OFFICERS}
    return publish_plan(session, open_hours=open_hours, duty=duty, base=base)


def draft(
    reference: str,
    agencies: tuple[str, ...],
    arrival: float = 0.0,
    *,
    category: str = "general",
    exit_side: str = "TR",
    base: datetime = T0,
    **options: object,
) -> booking_service.RequestDraft:
    return booking_service.RequestDraft(
        reference=reference,
        exit_side=exit_side,
        category=category,
        agencies=agencies,
        expected_arrival=at(arrival, base),
        **options,
    )  # type: ignore[arg-type]


def request(
    session: Session,
    reference: str,
    agencies: tuple[str, ...],
    arrival: float = 0.0,
    *,
    now: datetime = NOW,
    base: datetime = T0,
    **options: object,
) -> InspectionRequest:
    return booking_service.create_request(
        session,
        post_of(session),
        draft(reference, agencies, arrival, base=base, **options),
        booker(session),
        now,
        may_book_for=lambda _agency: True,
    )


def book_first(session: Session, row: InspectionRequest, now: datetime = NOW):  # type: ignore[no-untyped-def]
    result = booking_service.offers(session, row, now)
    offer = (result.offers or result.fallback)[0]
    return offer, booking_service.confirm(
        session, row, booking_service.parse_offer_key(offer.key), booker(session), now
    )


def assert_offers_pass_the_checker(
    session: Session, row: InspectionRequest, result, now: datetime = NOW
) -> None:  # type: ignore[no-untyped-def]
    """Every offer and fallback passes the engine's independent ``check_booking`` against the
    bookings the offers were computed with."""
    post = post_of(session)
    context = BookingContext.load(session, post, request_of(post, row), now)
    for offer in (*result.offers, *result.fallback):
        inspection = context.inspection_for(booking_service.parse_offer_key(offer.key))
        assert inspection.waiting_minutes == offer.waiting_minutes
        assert (
            engine.check_booking(context.request, inspection, context.availability, now=now) == ()
        )


def add_health_agency(session: Session) -> Agency:
    """Turkish health control, which works only in its own facility: never at the Bulgarian one."""
    post = post_of(session)
    turkey = next(side for side in post.sides if side.code == "TR")
    health = Agency(
        post_id=post.id, side_id=turkey.id, code="TR-SSG", name="Health", kind=AgencyKind.HEALTH
    )
    session.add(health)
    session.flush()
    session.add(
        Office(
            post_id=post.id,
            agency_id=health.id,
            host_side_id=turkey.id,
            code="TR-SSG-KK",
            name="Health desk",
            facility=Facility.OWN,
            on_holidays=HolidayPolicy.CLOSED,
        )
    )
    session.flush()
    session.expire(post)
    return health
