"""Batch plans of a day's pending requests: CP-SAT against the staffing plan and the bookings
already confirmed, checked by the independent checker, stored as a draft plan of kind
inspections with TRS figures and explanations; by the service, the job and the CLI."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.services import booking as booking_service
from app.services.errors import InvalidInput
from app.services.inspection_batch import BatchSettings, plan_inspections
from models import (
    BookingMode,
    InspectionRequest,
    Plan,
    PlanKind,
    PlanStatus,
    RequestStatus,
)
from solver import inspections as engine
from solver.config import SolverConfig
from tests.booking.builders import (
    NOW,
    T0,
    add_health_agency,
    at,
    book_first,
    booker,
    everyone_on_duty,
    post_of,
    request,
)

SETTINGS = BatchSettings(
    first_day=T0.date(), days=1, config=SolverConfig(time_limit_seconds=10, workers=2, seed=1)
)


def _day_of_requests(session) -> None:  # type: ignore[no-untyped-def]
    request(session, "B-1", ("BG-CUS", "TR-CUS"), 1.0)
    request(session, "B-2", ("BG-CUS", "TR-CUS"), 1.0)
    request(session, "B-3", ("BG-VET", "TR-CUS"), 2.0, category="livestock")
    request(session, "B-4", ("BG-CUS", "TR-AGR"), 3.0, category="produce")
    request(session, "B-5", ("BG-CUS",), 20.0)  # arrives after the day: not in this batch


def _checked(outcome) -> None:  # type: ignore[no-untyped-def]
    report = engine.check(outcome.batch.problem, outcome.solution)
    assert report.ok, report.problems
    assert report.objective == outcome.solution.objective


def test_a_days_requests_are_planned_checked_and_stored_as_a_draft(session) -> None:  # type: ignore[no-untyped-def]
    staffing = everyone_on_duty(session, BC2=[], TC2=[])
    _day_of_requests(session)
    outcome = plan_inspections(session, post_of(session), SETTINGS, user=booker(session))
    _checked(outcome)
    plan = outcome.plan
    assert (plan.kind, plan.status, plan.parent_id, plan.horizon_start, plan.horizon_days) == (
        PlanKind.INSPECTIONS,
        PlanStatus.DRAFT,
        staffing.id,
        T0.date(),
        1,
    )
    assert {r.reference for r in outcome.batch.problem.requests} == {"B-1", "B-2", "B-3", "B-4"}
    assert plan.kpis["requests"] == 4 and plan.kpis["inspected"] == 4 and plan.kpis["joint"] == 4
    assert outcome.solution.status == "optimal"
    # One customs officer per side: B-1 and B-2 one after the other, never before arrival.
    rows = {
        session.get(InspectionRequest, row.request_id).reference: row for row in plan.inspections
    }
    first, second = sorted((rows["B-1"], rows["B-2"]), key=lambda row: row.start_at)
    assert first.start_at >= at(1) and second.start_at >= first.end_at
    assert all(
        row.mode == BookingMode.JOINT and len(row.officer_ids) == 2 for row in plan.inspections
    )
    assert (
        plan.runs[0].engine == "inspections"
        and plan.runs[0].objective == outcome.solution.objective
    )
    trs = plan.kpis["trs"]
    assert set(trs) >= {"overall", "by_agency", "by_category", "by_priority", "uncoordinated"}
    assert trs["by_priority"]["live_animals"]["arrival_to_start"]["count"] == 1
    assert plan.kpis["arrival_to_start_mean_minutes"] == trs["overall"]["arrival_to_start"]["mean"]
    assert plan.kpis["joint_vs_uncoordinated_factor"] >= 1.0
    session.flush()
    assert session.scalar(select(Plan).where(Plan.kind == PlanKind.INSPECTIONS)) is plan


def test_confirmed_bookings_are_respected_and_booked_requests_left_alone(session) -> None:  # type: ignore[no-untyped-def]
    everyone_on_duty(session, BC2=[], TC2=[])
    _offer, booking = book_first(session, request(session, "B-0", ("BG-CUS", "TR-CUS"), 1.0))
    _day_of_requests(session)
    outcome = plan_inspections(session, post_of(session), SETTINGS)
    _checked(outcome)
    assert "B-0" not in {r.reference for r in outcome.batch.problem.requests}
    assert len(outcome.batch.problem.bookings) == 1
    for inspection in outcome.solution.inspections:
        for part in inspection.parts:
            assert (
                part.start >= booking.end_at
                or part.end <= booking.start_at
                or not {"BC1", "TC1"} & {a.officer_id for a in part.officers}
            )


def test_a_consignment_that_cannot_be_inspected_is_explained(session) -> None:  # type: ignore[no-untyped-def]
    everyone_on_duty(session, BV1=[])  # no veterinarian on duty all day
    _day_of_requests(session)
    outcome = plan_inspections(session, post_of(session), SETTINGS)
    _checked(outcome)
    assert [u.reference for u in outcome.solution.uninspected] == ["B-3"]
    said = [e["message"] for e in outcome.plan.explanations if e["subject"] == "B-3"]
    assert any("not inspected" in message and "BG-VET" in message for message in said), said
    assert outcome.plan.kpis["not_inspected"] == 1


def test_a_request_the_post_cannot_take_is_left_out_and_said_why(session) -> None:  # type: ignore[no-untyped-def]
    everyone_on_duty(session)
    # A request loaded from a file may name an agency that does not work at the facility.
    health = add_health_agency(session)
    row = request(session, "B-6", ("BG-CUS",), 1.0)
    row.agencies.append(health)
    session.flush()
    outcome = plan_inspections(session, post_of(session), SETTINGS)
    assert outcome.batch.problem.requests == ()
    assert any(
        e["subject"] == "B-6" and "TR-SSG has no office" in e["message"]
        for e in outcome.plan.explanations
    ), outcome.plan.explanations


def test_without_a_published_staffing_plan_there_is_nothing_to_plan_against(session) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as refused:
        plan_inspections(session, post_of(session), SETTINGS)
    assert refused.value.problems[0].field == "plan"
    with pytest.raises(InvalidInput):
        plan_inspections(session, post_of(session), BatchSettings(first_day=T0.date(), days=30))


def test_a_planned_inspection_can_then_be_booked_as_planned(session) -> None:  # type: ignore[no-untyped-def]
    everyone_on_duty(session)
    _day_of_requests(session)
    outcome = plan_inspections(session, post_of(session), SETTINGS)
    planned = outcome.solution.inspection("B-4")
    assert planned is not None and planned.mode == "joint"
    part = planned.parts[0]
    key = f"{part.start:%Y-%m-%dT%H:%MZ}|{part.bay_id}|" + ",".join(
        f"{a.agency}={a.officer_id}" for a in part.officers
    )
    row = booking_service.get_request(session, post_of(session), "B-4")
    booking = booking_service.confirm(
        session, row, booking_service.parse_offer_key(key), booker(session), NOW
    )
    assert booking.start_at == part.start and row.status == RequestStatus.BOOKED
    assert booking.end_at - booking.start_at == timedelta(minutes=60)
