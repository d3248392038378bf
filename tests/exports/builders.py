"""A Kapitan Andreevo style post (BG Europe/Sofia, TR Europe/Istanbul) and plans for it.

Plans hold rows only around the two 2026 DST switches of Europe/Sofia (last Sunday of March,
29 March; last Sunday of October, 25 October), where feeds most easily go wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.scenario import spec
from app.services.scenario.load import load_scenario
from models import (
    Agency,
    Booking,
    BookingMode,
    BookingPart,
    BookingStatus,
    BorderPost,
    InspectionRequest,
    Office,
    Officer,
    Plan,
    PlanKind,
    PlannedShift,
    PlannedWindow,
    PlanStatus,
    Resource,
    ShiftTemplate,
)
from solver.timeutil import local_to_utc

POST = "KA"
SPRING = date(2026, 3, 29)
AUTUMN = date(2026, 10, 25)
PLAN_START = date(2026, 3, 26)
PLAN_DAYS = 220  # to 1 November 2026
PLAN_DAYS_LIST = [SPRING + timedelta(days=offset) for offset in (-2, -1, 0, 1)] + [AUTUMN + timedelta(days=offset) for offset in (-1, 0, 1)]

ALWAYS = (spec.DayWindows(tuple(range(7)), (spec.Window(0, 1440),)),)
DAYTIME = (spec.DayWindows((0, 1, 2, 3, 4), (spec.Window(8 * 60, 17 * 60),)),)


def ka_scenario() -> spec.Scenario:
    sides = (
        spec.SideSpec(code="BG", country="BG", name="Bulgaria", timezone="Europe/Sofia", holiday_country="BG", holiday_subdivision=None, weekend=(5, 6), labour=spec.LabourSpec()),
        spec.SideSpec(code="TR", country="TR", name="Türkiye", timezone="Europe/Istanbul", holiday_country="TR", holiday_subdivision=None, weekend=(5, 6), labour=spec.LabourSpec()),
    )
    agencies = (
        spec.AgencySpec(code="BG-CUS", side="BG", kind="customs", name="Bulgarian Customs Agency", lead=True),
        spec.AgencySpec(code="BG-VET", side="BG", kind="animal_health", name="BFSA border veterinary control"),
        spec.AgencySpec(code="TR-CUS", side="TR", kind="customs", name="Kapıkule Customs", lead=True),
        spec.AgencySpec(code="TR-VET", side="TR", kind="animal_health", name="Turkish veterinary border post"),
    )
    offices = (
        spec.OfficeSpec(code="BG-CUS-OFF", agency="BG-CUS", name="Kapitan Andreevo customs", host_side="BG", always_open=True, on_holidays="open", hours=ALWAYS),
        spec.OfficeSpec(code="BG-VET-OFF", agency="BG-VET", name="Kapitan Andreevo BIP", host_side="BG", hours=DAYTIME),
        spec.OfficeSpec(code="TR-CUS-OFF", agency="TR-CUS", name="Kapıkule gümrük", host_side="TR", always_open=True, on_holidays="open", hours=ALWAYS),
        spec.OfficeSpec(code="TR-VET-OFF", agency="TR-VET", name="Kapıkule veteriner", host_side="TR", hours=DAYTIME),
    )
    officers = tuple(
        spec.OfficerSpec(code=f"{office.code[:6]}{number}", name=f"{office.agency} officer {number}", agency=office.agency, office=office.code)
        for office in offices for number in (1, 2)
    )
    templates = (
        spec.ShiftTemplateSpec(code="BG-E8", side="BG", name="Early 06-14", start_minute=360, length_minutes=480, night=False),
        spec.ShiftTemplateSpec(code="BG-N8", side="BG", name="Night 22-06", start_minute=1320, length_minutes=480, night=True),
        spec.ShiftTemplateSpec(code="TR-E8", side="TR", name="Sabah 06-14", start_minute=360, length_minutes=480, night=False),
        spec.ShiftTemplateSpec(code="TR-N8", side="TR", name="Gece 22-06", start_minute=1320, length_minutes=480, night=True),
    )
    resources = (
        spec.ResourceSpec(code="BAY-01", name="Joint bay 1", host_side="BG", kind="bay", always_open=True),
        spec.ResourceSpec(code="PEN-01", name="Livestock pen", host_side="TR", kind="pen", capabilities=("livestock",), always_open=True),
    )
    categories = (
        spec.CategorySpec(code="general", name="General cargo", checks=(spec.CheckSpec(agency="BG-CUS", selection_rate=0.03, inspection_minutes=45), spec.CheckSpec(agency="TR-CUS", selection_rate=0.03, inspection_minutes=45))),
        spec.CategorySpec(code="livestock", name="Live animals", capabilities=("livestock",), checks=(spec.CheckSpec(agency="BG-VET", selection_rate=0.25, inspection_minutes=90), spec.CheckSpec(agency="TR-VET", selection_rate=0.25, inspection_minutes=90))),
    )
    arrival = datetime(2026, 3, 28, 10, 0, tzinfo=UTC)
    requests = (
        spec.RequestSpec(reference="MRN-26BG-0001", exit_side="TR", entry_side="BG", category="general", agencies=("BG-CUS", "TR-CUS"), duration_minutes=60, expected_arrival=arrival, notified_at=arrival - timedelta(hours=26)),
        spec.RequestSpec(reference="MRN-26BG-0002", exit_side="TR", entry_side="BG", category="livestock", agencies=("BG-VET", "TR-VET"), duration_minutes=90, expected_arrival=arrival, notified_at=arrival - timedelta(hours=26), capabilities=("livestock",)),
    )
    return spec.Scenario(
        post=spec.PostSpec(code=POST, name="Kapitan Andreevo / Kapıkule", layout="two_facility"),
        sides=sides, agencies=agencies, offices=offices, shift_templates=templates, resources=resources, categories=categories, officers=officers, requests=requests,
    )


def load_ka(session: Session) -> BorderPost:
    load_scenario(session, ka_scenario())
    post = session.scalar(select(BorderPost).where(BorderPost.code == POST))
    assert post is not None
    return post


def by_code(session: Session, model: type, code: str):  # type: ignore[no-untyped-def]
    return session.scalar(select(model).where(model.code == code))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Variant:
    """How a plan differs from the first: used by re-plan tests."""

    shorten_bg_vet_on: date | None = None  # the BG vet office closes at 15:00 instead of 17:00
    drop_officer_shift: tuple[str, date] | None = None
    move_booking_minutes: int = 0


def new_plan(session: Session, post: BorderPost, version: int, status: PlanStatus, horizon: tuple[date, int]) -> Plan:
    plan = Plan(
        post_id=post.id, version=version, kind=PlanKind.PIPELINE, status=status, horizon_start=horizon[0], horizon_days=horizon[1],
        seed=1, time_limit_seconds=10.0, workers=2, solver_status="OPTIMAL", kpis={}, explanations=[],
        published_at=datetime(2026, 3, 1, 12, 0, tzinfo=UTC) + timedelta(days=version),
    )
    session.add(plan)
    session.flush()
    return plan


def planned_shift(plan: Plan, officer: Officer, template: ShiftTemplate, day: date) -> PlannedShift:
    """``template`` worked by ``officer`` on local ``day``, its instants on the office's clock."""
    zone = officer.office.timezone
    return PlannedShift(
        plan_id=plan.id, officer_id=officer.id, template_id=template.id, office_id=officer.office_id, day=day,
        start_at=local_to_utc(day, template.start_minute, zone), end_at=local_to_utc(day, template.start_minute + template.length_minutes, zone),
    )


def add_plan(session: Session, post: BorderPost, version: int, *, variant: Variant = Variant(), days: list[date] | None = None, status: PlanStatus = PlanStatus.PUBLISHED, horizon: tuple[date, int] = (PLAN_START, PLAN_DAYS)) -> Plan:
    """A plan with opening windows for every office and one shift per officer on ``days``."""
    for older in session.scalars(select(Plan).where(Plan.post_id == post.id, Plan.status == PlanStatus.PUBLISHED)):
        if status == PlanStatus.PUBLISHED:
            older.status = PlanStatus.SUPERSEDED
    plan = new_plan(session, post, version, status, horizon)
    offices = list(session.scalars(select(Office).where(Office.post_id == post.id).order_by(Office.code)))
    for day in days or PLAN_DAYS_LIST:
        for office in offices:
            zone = office.timezone
            if office.always_open:
                windows = [(0, 1440)]
            elif day.weekday() < 5:
                closing = 15 * 60 if variant.shorten_bg_vet_on == day and office.code == "BG-VET-OFF" else 17 * 60
                windows = [(8 * 60, 12 * 60), (13 * 60, closing)]
            else:
                windows = []
            for start, end in windows:
                session.add(PlannedWindow(plan_id=plan.id, office_id=office.id, start_at=local_to_utc(day, start, zone), end_at=local_to_utc(day, end, zone)))
        for officer in session.scalars(select(Officer).where(Officer.post_id == post.id).order_by(Officer.code)):
            if variant.drop_officer_shift == (officer.code, day):
                continue
            side = officer.agency.side.code
            night = officer.code.endswith("2")
            template = by_code(session, ShiftTemplate, f"{side}-{'N8' if night else 'E8'}")
            session.add(planned_shift(plan, officer, template, day))
    session.flush()
    return plan


def add_booking(session: Session, post: BorderPost, plan: Plan | None, reference: str, start: datetime, minutes: int, *, bay: str = "BAY-01") -> Booking:
    request = session.scalar(select(InspectionRequest).where(InspectionRequest.reference == reference))
    resource = by_code(session, Resource, bay)
    booking = Booking(post_id=post.id, request_id=request.id, plan_id=plan.id if plan else None, mode=BookingMode.JOINT, status=BookingStatus.CONFIRMED, start_at=start, end_at=start + timedelta(minutes=minutes))
    for agency in request.agencies:
        officer = session.scalar(select(Officer).where(Officer.agency_id == agency.id).order_by(Officer.code))
        booking.parts.append(BookingPart(agency_id=agency.id, officer_id=officer.id if officer else None, resource_id=resource.id, start_at=start, end_at=start + timedelta(minutes=minutes)))
    session.add(booking)
    session.flush()
    return booking


def agency(session: Session, code: str) -> Agency:
    return by_code(session, Agency, code)


def add_plan_from_rules(session: Session, post: BorderPost, version: int, days: list[date], *, officers_per_agency: int = 3) -> Plan:
    """A published plan built from the post's own rules: each office open as its weekly hours
    say, and the first officers of each agency on the shift templates their agency works."""
    plan = new_plan(session, post, version, PlanStatus.PUBLISHED, (min(days), (max(days) - min(days)).days + 1))
    templates = list(session.scalars(select(ShiftTemplate).where(ShiftTemplate.post_id == post.id).order_by(ShiftTemplate.code)))
    for office in session.scalars(select(Office).where(Office.post_id == post.id).order_by(Office.code)):
        for day in days:
            for hours in office.weekly_hours:
                if hours.weekday == day.weekday():
                    session.add(PlannedWindow(plan_id=plan.id, office_id=office.id, start_at=local_to_utc(day, hours.start_minute, office.timezone), end_at=local_to_utc(day, hours.end_minute, office.timezone)))
    for agency_row in session.scalars(select(Agency).where(Agency.post_id == post.id).order_by(Agency.code)):
        usable = [t for t in templates if (agency_row.code in t.agency_codes) or (not t.agency_codes and t.side_id == agency_row.side_id)]
        staff = list(session.scalars(select(Officer).where(Officer.agency_id == agency_row.id).order_by(Officer.code).limit(officers_per_agency)))
        for index, officer in enumerate(staff):
            for offset, day in enumerate(days):
                if not usable:
                    continue
                session.add(planned_shift(plan, officer, usable[(index + offset) % len(usable)], day))
    session.flush()
    return plan
