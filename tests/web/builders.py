"""Plans, users and posts for the web and API tests, built directly as rows.

Engines are not needed to test pages: a plan here is what the pipeline would store (windows
from each office's regular hours, everyone on a day shift, staffing needs against them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.services import booking as booking_service
from app.services import users as user_service
from app.services.scenario.generate import GeneratorSettings, synthetic_scenario
from app.services.scenario.load import load_scenario
from models import (
    BorderPost,
    Job,
    Officer,
    Plan,
    PlanKind,
    PlannedShift,
    PlannedWindow,
    PlanStatus,
    ShiftTemplate,
    SolveRun,
    StaffingNeed,
)
from solver.timeutil import local_to_utc

PASSWORD = "correct horse"


@dataclass(frozen=True, slots=True)
class RoleUser:
    username: str
    role: str
    scope: dict[str, str]


def role_users(post: str, sides: tuple[str, str], agency: str, officer: str) -> list[RoleUser]:
    """One user per role at ``post``, plus a manager of one side only."""
    return [
        RoleUser("admin", "admin", {}),
        RoleUser("manager", "post_manager", {"post": post}),
        RoleUser("side-manager", "post_manager", {"post": post, "side": sides[0]}),
        RoleUser("scheduler", "agency_scheduler", {"post": post, "agency": agency}),
        RoleUser("officer", "officer", {"post": post, "officer": officer}),
        RoleUser("neighbour", "neighbour_viewer", {"post": post, "side": sides[1]}),
        RoleUser("auditor", "auditor", {"post": post}),
    ]


def load_post(session: Session, code: str, start: date, *, officers: int = 24) -> BorderPost:
    load_scenario(session, synthetic_scenario(GeneratorSettings(officers=officers, days=7, trucks_per_day=100, code=code, start=start)))
    return session.scalar(select(BorderPost).where(BorderPost.code == code))  # type: ignore[return-value]


def add_users(session: Session, users: list[RoleUser]) -> None:
    for user in users:
        user_service.create_user(session, username=user.username, password=PASSWORD, role=user.role, **user.scope)


def first_officer(session: Session, post: BorderPost, agency_code: str) -> Officer:
    return session.scalars(select(Officer).join(Officer.agency).where(Officer.post_id == post.id, Officer.agency.has(code=agency_code)).order_by(Officer.code)).first()  # type: ignore[return-value]


def template_for(post: BorderPost, officer: Officer, *, night: bool = False) -> ShiftTemplate:
    """The side's first template this officer's agency works (early for 24/7 agencies, office hours otherwise)."""
    for template in post.shift_templates:
        works = not template.agency_codes or officer.agency.code in template.agency_codes
        if template.side_id == officer.agency.side_id and works and template.night == night:
            return template
    raise LookupError(f"no template for {officer.code}")


def build_plan(
    session: Session, post: BorderPost, *, version: int, start: date, days: int, status: PlanStatus = PlanStatus.DRAFT,
    close_early: dict[str, int] | None = None, explanations: list[dict[str, Any]] | None = None,
    breakdown: list[dict[str, Any]] | None = None, kpis: dict[str, Any] | None = None, rest_officers: set[str] | None = None,
    solver_status: str = "OPTIMAL",
) -> Plan:
    """A plan from ``start`` for ``days``: offices open their regular hours (``close_early`` cuts an
    office's windows by minutes), every officer works their agency's day shift except those in
    ``rest_officers``, and staffing needs ask for each office's minimum crew while it is open."""
    plan = Plan(
        post_id=post.id, version=version, kind=PlanKind.PIPELINE, status=status, horizon_start=start, horizon_days=days,
        seed=1, time_limit_seconds=5.0, workers=2, solver_status=solver_status, objective=120.0, best_bound=100.0, gap=0.1666,
        wall_seconds=1.5, kpis=kpis if kpis is not None else {"uncovered_officer_hours": 3, "overtime_hours": 0},
        explanations=explanations or [],
    )
    session.add(plan)
    session.flush()
    close_early = close_early or {}
    for office in post.offices:
        zone = office.timezone
        for offset in range(days):
            day = start + timedelta(days=offset)
            spans = [(0, 1440)] if office.always_open else [(h.start_minute, h.end_minute) for h in office.weekly_hours if h.weekday == day.weekday()]
            for a, b in spans:
                b -= close_early.get(office.code, 0)
                if b > a:
                    session.add(PlannedWindow(plan_id=plan.id, office_id=office.id, start_at=local_to_utc(day, a, zone), end_at=local_to_utc(day, b, zone)))
    officers = session.scalars(select(Officer).where(Officer.post_id == post.id).order_by(Officer.code)).all()
    shifts = []
    for officer in officers:
        if officer.code in (rest_officers or set()):
            continue
        template = template_for(post, officer)
        zone = officer.agency.side.timezone
        for offset in range(days):
            day = start + timedelta(days=offset)
            begin = local_to_utc(day, template.start_minute, zone)
            shift = PlannedShift(plan_id=plan.id, officer_id=officer.id, template_id=template.id, office_id=officer.office_id, day=day, start_at=begin, end_at=local_to_utc(day, template.start_minute + template.length_minutes, zone))
            shifts.append(shift)
    session.add_all(shifts)
    session.flush()
    for office in post.offices:
        for window in session.scalars(select(PlannedWindow).where(PlannedWindow.plan_id == plan.id, PlannedWindow.office_id == office.id)):
            hour = window.start_at
            while hour < window.end_at:
                following = min(hour + timedelta(hours=1), window.end_at)
                staffed = sum(1 for s in shifts if s.office_id == office.id and s.start_at <= hour and following <= s.end_at)
                session.add(StaffingNeed(plan_id=plan.id, office_id=office.id, start_at=hour, end_at=following, required=office.min_crew, staffed=staffed))
                hour = following
    session.add(SolveRun(plan_id=plan.id, engine="roster", status=solver_status, objective=120.0, best_bound=100.0, gap=0.1666, seed=1, time_limit_seconds=5.0, workers=2, wall_seconds=1.5, progress=[{"seconds": 0.5, "objective": 150, "bound": 90}, {"seconds": 1.4, "objective": 120, "bound": 100}], breakdown=breakdown or []))
    session.flush()
    return plan


WALK_AGENCIES = ("PL-CUS", "UA-CUS")
# WALK-1 waits for a slot; WALK-2 to WALK-5 are booked (two to cancel, two to move); WALK-6 waits too.
WALK_BOOKED = ("WALK-2", "WALK-3", "WALK-4", "WALK-5")


def add_walk_requests(session: Session, post: BorderPost, user: Any) -> None:
    """Requests for customs of both sides arriving tomorrow 06:00 UTC, four of them booked.

    Early enough that the one Polish customs officer of the juxtaposed office (on duty 06-14
    Warsaw time) can take all four, one after another, before the day shift ends."""
    now = datetime.now(UTC)
    arrival = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC) + timedelta(hours=6)
    for number in range(1, 7):
        reference = f"WALK-{number}"
        draft = booking_service.RequestDraft(reference=reference, exit_side="PL", category="general", agencies=WALK_AGENCIES, expected_arrival=arrival)
        request = booking_service.create_request(session, post, draft, user, now, may_book_for=lambda _agency: True)
        if reference in WALK_BOOKED:
            offer = booking_service.offers(session, request, now).offers[0]
            booking_service.confirm(session, request, booking_service.parse_offer_key(offer.key), user, now)
    session.flush()


def stand_in_plan_handler(context: Any) -> dict[str, Any]:
    """What the ``plan`` job handler does, by contract, without an engine: reports progress
    points, stores a draft plan and links it to the job. For tests of the pages around it."""
    params = context.params
    for seconds, objective, bound in ((0.2, 180.0, 60.0), (0.6, 140.0, 90.0), (1.0, 120.0, 100.0)):
        context.progress({"stage": "roster", "seconds": seconds, "objective": objective, "bound": bound})
    with context.sessions() as session:
        post = session.scalar(select(BorderPost).where(BorderPost.code == params["post"]))
        version = (session.scalar(select(func.max(Plan.version)).where(Plan.post_id == post.id)) or 0) + 1
        plan = build_plan(session, post, version=version, start=date.fromisoformat(params["start"]), days=7 * params["weeks"])
        session.get(Job, context.job_id).plan_id = plan.id
        session.commit()
        return {"plan": plan.version}
