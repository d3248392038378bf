"""A stored plan as one documented, machine-readable JSON document (``juxta plan --json``).

The format is described in docs/plan-json.md. Every instant appears in UTC and in the local
time of the office it concerns, with the zone named; ``plan_id`` is the id the exports, the
CLI (``--plan``) and the web use.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import Office, Officer, Plan, PlannedShift, PlannedWindow, StaffingNeed
from solver.timeutil import utc_to_local

FORMAT_VERSION = 1


def _when(instant: datetime, zone: str) -> dict[str, str]:
    return {"utc": instant.isoformat().replace("+00:00", "Z"), "local": utc_to_local(instant, zone).isoformat(), "zone": zone}


def plan_document(session: Session, plan: Plan) -> dict[str, Any]:
    windows = session.scalars(
        select(PlannedWindow).where(PlannedWindow.plan_id == plan.id).options(selectinload(PlannedWindow.office).selectinload(Office.agency)).order_by(PlannedWindow.start_at)
    ).all()
    shifts = session.scalars(
        select(PlannedShift).where(PlannedShift.plan_id == plan.id)
        .options(selectinload(PlannedShift.officer).selectinload(Officer.agency), selectinload(PlannedShift.office), selectinload(PlannedShift.template))
        .order_by(PlannedShift.start_at)
    ).all()
    needs = session.scalars(
        select(StaffingNeed).where(StaffingNeed.plan_id == plan.id).options(selectinload(StaffingNeed.office), selectinload(StaffingNeed.skill)).order_by(StaffingNeed.start_at)
    ).all()
    return {
        "format": FORMAT_VERSION,
        "plan_id": plan.id,
        "post": plan.post.code,
        "version": plan.version,
        "kind": plan.kind.value,
        "status": plan.status.value,
        "horizon": {"first_day": plan.horizon_start.isoformat(), "days": plan.horizon_days},
        "solver": {
            "status": plan.solver_status, "objective": plan.objective, "best_bound": plan.best_bound, "gap": plan.gap,
            "seed": plan.seed, "time_limit_seconds": plan.time_limit_seconds, "workers": plan.workers,
            "wall_seconds": plan.wall_seconds,
            "runs": [
                {"engine": r.engine, "status": r.status, "objective": r.objective, "best_bound": r.best_bound, "gap": r.gap,
                 "seed": r.seed, "time_limit_seconds": r.time_limit_seconds, "workers": r.workers, "wall_seconds": r.wall_seconds}
                for r in plan.runs
            ],
        },
        "windows": [
            {
                "office": w.office.code, "agency": w.office.agency.code, "side": w.office.side.code,
                "start": _when(w.start_at, w.office.timezone), "end": _when(w.end_at, w.office.timezone),
                "out_of_hours": w.out_of_hours,
            }
            for w in windows
        ],
        "assignments": [
            {
                "officer": s.officer.code, "name": s.officer.name, "agency": s.officer.agency.code, "office": s.office.code,
                "shift": s.template.code, "day": s.day.isoformat(),
                "start": _when(s.start_at, s.office.timezone), "end": _when(s.end_at, s.office.timezone),
            }
            for s in shifts
        ],
        "staffing_needs": [
            {
                "office": n.office.code, "skill": n.skill.code if n.skill else None,
                "start": _when(n.start_at, n.office.timezone), "end": _when(n.end_at, n.office.timezone),
                "required": n.required, "staffed": n.staffed,
            }
            for n in needs
        ],
        "kpis": plan.kpis,
        "explanations": plan.explanations,
    }
