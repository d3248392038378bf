"""Where a joint inspection can take place: the earliest slots at which every selecting agency
has a qualified officer on duty and a bay with the right equipment is open and free.

This module is the booking service's only search. It reads the published roster and the
confirmed bookings and answers ``find_offers`` / ``offer_for``; the joint-inspections engine
(``solver.inspections``) can replace it behind the same two functions without the pages,
the API or ``app.services.booking`` changing.

The search is exact on its own terms: a start is offered only if every condition holds for
the whole inspection. It tries the instants where something becomes free (a shift starts, a
bay opens, a booking ends, the earliest allowed start) and every half hour, so the earliest
feasible start is always among them (on the claim grid).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import (
    Agency,
    Booking,
    BookingPart,
    BookingStatus,
    Officer,
    Plan,
    PlannedShift,
    PlanStatus,
    Resource,
    Skill,
)
from solver.timeutil import local_to_utc

# Slots start on this grid; ``BookingClaim`` rows reserve officers and bays per grid slot.
CLAIM_GRID = timedelta(minutes=5)
SEARCH_DAYS = 7
_EXTRA_STEP = timedelta(minutes=30)

Span = tuple[datetime, datetime]


@dataclass(frozen=True, slots=True, kw_only=True)
class SlotQuery:
    """One consignment's inspection, as the search needs it (ids of the post's rows)."""

    post_id: int
    agency_ids: tuple[int, ...]
    capabilities: tuple[str, ...]
    duration_minutes: int
    not_before: datetime  # arrival, notice and the present already folded in
    wait_until: datetime | None  # offers starting later are marked late
    skill_by_agency: Mapping[int, int | None]
    ignore_booking_id: int | None = None  # a booking being moved does not block itself

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)


@dataclass(frozen=True, slots=True, kw_only=True)
class OfferPart:
    agency_id: int
    agency_code: str
    officer_id: int
    officer_code: str
    officer_name: str
    start_at: datetime
    end_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Offer:
    """A joint slot ready to book as it is."""

    start_at: datetime
    end_at: datetime
    resource_id: int
    resource_code: str
    resource_name: str
    parts: tuple[OfferPart, ...]
    late: bool = False  # starts after the consignment's maximum wait

    @property
    def key(self) -> str:
        """The offer in one string, for a form's hidden field: start, bay, agency=officer pairs."""
        officers = ",".join(f"{part.agency_code}={part.officer_code}" for part in self.parts)
        return f"{self.start_at.astimezone(UTC):%Y-%m-%dT%H:%MZ}|{self.resource_code}|{officers}"

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "start": self.start_at.isoformat(),
            "end": self.end_at.isoformat(),
            "resource": self.resource_code,
            "late": self.late,
            "parts": [{"agency": p.agency_code, "officer": p.officer_code, "officer_name": p.officer_name} for p in self.parts],
        }


@dataclass(frozen=True, slots=True)
class SearchResult:
    offers: tuple[Offer, ...]
    blockers: tuple[str, ...]  # why there is no (timely) offer, in users' words


@dataclass(frozen=True, slots=True)
class OfferChoice:
    """The offer a user picked: start, bay and one officer per agency, by their codes."""

    start_at: datetime
    resource_code: str
    officers: Mapping[str, str]


def find_offers(session: Session, query: SlotQuery, max_offers: int = 3) -> SearchResult:
    """The earliest ``max_offers`` joint slots (distinct starts) within ``SEARCH_DAYS``."""
    world = _World.load(session, query)
    offers: list[Offer] = []
    for start in world.candidate_starts():
        offer = world.offer_at(start)
        if offer is not None:
            offers.append(offer)
            if len(offers) == max_offers:
                break
    blockers = world.blockers() if not offers or all(offer.late for offer in offers) else ()
    return SearchResult(tuple(offers), tuple(blockers))


def offer_for(session: Session, query: SlotQuery, choice: OfferChoice) -> Offer | list[str]:
    """The offer ``choice`` describes if it is bookable now, else the reasons it is not."""
    world = _World.load(session, query, exact_start=choice.start_at)
    return world.check(choice)


def _ceil_to_grid(instant: datetime) -> datetime:
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    steps = -(-(instant - epoch) // CLAIM_GRID)
    return epoch + steps * CLAIM_GRID


def _covers(spans: Iterable[Span], start: datetime, end: datetime) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def _overlapping(spans: Iterable[Span], start: datetime, end: datetime) -> int:
    return sum(1 for a, b in spans if a < end and b > start)


class _World:
    """Everything the search reads, loaded once for the range it looks at."""

    def __init__(self, query: SlotQuery, horizon_end: datetime) -> None:
        self.query = query
        self.horizon_end = horizon_end
        self.plan: Plan | None = None
        self.agencies: dict[int, Agency] = {}
        self.skills: dict[int, Skill] = {}
        self.officers: dict[int, list[Officer]] = defaultdict(list)  # by agency
        self.shifts: dict[int, list[Span]] = defaultdict(list)  # by officer
        self.officer_busy: dict[int, list[Span]] = defaultdict(list)
        self.resources: list[Resource] = []
        self.open_spans: dict[int, list[Span]] = {}
        self.resource_busy: dict[int, list[Span]] = defaultdict(list)

    @classmethod
    def load(cls, session: Session, query: SlotQuery, exact_start: datetime | None = None) -> _World:
        start = min(query.not_before, exact_start) if exact_start else query.not_before
        end = (exact_start or query.not_before) + timedelta(days=SEARCH_DAYS) + query.duration
        world = cls(query, end)
        world.plan = session.scalar(
            select(Plan).where(Plan.post_id == query.post_id, Plan.status == PlanStatus.PUBLISHED).order_by(Plan.version.desc()).limit(1)
        )
        agencies = session.scalars(select(Agency).where(Agency.id.in_(query.agency_ids))).all()
        world.agencies = {agency.id: agency for agency in agencies}
        skill_ids = {skill for skill in query.skill_by_agency.values() if skill}
        world.skills = {skill.id: skill for skill in session.scalars(select(Skill).where(Skill.id.in_(skill_ids)))} if skill_ids else {}
        officers = session.scalars(
            select(Officer).where(Officer.agency_id.in_(query.agency_ids)).options(selectinload(Officer.skills), selectinload(Officer.office)).order_by(Officer.code)
        ).all()
        for officer in officers:
            world.officers[officer.agency_id].append(officer)
        if world.plan is not None and officers:
            shifts = session.execute(
                select(PlannedShift.officer_id, PlannedShift.start_at, PlannedShift.end_at).where(
                    PlannedShift.plan_id == world.plan.id,
                    PlannedShift.officer_id.in_([o.id for o in officers]),
                    PlannedShift.end_at > start,
                    PlannedShift.start_at < end,
                )
            ).all()
            for officer_id, shift_start, shift_end in shifts:
                world.shifts[officer_id].append((shift_start, shift_end))
            for officer_id, spans in world.shifts.items():
                world.shifts[officer_id] = _merge(spans)
        booked = select(BookingPart).join(Booking).where(
            Booking.post_id == query.post_id,
            Booking.status == BookingStatus.CONFIRMED,
            BookingPart.end_at > start,
            BookingPart.start_at < end,
        )
        if query.ignore_booking_id is not None:
            booked = booked.where(Booking.id != query.ignore_booking_id)
        resource_bookings: dict[int, set[tuple[int, datetime, datetime]]] = defaultdict(set)
        for part in session.scalars(booked):
            if part.officer_id is not None:
                world.officer_busy[part.officer_id].append((part.start_at, part.end_at))
            resource_bookings[part.resource_id].add((part.booking_id, part.start_at, part.end_at))
        for resource_id, uses in resource_bookings.items():
            world.resource_busy[resource_id] = [(a, b) for _booking, a, b in uses]
        needed = set(query.capabilities)
        resources = session.scalars(select(Resource).where(Resource.post_id == query.post_id).options(selectinload(Resource.hours), selectinload(Resource.host_side)).order_by(Resource.code)).all()
        world.resources = [r for r in resources if needed <= set(r.capabilities or [])]
        for resource in world.resources:
            world.open_spans[resource.id] = open_spans(resource, start, end)
        return world

    # -- the search ------------------------------------------------------------------

    def candidate_starts(self) -> list[datetime]:
        first = _ceil_to_grid(self.query.not_before)
        points = {first}
        spans = [
            *(span for spans in self.shifts.values() for span in spans),
            *(span for spans in self.open_spans.values() for span in spans),
        ]
        points.update(a for a, _b in spans)
        points.update(b for spans in (*self.officer_busy.values(), *self.resource_busy.values()) for _a, b in spans)
        step = first
        while step < self.horizon_end:
            points.add(step)
            step += _EXTRA_STEP
        latest = self.horizon_end - self.query.duration
        return sorted({_ceil_to_grid(p) for p in points if p >= first and p <= latest})

    def offer_at(self, start: datetime) -> Offer | None:
        end = start + self.query.duration
        for resource in self.resources:
            if not self._resource_free(resource, start, end):
                continue
            parts = []
            for agency_id in self.query.agency_ids:
                officer = next((o for o in self.officers[agency_id] if self._officer_fits(o, resource, start, end)), None)
                if officer is None:
                    break
                parts.append(self._part(officer, start, end))
            else:
                return self._offer(resource, start, end, parts)
        return None

    def check(self, choice: OfferChoice) -> Offer | list[str]:
        start = choice.start_at
        end = start + self.query.duration
        reasons: list[str] = []
        if start != _ceil_to_grid(start):
            reasons.append(f"{start:%H:%M} UTC is not on the {CLAIM_GRID.seconds // 60}-minute booking grid")
        if start < _ceil_to_grid(self.query.not_before):
            reasons.append(f"the inspection cannot start before {self.query.not_before:%Y-%m-%d %H:%M} UTC (arrival and notice)")
        resource = next((r for r in self.resources if r.code == choice.resource_code), None)
        if resource is None:
            reasons.append(f"bay {choice.resource_code} does not exist or lacks {', '.join(self.query.capabilities) or 'nothing'}")
        elif not self._resource_free(resource, start, end):
            reasons.append(f"bay {resource.code} is closed or fully booked then")
        parts = []
        by_code = {agency.code: agency for agency in self.agencies.values()}
        if set(choice.officers) != set(by_code):
            reasons.append(f"the offer must name one officer for each of {', '.join(sorted(by_code))}")
        for agency_code, officer_code in sorted(choice.officers.items()):
            agency = by_code.get(agency_code)
            officer = next((o for o in self.officers[agency.id] if o.code == officer_code), None) if agency else None
            if agency is None or officer is None:
                reasons.append(f"{officer_code} is not an officer of {agency_code} for this request")
            elif resource is not None and not self._officer_fits(officer, resource, start, end):
                reasons.append(f"{officer.name} ({agency_code}) is not on duty, not qualified or already booked then")
            else:
                parts.append(self._part(officer, start, end))
        if reasons or resource is None:
            return reasons
        ordered = sorted(parts, key=lambda part: self.query.agency_ids.index(part.agency_id))
        return self._offer(resource, start, end, ordered)

    def blockers(self) -> list[str]:
        found = []
        window = f"between {self.query.not_before:%d %b %H:%M} and {self.horizon_end:%d %b %H:%M} UTC"
        if self.plan is None:
            found.append("No roster is published for this post, so no officer is known to be on duty; publish a plan first.")
        if not self.resources:
            found.append(f"No bay offers {', '.join(self.query.capabilities)}.")
        for agency_id in self.query.agency_ids:
            agency = self.agencies[agency_id]
            on_duty = [o for o in self.officers[agency_id] if self.shifts.get(o.id)]
            skill_id = self.query.skill_by_agency.get(agency_id)
            if not on_duty:
                found.append(f"{agency.name} ({agency.code}) has no officer on duty {window}.")
            elif skill_id and not any(skill_id in {s.id for s in o.skills} for o in on_duty):
                found.append(f"{agency.name} ({agency.code}) has no officer qualified in {self.skills[skill_id].name} on duty {window}.")
        if not found:
            found.append(f"The agencies' officers and a suitable bay are never free together for {self.query.duration_minutes} minutes {window}.")
        elif self.query.wait_until is not None:
            found.append(f"The consignment may wait until {self.query.wait_until:%d %b %H:%M} UTC.")
        return found

    # -- the conditions ----------------------------------------------------------------

    def _resource_free(self, resource: Resource, start: datetime, end: datetime) -> bool:
        return _covers(self.open_spans[resource.id], start, end) and _overlapping(self.resource_busy[resource.id], start, end) < resource.capacity

    def _officer_fits(self, officer: Officer, resource: Resource, start: datetime, end: datetime) -> bool:
        skill_id = self.query.skill_by_agency.get(officer.agency_id)
        if skill_id and skill_id not in {skill.id for skill in officer.skills}:
            return False
        # Acting in the other state's control zone needs cross-border accreditation.
        if resource.host_side_id != self.agencies[officer.agency_id].side_id and resource.host_side_id != officer.office.host_side_id and not officer.cross_border:
            return False
        return _covers(self.shifts[officer.id], start, end) and _overlapping(self.officer_busy[officer.id], start, end) == 0

    def _part(self, officer: Officer, start: datetime, end: datetime) -> OfferPart:
        agency = self.agencies[officer.agency_id]
        return OfferPart(agency_id=agency.id, agency_code=agency.code, officer_id=officer.id, officer_code=officer.code, officer_name=officer.name, start_at=start, end_at=end)

    def _offer(self, resource: Resource, start: datetime, end: datetime, parts: list[OfferPart]) -> Offer:
        late = self.query.wait_until is not None and start > self.query.wait_until
        return Offer(start_at=start, end_at=end, resource_id=resource.id, resource_code=resource.code, resource_name=resource.name, parts=tuple(parts), late=late)


def open_spans(resource: Resource, start: datetime, end: datetime) -> list[Span]:
    """When ``resource`` can be used in ``[start, end)``, from its weekly hours in its host's zone."""
    if resource.always_open or not resource.hours:
        return [(start, end)] if resource.always_open else []
    zone = resource.host_side.timezone
    spans = []
    day = (start - timedelta(days=1)).astimezone(UTC).date()
    last = end.astimezone(UTC).date() + timedelta(days=1)
    while day <= last:
        for hours in resource.hours:
            if hours.weekday == day.weekday():
                spans.append((local_to_utc(day, hours.start_minute, zone), local_to_utc(day, hours.end_minute, zone)))
        day += timedelta(days=1)
    return _merge(spans)


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged

