"""Rows as the API returns them: codes instead of ids, ISO 8601 instants with their offset."""

from __future__ import annotations

from typing import Any

from app.services.booking_search import SearchResult
from app.services.plans import PlanComparison, PublishResult
from models import Booking, InspectionRequest, Plan, User


def user(row: User) -> dict[str, Any]:
    return {
        "username": row.username, "name": row.display_name, "role": row.role.value,
        "post": row.post.code if row.post else None, "side": row.side.code if row.side else None,
        "agency": row.agency.code if row.agency else None, "officer": row.officer.code if row.officer else None,
    }


def plan(row: Plan, *, detail: bool = False) -> dict[str, Any]:
    found: dict[str, Any] = {
        "version": row.version, "kind": row.kind.value, "status": row.status.value,
        "horizon_start": row.horizon_start.isoformat(), "horizon_days": row.horizon_days,
        "solver_status": row.solver_status, "objective": row.objective, "best_bound": row.best_bound, "gap": row.gap,
        "seed": row.seed, "time_limit_seconds": row.time_limit_seconds, "workers": row.workers,
        "created_at": row.created_at.isoformat(), "published_at": row.published_at.isoformat() if row.published_at else None,
    }
    if detail:
        found.update(
            kpis=row.kpis, explanations=row.explanations, note=row.note,
            runs=[{"engine": r.engine, "status": r.status, "objective": r.objective, "best_bound": r.best_bound, "gap": r.gap, "wall_seconds": r.wall_seconds, "seed": r.seed, "progress": r.progress} for r in row.runs],
            counts={"windows": len(row.windows), "shifts": len(row.shifts), "needs": len(row.needs), "inspections": len(row.inspections)},
        )
    return found


def comparison(found: PlanComparison) -> dict[str, Any]:
    def span(value: tuple[Any, ...] | None) -> dict[str, Any] | None:
        if value is None:
            return None
        result = {"start": value[0].isoformat(), "end": value[1].isoformat()}
        if len(value) > 2:
            result["resource"] = value[2]
        return result

    return {
        "before": found.before.version, "after": found.after.version,
        "windows": [{"office": c.office_code, "kind": c.kind, "before": span(c.before), "after": span(c.after), "text": c.describe()} for c in found.windows],
        "shifts": [{"officer": c.officer_code, "agency": c.agency_code, "day": c.day.isoformat(), "before": c.before, "after": c.after} for c in found.shifts],
        "inspections": [{"reference": c.reference, "before": span(c.before), "after": span(c.after)} for c in found.inspections],
        "kpis": [{"name": name, "before": a, "after": b} for name, a, b in found.kpis],
    }


def published(result: PublishResult) -> dict[str, Any]:
    return {
        "plan": plan(result.plan),
        "superseded": result.superseded.version if result.superseded else None,
        "changed_windows": len(result.notice.changes),
        "late_changes": result.notice.messages,
        "penalty": result.notice.penalty,
    }


def inspection_request(row: InspectionRequest) -> dict[str, Any]:
    return {
        "reference": row.reference, "status": row.status.value,
        "exit_side": row.exit_side.code, "entry_side": row.entry_side.code, "category": row.category.code,
        "agencies": [agency.code for agency in row.agencies], "capabilities": list(row.capabilities or []),
        "duration_minutes": row.duration_minutes, "expected_arrival": row.expected_arrival.isoformat(),
        "notified_at": row.notified_at.isoformat(), "max_wait_minutes": row.max_wait_minutes,
        "reversal_allowed": row.reversal_allowed, "accepts_out_of_hours": row.accepts_out_of_hours,
        "notice_derogation": row.notice_derogation,
        "bookings": [booking.id for booking in row.bookings],
    }


def booking(row: Booking, *, with_officers: bool) -> dict[str, Any]:
    return {
        "id": row.id, "reference": row.request.reference, "status": row.status.value, "mode": row.mode.value,
        "start": row.start_at.isoformat(), "end": row.end_at.isoformat(), "sequence": row.sequence,
        "resource": row.parts[0].resource.code if row.parts else None,
        "out_of_hours": row.out_of_hours, "joint_failure_reason": row.joint_failure_reason or None,
        "parts": [
            {
                "agency": p.agency.code, "officer": (p.officer.code if p.officer else None) if with_officers else None,
                "start": p.start_at.isoformat(), "end": p.end_at.isoformat(), "resource": p.resource.code,
                "fee": float(p.fee or 0), "currency": p.currency or None,
            }
            for p in row.parts
        ],
        "cancel_reason": row.cancel_reason or None,
        "cancelled_at": row.cancelled_at.isoformat() if row.cancelled_at else None,
    }


def offers(result: SearchResult) -> dict[str, Any]:
    return result.as_dict()
