"""Booking joint inspections: requests, offers, confirmation, cancellation and rescheduling.

The slot search lives behind ``app.services.booking_search`` (``find_offers`` and
``offer_for``); this module owns everything around it: what a request is, when it may start
(arrival, each agency's notice in its own working days), and turning an offer into a
``Booking`` whose ``BookingClaim`` rows make the confirmation atomic. Two users confirming the
same officer or bay slot at once cannot both succeed: the unique claim index refuses the
second, which gets a ``Conflict`` carrying fresh offers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.services import audit
from app.services.booking_search import (
    CLAIM_GRID,
    Offer,
    OfferChoice,
    SearchResult,
    SlotQuery,
    find_offers,
    offer_for,
)
from app.services.calendars import is_working_day
from app.services.errors import Conflict, InputProblem, InvalidInput, NotFound
from models import (
    Agency,
    Booking,
    BookingClaim,
    BookingMode,
    BookingPart,
    BookingStatus,
    BorderPost,
    CargoCategory,
    CategoryCheck,
    InspectionRequest,
    Plan,
    PlanStatus,
    RequestStatus,
    Resource,
    Side,
    User,
)
from solver.timeutil import local_to_utc, utc_to_local

DEFAULT_INSPECTION_MINUTES = 60
MAX_REASON_LENGTH = 500
# Without a maximum wait, offers further than this from the earliest start count as late.
DEFAULT_WAIT = timedelta(hours=48)

@dataclass(frozen=True, slots=True, kw_only=True)
class RequestDraft:
    """A consignment selected for inspection, as a scheduler enters it (codes, not ids).

    ``duration_minutes`` defaults to the longest check of the selected agencies for the
    category; ``max_wait_minutes`` to the category's, then its priority class's.
    """

    reference: str
    exit_side: str
    category: str
    agencies: tuple[str, ...]
    expected_arrival: datetime
    duration_minutes: int | None = None
    max_wait_minutes: int | None = None
    reversal_allowed: bool = False


@dataclass(frozen=True, slots=True)
class _Resolved:
    exit_side: Side
    entry_side: Side
    category: CargoCategory
    agencies: tuple[Agency, ...]
    duration_minutes: int
    max_wait_minutes: int | None


def resolve(session: Session, post: BorderPost, draft: RequestDraft, *, may_book_for: Callable[[Agency], bool], check_reference: bool = True) -> _Resolved:
    """Check ``draft`` against the post; every problem is reported at once, each naming its field."""
    problems: list[InputProblem] = []
    reference = draft.reference.strip()
    if check_reference:
        if not reference or len(reference) > 80:
            problems.append(InputProblem("reference", "a consignment reference of 1 to 80 characters is needed", "give the MRN or the truck's reference"))
        elif session.scalar(select(InspectionRequest.id).where(InspectionRequest.post_id == post.id, InspectionRequest.reference == reference)):
            problems.append(InputProblem("reference", f"{reference!r} already has a request at {post.code}", "open the existing request instead"))
    sides = {side.code: side for side in post.sides}
    exit_side = sides.get(draft.exit_side)
    if exit_side is None:
        problems.append(InputProblem("exit_side", f"{draft.exit_side!r} is not a side of {post.code}", f"use one of {', '.join(sides)}"))
    category = session.scalar(select(CargoCategory).where(CargoCategory.post_id == post.id, CargoCategory.code == draft.category))
    if category is None:
        problems.append(InputProblem("category", f"{draft.category!r} is not a cargo category of {post.code}", "pick a category from the list"))
    agencies_by_code = {agency.code: agency for agency in post.agencies}
    chosen = []
    for code in dict.fromkeys(draft.agencies):
        if code in agencies_by_code:
            chosen.append(agencies_by_code[code])
        else:
            problems.append(InputProblem("agencies", f"{code!r} is not an agency of {post.code}", "pick agencies from the list"))
    if not draft.agencies:
        problems.append(InputProblem("agencies", "no agency selected the consignment", "tick every agency that selected it"))
    elif chosen and not any(may_book_for(agency) for agency in chosen):
        problems.append(InputProblem("agencies", "you may book only for your own agency or side", "include your own agency"))
    if draft.expected_arrival.tzinfo is None:
        problems.append(InputProblem("expected_arrival", "the time has no zone", "give the time with its side or as UTC"))
    if draft.duration_minutes is not None and not 5 <= draft.duration_minutes <= 24 * 60:
        problems.append(InputProblem("duration_minutes", f"{draft.duration_minutes} is out of range", "give between 5 and 1440 minutes"))
    if draft.max_wait_minutes is not None and not 0 <= draft.max_wait_minutes <= 14 * 24 * 60:
        problems.append(InputProblem("max_wait_minutes", f"{draft.max_wait_minutes} is out of range", "give between 0 and 20160 minutes"))
    if problems:
        raise InvalidInput(problems, "the inspection request cannot be used")
    assert exit_side is not None and category is not None
    entry_side = next(side for side in post.sides if side.id != exit_side.id)
    checks = {check.agency_id: check for check in category.checks}
    duration = draft.duration_minutes or max((checks[a.id].inspection_minutes for a in chosen if a.id in checks), default=DEFAULT_INSPECTION_MINUTES)
    max_wait = draft.max_wait_minutes
    if max_wait is None:
        max_wait = category.max_wait_minutes or (category.priority_class.max_wait_minutes if category.priority_class else None)
    return _Resolved(exit_side, entry_side, category, tuple(sorted(chosen, key=lambda a: a.code)), duration, max_wait)


def create_request(session: Session, post: BorderPost, draft: RequestDraft, user: User, now: datetime, *, may_book_for: Callable[[Agency], bool]) -> InspectionRequest:
    found = resolve(session, post, draft, may_book_for=may_book_for)
    request = InspectionRequest(
        post_id=post.id,
        reference=draft.reference.strip(),
        exit_side_id=found.exit_side.id,
        entry_side_id=found.entry_side.id,
        category_id=found.category.id,
        priority_class_id=found.category.priority_class_id,
        capabilities=list(found.category.capabilities or []),
        duration_minutes=found.duration_minutes,
        expected_arrival=draft.expected_arrival.astimezone(UTC),
        max_wait_minutes=found.max_wait_minutes,
        notified_at=now,
        reversal_allowed=draft.reversal_allowed,
        status=RequestStatus.PENDING,
        created_by_id=user.id,
    )
    request.agencies.extend(found.agencies)
    session.add(request)
    session.flush()
    audit.record(session, user, "inspection_requested", "inspection_request", request.id, post_id=post.id, reference=request.reference, agencies=[a.code for a in found.agencies])
    return request


def preview_offers(session: Session, post: BorderPost, draft: RequestDraft, now: datetime, *, may_book_for: Callable[[Agency], bool], max_offers: int = 3) -> SearchResult:
    """Offers for a request not yet saved: what the booking form shows while it is filled in."""
    found = resolve(session, post, draft, may_book_for=may_book_for, check_reference=False)
    skills = _skills(session, found.category.id, [a.id for a in found.agencies])
    arrival = draft.expected_arrival.astimezone(UTC)
    start = _earliest(found.agencies, arrival, now, now)
    query = SlotQuery(
        post_id=post.id, agency_ids=tuple(a.id for a in found.agencies), capabilities=tuple(found.category.capabilities or []),
        duration_minutes=found.duration_minutes, not_before=start, wait_until=_wait_until(arrival, start, found.max_wait_minutes), skill_by_agency=skills,
    )
    return find_offers(session, query, max_offers)


def offers(session: Session, request: InspectionRequest, now: datetime, *, max_offers: int = 3, moving: Booking | None = None) -> SearchResult:
    return find_offers(session, _query(session, request, now, moving), max_offers)


def earliest_start(request: InspectionRequest, now: datetime) -> datetime:
    """Not before arrival, nor the present, nor any selecting agency's notice deadline."""
    return _earliest(request.agencies, request.expected_arrival, request.notified_at, now)


def _earliest(agencies: tuple[Agency, ...] | list[Agency], arrival: datetime, notified_at: datetime, now: datetime) -> datetime:
    deadlines = [arrival, now]
    for agency in agencies:
        deadlines.append(notified_at + timedelta(hours=agency.notice_hours))
        if agency.notice_working_days:
            deadlines.append(_after_working_days(agency.side, notified_at, agency.notice_working_days))
    return max(deadlines)


def _after_working_days(side: Side, instant: datetime, days: int) -> datetime:
    """``days`` working days of ``side`` after ``instant``, at the same local time of day."""
    local = utc_to_local(instant, side.timezone)
    day, counted = local.date(), 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(side, day):
            counted += 1
    return local_to_utc(day, local.hour * 60 + local.minute, side.timezone)


def _wait_until(arrival: datetime, earliest: datetime, max_wait_minutes: int | None) -> datetime:
    if max_wait_minutes is None:
        return earliest + DEFAULT_WAIT
    return max(arrival + timedelta(minutes=max_wait_minutes), earliest)


def _skills(session: Session, category_id: int, agency_ids: list[int]) -> dict[int, int | None]:
    rows = session.execute(select(CategoryCheck.agency_id, CategoryCheck.skill_id).where(CategoryCheck.category_id == category_id, CategoryCheck.agency_id.in_(agency_ids))).all()
    found: dict[int, int | None] = {agency_id: None for agency_id in agency_ids}
    found.update({agency_id: skill_id for agency_id, skill_id in rows})
    return found


def _query(session: Session, request: InspectionRequest, now: datetime, moving: Booking | None = None) -> SlotQuery:
    start = earliest_start(request, now)
    return SlotQuery(
        post_id=request.post_id,
        agency_ids=tuple(agency.id for agency in request.agencies),
        capabilities=tuple(request.capabilities or []),
        duration_minutes=request.duration_minutes,
        not_before=start,
        wait_until=_wait_until(request.expected_arrival, start, request.max_wait_minutes),
        skill_by_agency=_skills(session, request.category_id, [a.id for a in request.agencies]),
        ignore_booking_id=moving.id if moving else None,
    )


def parse_offer_key(key: str) -> OfferChoice:
    """The ``Offer.key`` string back into a choice; bad keys name the ``offer`` field."""
    try:
        start_text, resource, officers_text = key.split("|")
        start = datetime.strptime(start_text, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
        officers = dict(pair.split("=", 1) for pair in officers_text.split(",") if pair)
    except ValueError:
        raise InvalidInput([InputProblem("offer", "not an offer of this page", "pick one of the offers shown")]) from None
    if not resource or not officers:
        raise InvalidInput([InputProblem("offer", "the offer names no bay or no officer", "pick one of the offers shown")])
    return OfferChoice(start, resource, officers)


def confirm(session: Session, request: InspectionRequest, choice: OfferChoice, user: User, now: datetime) -> Booking:
    """Book ``choice`` for ``request`` if it is still free; ``Conflict`` (with fresh offers) if not."""
    if request.status != RequestStatus.PENDING:
        raise Conflict(f"request {request.reference} is {request.status.value}, not waiting for a booking", {"request_status": request.status.value})
    return _book(session, request, choice, user, now, moving=None)


def _book(session: Session, request: InspectionRequest, choice: OfferChoice, user: User, now: datetime, *, moving: Booking | None) -> Booking:
    query = _query(session, request, now, moving)
    found = offer_for(session, query, choice)
    if not isinstance(found, Offer):
        raise Conflict("that slot cannot be booked: " + "; ".join(found), {"reasons": found, "offers": _fresh(session, query)})
    booking = Booking(
        post_id=request.post_id, request_id=request.id, plan_id=_published_plan_id(session, request.post_id),
        mode=BookingMode.JOINT, status=BookingStatus.CONFIRMED, start_at=found.start_at, end_at=found.end_at,
        out_of_hours=False, fee=0, created_by_id=user.id,
    )
    booking.parts.extend(
        BookingPart(agency_id=part.agency_id, officer_id=part.officer_id, resource_id=found.resource_id, start_at=part.start_at, end_at=part.end_at)
        for part in found.parts
    )
    try:
        with session.begin_nested():
            session.add(booking)
            session.flush()
            session.add_all(_claims(booking, found, _free_unit(session, found)))
            session.flush()
    except IntegrityError:
        raise Conflict("someone booked that officer or bay a moment ago; pick another offer", {"offers": _fresh(session, query)}) from None
    request.status = RequestStatus.BOOKED
    audit.record(
        session, user, "booking_confirmed", "booking", booking.id, post_id=request.post_id, reference=request.reference,
        start=found.start_at.isoformat(), resource=found.resource_code, officers={p.agency_code: p.officer_code for p in found.parts},
    )
    return booking


def _claims(booking: Booking, offer: Offer, unit: int) -> list[BookingClaim]:
    claims = []
    slot = offer.start_at
    while slot < offer.end_at:
        claims.append(BookingClaim(booking_id=booking.id, holder_kind="resource", holder_id=offer.resource_id, unit=unit, slot_start=slot))
        claims.extend(BookingClaim(booking_id=booking.id, holder_kind="officer", holder_id=part.officer_id, unit=0, slot_start=slot) for part in offer.parts)
        slot += CLAIM_GRID
    return claims


def _free_unit(session: Session, offer: Offer) -> int:
    """The lowest unit of a multi-unit bay (a pen for several trucks) free for the whole slot."""
    capacity = session.get(Resource, offer.resource_id).capacity  # type: ignore[union-attr]
    used = set(session.scalars(select(BookingClaim.unit).where(
        BookingClaim.holder_kind == "resource", BookingClaim.holder_id == offer.resource_id,
        BookingClaim.slot_start >= offer.start_at, BookingClaim.slot_start < offer.end_at,
    )))
    # When every unit is taken the claim on unit 0 collides, and the booking is refused.
    return next((unit for unit in range(capacity) if unit not in used), 0)


def _fresh(session: Session, query: SlotQuery) -> list[dict[str, object]]:
    return [offer.as_dict() for offer in find_offers(session, query).offers]


def _published_plan_id(session: Session, post_id: int) -> int | None:
    return session.scalar(select(Plan.id).where(Plan.post_id == post_id, Plan.status == PlanStatus.PUBLISHED).order_by(Plan.version.desc()).limit(1))


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text or len(text) > MAX_REASON_LENGTH:
        raise InvalidInput([InputProblem("reason", "a reason of 1 to 500 characters is needed", "say why, for the other agencies and the audit trail")])
    return text


def cancel(session: Session, booking: Booking, reason: str, user: User, now: datetime) -> Booking:
    text = _reason(reason)
    if booking.status != BookingStatus.CONFIRMED:
        raise Conflict(f"booking {booking.id} is already {booking.status.value}", {"booking_status": booking.status.value})
    _release(session, booking, text, now)
    booking.request.status = RequestStatus.PENDING
    audit.record(session, user, "booking_cancelled", "booking", booking.id, post_id=booking.post_id, reference=booking.request.reference, reason=text)
    return booking


def reschedule(session: Session, booking: Booking, choice: OfferChoice, reason: str, user: User, now: datetime) -> Booking:
    """Move ``booking`` to ``choice`` in one step: the old one is cancelled only if the new one holds."""
    text = _reason(reason)
    if booking.status != BookingStatus.CONFIRMED:
        raise Conflict(f"booking {booking.id} is {booking.status.value}; only a confirmed booking can move", {"booking_status": booking.status.value})
    request = booking.request
    replacement = _book(session, request, choice, user, now, moving=booking)
    _release(session, booking, f"rescheduled: {text}", now)
    audit.record(session, user, "booking_rescheduled", "booking", booking.id, post_id=booking.post_id, reference=request.reference, reason=text, to_booking=replacement.id, start=replacement.start_at.isoformat())
    return replacement


def _release(session: Session, booking: Booking, reason: str, now: datetime) -> None:
    session.execute(delete(BookingClaim).where(BookingClaim.booking_id == booking.id))
    booking.status = BookingStatus.CANCELLED
    booking.cancel_reason = reason
    booking.cancelled_at = now
    booking.updated_at = now
    booking.sequence += 1


def get_request(session: Session, post: BorderPost, reference: str) -> InspectionRequest:
    request = session.scalar(select(InspectionRequest).where(InspectionRequest.post_id == post.id, InspectionRequest.reference == reference))
    if request is None:
        raise NotFound(f"post {post.code} has no inspection request {reference!r}")
    return request


def get_booking(session: Session, post: BorderPost, booking_id: int) -> Booking:
    booking = session.get(Booking, booking_id)
    if booking is None or booking.post_id != post.id:
        raise NotFound(f"post {post.code} has no booking {booking_id}")
    return booking


def list_requests(
    session: Session, post: BorderPost, *, status: RequestStatus | None = None, agency_ids: set[int] | None = None,
    arriving_from: datetime | None = None, arriving_to: datetime | None = None, limit: int = 200,
) -> list[InspectionRequest]:
    """Requests by expected arrival; ``agency_ids`` keeps those selected by any of these agencies."""
    query = select(InspectionRequest).where(InspectionRequest.post_id == post.id).options(selectinload(InspectionRequest.agencies), selectinload(InspectionRequest.bookings))
    if status is not None:
        query = query.where(InspectionRequest.status == status)
    if arriving_from is not None:
        query = query.where(InspectionRequest.expected_arrival >= arriving_from)
    if arriving_to is not None:
        query = query.where(InspectionRequest.expected_arrival < arriving_to)
    if agency_ids is not None:
        query = query.where(InspectionRequest.agencies.any(Agency.id.in_(agency_ids)))
    return list(session.scalars(query.order_by(InspectionRequest.expected_arrival, InspectionRequest.id).limit(limit)))


def confirmed_booking(request: InspectionRequest) -> Booking | None:
    return next((b for b in request.bookings if b.status == BookingStatus.CONFIRMED), None)

