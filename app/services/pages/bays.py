"""A day at the inspection bays: one column per bay, its hours, its bookings and proposals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.services.booking_search import open_spans
from app.services.pages.common import Clock
from models import (
    Booking,
    BookingPart,
    BookingStatus,
    BorderPost,
    InspectionRequest,
    Plan,
    Resource,
)


@dataclass(frozen=True, slots=True)
class Block:
    top: float  # percent of the day's height
    height: float
    label: str
    detail: str
    kind: str  # booked, proposed, closed
    booking_id: int | None = None
    reference: str | None = None


@dataclass(slots=True)
class BayColumn:
    resource: Resource
    blocks: list[Block] = field(default_factory=list)


@dataclass(slots=True)
class BayDay:
    day: date
    clock: Clock
    start: datetime
    end: datetime
    hours: list[tuple[float, str]]
    columns: list[BayColumn]

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "zone": self.clock.zone,
            "bays": [
                {
                    "bay": column.resource.code, "name": column.resource.name, "capabilities": list(column.resource.capabilities or []),
                    "blocks": [{"kind": b.kind, "label": b.label, "detail": b.detail, "booking": b.booking_id, "reference": b.reference} for b in column.blocks],
                }
                for column in self.columns
            ],
        }


def build_bay_day(session: Session, post: BorderPost, plan: Plan | None, *, day: date, clock: Clock, detail_visible: Callable[[Booking], bool]) -> BayDay:
    """``detail_visible`` decides whether a booking shows its officers or only that the bay is taken."""
    start, end = clock.day_range(day, 1)
    total = (end - start).total_seconds()

    def block(a: datetime, b: datetime, label: str, detail: str, kind: str, booking: Booking | None = None) -> Block:
        a, b = max(a, start), min(b, end)
        top = (a - start).total_seconds() / total * 100
        return Block(round(top, 3), round((b - a).total_seconds() / total * 100, 3), label, detail, kind, booking.id if booking else None, booking.request.reference if booking else None)

    resources = session.scalars(select(Resource).where(Resource.post_id == post.id).options(selectinload(Resource.hours), selectinload(Resource.host_side)).order_by(Resource.code)).all()
    columns = {resource.id: BayColumn(resource) for resource in resources}
    for resource in resources:
        cursor = start
        for a, b in open_spans(resource, start, end) + [(end, end)]:
            if a > cursor:
                columns[resource.id].blocks.append(block(cursor, a, "closed", f"{resource.code} closed", "closed"))
            cursor = max(cursor, b)
    bookings = session.scalars(
        select(Booking).where(Booking.post_id == post.id, Booking.status == BookingStatus.CONFIRMED, Booking.end_at > start, Booking.start_at < end)
        .options(selectinload(Booking.parts).selectinload(BookingPart.officer), selectinload(Booking.parts).selectinload(BookingPart.agency), selectinload(Booking.request))
        .order_by(Booking.start_at)
    ).all()
    for booking in bookings:
        span = f"{clock.local(booking.start_at):%H:%M}–{clock.local(booking.end_at):%H:%M}"
        people = ", ".join(f"{p.agency.code} {p.officer.name if p.officer else '(any officer)'}" for p in booking.parts)
        detail = f"{booking.request.reference} {span}: {people}" if detail_visible(booking) else f"{booking.request.reference} {span}: {', '.join(p.agency.code for p in booking.parts)}"
        for resource_id in dict.fromkeys(part.resource_id for part in booking.parts):
            if resource_id in columns:
                columns[resource_id].blocks.append(block(booking.start_at, booking.end_at, booking.request.reference, detail, "booked", booking))
    if plan is not None:
        booked = {b.request_id for b in bookings}
        proposals = [i for i in plan.inspections if i.resource_id in columns and i.request_id not in booked and i.end_at > start and i.start_at < end]
        references = dict(session.execute(select(InspectionRequest.id, InspectionRequest.reference).where(InspectionRequest.id.in_({i.request_id for i in proposals}))).all()) if proposals else {}
        for item in proposals:
            reference = references.get(item.request_id, "?")
            span = f"{clock.local(item.start_at):%H:%M}–{clock.local(item.end_at):%H:%M}"
            columns[item.resource_id].blocks.append(block(item.start_at, item.end_at, reference, f"proposed by plan v{plan.version}: {reference} {span}", "proposed"))
    hours = []
    for hour in range(24):
        instant = start + timedelta(hours=hour)
        if instant < end:
            hours.append((round((instant - start).total_seconds() / total * 100, 3), f"{clock.local(instant):%H:%M}"))
    return BayDay(day, clock, start, end, hours, list(columns.values()))
