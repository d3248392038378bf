"""Booking joint inspections: requests, offers, confirmation, cancellation and rescheduling.

Offers come from the joint-inspections engine (``app.services.booking_search``) against the
published staffing plan and the bookings confirmed so far. Confirming one is checked again by
the engine's independent checker (``check_booking``) inside the transaction, as the last line
of defence, and then reserved with ``BookingClaim`` rows: one per officer and per bay unit
and 5-minute slot. Their unique index is what makes two confirmations racing for the same
officer or bay impossible on every database: the second cannot insert its claim, looks again,
and gets a ``Conflict`` carrying fresh offers, unless the bay still had a unit free for it.

Every change is in the audit log, and every change to a booking bumps its ``sequence`` and
``updated_at``, which is how the calendar feeds of every party notice it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.services import audit
from app.services.booking_search import (
    CLAIM_GRID,
    BookingContext,
    ChoicePart,
    OfferChoice,
    SearchResult,
)
from app.services.errors import Conflict, InputProblem, InvalidInput, NotFound
from app.services.inspection_site import (
    LONGEST_DURATION_MINUTES,
    as_invalid_input,
    engine_agency,
    engine_request,
    engine_side,
    load_site,
    post_for_inspections,
    request_of,
)
from app.services.planning.settings import RuleBook
from models import (
    Agency,
    Booking,
    BookingClaim,
    BookingMode,
    BookingPart,
    BookingStatus,
    BorderPost,
    CargoCategory,
    InspectionRequest,
    RequestStatus,
    Resource,
    Side,
    User,
)
from solver import inspections as engine
from solver.rules import Violation

DEFAULT_INSPECTION_MINUTES = 60
MAX_REASON_LENGTH = 500
MAX_WAIT_LIMIT_MINUTES = 14 * 24 * 60
# A confirmation that loses a claim race looks again this many times: enough for every unit
# of a multi-truck bay to be tried while the others are being taken.
CLAIM_ATTEMPTS = 4


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestDraft:
    """A consignment selected for inspection, as a scheduler enters it (codes, not ids).

    ``duration_minutes`` defaults to the longest check of the selected agencies for the
    category; ``max_wait_minutes`` to the category's, then its priority class's.
    ``accepts_out_of_hours``: the trader asks for service outside office hours and pays its
    fee; ``notice_derogation``: the trader invokes the shorter notice derogation.
    """

    reference: str
    exit_side: str
    category: str
    agencies: tuple[str, ...]
    expected_arrival: datetime
    duration_minutes: int | None = None
    max_wait_minutes: int | None = None
    reversal_allowed: bool = False
    accepts_out_of_hours: bool = False
    notice_derogation: bool = False


@dataclass(frozen=True, slots=True)
class _Resolved:
    exit_side: Side
    entry_side: Side
    category: CargoCategory
    agencies: tuple[Agency, ...]
    duration_minutes: int
    max_wait_minutes: int | None


def resolve(
    session: Session,
    post: BorderPost,
    draft: RequestDraft,
    now: datetime,
    *,
    may_book_for: Callable[[Agency], bool],
    check_reference: bool = True,
) -> tuple[_Resolved, engine.InspectionRequest]:
    """Check ``draft`` against the post; every problem is reported at once, each naming its
    field. The post-level rules (an agency of neither side, one with no office at the
    facility, an arrival in the past) are the engine's ``request_errors``."""
    problems: list[InputProblem] = []
    reference = draft.reference.strip()
    if check_reference:
        if not reference or len(reference) > 80:
            problems.append(
                InputProblem(
                    "reference",
                    "a consignment reference of 1 to 80 characters is needed",
                    "give the MRN or the truck's reference",
                )
            )
        elif session.scalar(
            select(InspectionRequest.id).where(
                InspectionRequest.post_id == post.id, InspectionRequest.reference == reference
            )
        ):
            problems.append(
                InputProblem(
                    "reference",
                    f"{reference!r} already has a request at {post.code}",
                    "open the existing request instead",
                )
            )
    sides = {side.code: side for side in post.sides}
    exit_side = sides.get(draft.exit_side)
    if exit_side is None:
        problems.append(
            InputProblem(
                "exit_side",
                f"{draft.exit_side!r} is not a side of {post.code}",
                f"use one of {', '.join(sides)}",
            )
        )
    category = session.scalar(
        select(CargoCategory).where(
            CargoCategory.post_id == post.id, CargoCategory.code == draft.category
        )
    )
    if category is None:
        problems.append(
            InputProblem(
                "category",
                f"{draft.category!r} is not a cargo category of {post.code}",
                "pick a category from the list",
            )
        )
    agencies_by_code = {agency.code: agency for agency in post.agencies}
    chosen = []
    for position, code in enumerate(draft.agencies):
        if code in agencies_by_code:
            if agencies_by_code[code] not in chosen:
                chosen.append(agencies_by_code[code])
        else:
            problems.append(
                InputProblem(
                    f"agencies.{position}",
                    f"{code!r} is not an agency present at {post.code}",
                    "pick agencies from the list",
                )
            )
    if not draft.agencies:
        problems.append(
            InputProblem(
                "agencies",
                "no agency selected the consignment",
                "tick every agency that selected it",
            )
        )
    elif chosen and not any(may_book_for(agency) for agency in chosen):
        problems.append(
            InputProblem(
                "agencies",
                "you may book only for your own agency or side",
                "include your own agency",
            )
        )
    if draft.expected_arrival.tzinfo is None:
        problems.append(
            InputProblem(
                "expected_arrival", "the time has no zone", "give the time with its side or as UTC"
            )
        )
    if (
        draft.duration_minutes is not None
        and not 5 <= draft.duration_minutes <= LONGEST_DURATION_MINUTES
    ):
        problems.append(
            InputProblem(
                "duration_minutes",
                f"{draft.duration_minutes} is out of range",
                f"give between 5 and {LONGEST_DURATION_MINUTES} minutes",
            )
        )
    if (
        draft.max_wait_minutes is not None
        and not 1 <= draft.max_wait_minutes <= MAX_WAIT_LIMIT_MINUTES
    ):
        problems.append(
            InputProblem(
                "max_wait_minutes",
                f"{draft.max_wait_minutes} is out of range",
                f"give between 1 and {MAX_WAIT_LIMIT_MINUTES} minutes",
            )
        )
    if problems:
        raise InvalidInput(problems, "the inspection request cannot be used")
    assert exit_side is not None and category is not None
    entry_side = next(side for side in post.sides if side.id != exit_side.id)
    checks = {check.agency_id: check for check in category.checks}
    duration = draft.duration_minutes or max(
        (checks[a.id].inspection_minutes for a in chosen if a.id in checks),
        default=DEFAULT_INSPECTION_MINUTES,
    )
    max_wait = draft.max_wait_minutes
    if max_wait is None:
        max_wait = category.max_wait_minutes or (
            category.priority_class.max_wait_minutes if category.priority_class else None
        )
    found = _Resolved(
        exit_side,
        entry_side,
        category,
        tuple(sorted(chosen, key=lambda a: a.code)),
        min(duration, LONGEST_DURATION_MINUTES),
        max_wait,
    )
    request = engine_request(
        post,
        reference=reference or "draft",
        exit_code=exit_side.code,
        entry_code=entry_side.code,
        category=category,
        agencies=found.agencies,
        priority=category.priority_class,
        capabilities=category.capabilities or (),
        duration_minutes=found.duration_minutes,
        expected_arrival=draft.expected_arrival.astimezone(UTC),
        notified_at=now,
        max_wait_minutes=max_wait,
        reversal_allowed=draft.reversal_allowed,
        accepts_out_of_hours=draft.accepts_out_of_hours,
        notice_derogation=draft.notice_derogation,
    )
    site = load_site(session, post, now, now + timedelta(minutes=1), agencies=())
    # A truck arriving within the current minute has not arrived in the past.
    errors = site.site.request_errors(request, now=now.replace(second=0, microsecond=0))
    if errors:
        raise as_invalid_input(
            [_draft_field(error, draft) for error in errors],
            "the inspection request cannot be used",
        )
    return found, request


def _draft_field(error: engine.FieldError, draft: RequestDraft) -> engine.FieldError:
    """The engine names a selection by its position among the request's (sorted) agencies;
    the scheduler named it in ``agencies`` at their own position."""
    if not error.field.startswith("selections["):
        return error
    message = error.message
    for position, code in enumerate(draft.agencies):
        if f"agency {code} " in message or f"{code!r}" in message:
            return engine.FieldError(field=f"agencies.{position}", message=message)
    return engine.FieldError(field="agencies", message=message)


def create_request(
    session: Session,
    post: BorderPost,
    draft: RequestDraft,
    user: User,
    now: datetime,
    *,
    may_book_for: Callable[[Agency], bool],
) -> InspectionRequest:
    found, _request = resolve(session, post, draft, now, may_book_for=may_book_for)
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
        accepts_out_of_hours=draft.accepts_out_of_hours,
        notice_derogation=draft.notice_derogation,
        status=RequestStatus.PENDING,
        created_by_id=user.id,
    )
    request.agencies.extend(found.agencies)
    session.add(request)
    session.flush()
    audit.record(
        session,
        user,
        "inspection_requested",
        "inspection_request",
        request.id,
        post_id=post.id,
        reference=request.reference,
        agencies=[a.code for a in found.agencies],
    )
    return request


def preview_offers(
    session: Session,
    post: BorderPost,
    draft: RequestDraft,
    now: datetime,
    *,
    may_book_for: Callable[[Agency], bool],
    max_offers: int = 3,
) -> SearchResult:
    """Offers for a request not yet saved: what the booking form shows while it is filled in."""
    _found, request = resolve(
        session, post, draft, now, may_book_for=may_book_for, check_reference=False
    )
    return _offers(BookingContext.load(session, post, request, now), max_offers)


def offers(
    session: Session,
    request: InspectionRequest,
    now: datetime,
    *,
    max_offers: int = 3,
    moving: Booking | None = None,
) -> SearchResult:
    """The best slots for a saved request; ``moving`` is a booking of it being rescheduled,
    whose officers and bay do not stand in its own way."""
    return _offers(_context(session, request, now, moving), max_offers)


def _context(
    session: Session,
    request: InspectionRequest,
    now: datetime,
    moving: Booking | None,
    choice: OfferChoice | None = None,
) -> BookingContext:
    post = post_for_inspections(session, request.post_id)
    return BookingContext.load(
        session,
        post,
        request_of(post, request),
        now,
        except_booking_id=moving.id if moving else None,
        covering=[part.start_at for part in choice.parts] if choice else (),
    )


def _offers(context: BookingContext, max_offers: int) -> SearchResult:
    try:
        return context.offers(max_offers)
    except engine.InvalidInput as error:
        raise as_invalid_input(
            error.errors, f"request {context.request.reference} cannot be inspected at this post"
        ) from None


def earliest_start(session: Session, request: InspectionRequest, now: datetime) -> datetime:
    """Not before arrival, nor the present, nor any selecting agency's notice deadline
    (counted in that agency's working days, calendar and zone)."""
    post = post_for_inspections(session, request.post_id)
    book = RuleBook(post, "inspections")
    deadlines = [request.expected_arrival, now]
    for agency in request.agencies:
        side = engine_side(agency.side, request.notified_at, request.notified_at)
        rule = engine_agency(agency, agency.side.code, book, post)
        deadlines.append(
            rule.notice.deadline(
                request.notified_at,
                side,
                category=request.category.code,
                derogation=request.notice_derogation,
            )
        )
    return max(deadlines)


def parse_offer_key(key: str) -> OfferChoice:
    """The ``Offer.key`` string back into a choice; bad keys name the ``offer`` field."""
    parts = []
    try:
        for text in key.split(";"):
            start_text, resource, officers_text = text.split("|")
            start = datetime.strptime(start_text, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
            officers = dict(pair.split("=", 1) for pair in officers_text.split(",") if pair)
            if not resource or not officers:
                raise ValueError("the offer names no bay or no officer")
            parts.append(ChoicePart(start, resource, officers))
    except ValueError:
        raise InvalidInput(
            [InputProblem("offer", "not an offer of this page", "pick one of the offers shown")]
        ) from None
    return OfferChoice(tuple(parts))


def confirm(
    session: Session, request: InspectionRequest, choice: OfferChoice, user: User, now: datetime
) -> Booking:
    """Book ``choice`` for ``request`` if it is still free; ``Conflict`` (with fresh offers) if not.

    The request moves from pending to booked in one compare-and-set, so two schedulers
    confirming the same request cannot book it twice; the caller rolls back on ``Conflict``.
    """
    if not _switch_status(
        session, InspectionRequest, request, RequestStatus.PENDING, RequestStatus.BOOKED
    ):
        raise Conflict(
            f"request {request.reference} is {request.status.value}, not waiting for a booking",
            {"request_status": request.status.value},
        )
    try:
        booking = _book(session, request, choice, user, now, moving=None)
    except (Conflict, InvalidInput):
        request.status = RequestStatus.PENDING
        raise
    audit.record(
        session,
        user,
        "booking_confirmed",
        "booking",
        booking.id,
        post_id=request.post_id,
        **_described(request, booking),
    )
    return booking


def _described(request: InspectionRequest, booking: Booking) -> dict[str, object]:
    return {
        "reference": request.reference,
        "mode": booking.mode.value,
        "start": booking.start_at.isoformat(),
        "end": booking.end_at.isoformat(),
        "resources": sorted({part.resource.code for part in booking.parts}),
        "officers": {
            part.agency.code: part.officer.code if part.officer else None for part in booking.parts
        },
        "fees": {
            part.agency.code: f"{part.fee} {part.currency}" for part in booking.parts if part.fee
        },
    }


def _book(
    session: Session,
    request: InspectionRequest,
    choice: OfferChoice,
    user: User,
    now: datetime,
    *,
    moving: Booking | None,
) -> Booking:
    """Check ``choice`` with the engine's checker against every confirmed booking and reserve
    it; a claim lost to a concurrent confirmation means looking again with what it booked."""
    context = _context(session, request, now, moving, choice)
    for _attempt in range(CLAIM_ATTEMPTS):
        inspection = context.inspection_for(choice)
        problems = context.check(inspection)
        if problems:
            raise Conflict(
                "that slot cannot be booked: " + "; ".join(problem.message for problem in problems),
                {"reasons": [problem.as_dict() for problem in problems], "offers": _fresh(context)},
            )
        try:
            with session.begin_nested():
                booking = _stored(session, request, context, inspection, user, now)
                session.add_all(_claims(session, booking, inspection, context))
                session.flush()
        except IntegrityError:
            context = _context(session, request, now, moving, choice)
            continue
        return booking
    raise Conflict(
        "someone booked that officer or bay a moment ago; pick another offer",
        {"offers": _fresh(_context(session, request, now, moving))},
    )


def _fresh(context: BookingContext) -> list[dict[str, object]]:
    result = context.offers()
    return [offer.as_dict() for offer in (*result.offers, *result.fallback)]


def _stored(
    session: Session,
    request: InspectionRequest,
    context: BookingContext,
    inspection: engine.PlannedInspection,
    user: User,
    now: datetime,
) -> Booking:
    place = context.place
    fees = inspection.fees
    joint_failure = _joint_failure(context, inspection)
    booking = Booking(
        post_id=request.post_id,
        request_id=request.id,
        plan_id=place.plan.id if place.plan else None,
        mode=BookingMode.JOINT if inspection.mode == "joint" else BookingMode.SEQUENTIAL,
        status=BookingStatus.CONFIRMED,
        start_at=inspection.first_start,
        end_at=inspection.release,
        out_of_hours=inspection.out_of_hours,
        # Charges in several currencies have no one total; each part keeps its own.
        fee=next(iter(fees.values())) if len(fees) == 1 else 0,
        joint_failure_reason="; ".join(v.message for v in joint_failure),
        created_by_id=user.id,
        updated_at=now,
    )
    for part in inspection.parts:
        charges = {charge.agency: charge for charge in part.out_of_hours}
        for attendance in part.officers:
            charge = charges.get(attendance.agency)
            booking.parts.append(
                BookingPart(
                    agency_id=place.agency_ids[attendance.agency],
                    officer_id=place.officer_ids[attendance.officer_id],
                    resource_id=place.bay_ids[part.bay_id],
                    start_at=part.start,
                    end_at=part.end,
                    fee=charge.fee if charge else 0,
                    currency=charge.currency if charge else "",
                )
            )
    session.add(booking)
    session.flush()
    return booking


def _joint_failure(
    context: BookingContext, inspection: engine.PlannedInspection
) -> tuple[Violation, ...]:
    """Why a sequential inspection is not joint: what blocks every joint slot right now.

    Sequential inspection is the fallback when no joint slot can be had; while one can, a
    sequential booking is refused and the joint offers come with the refusal.
    """
    if inspection.mode == "joint":
        return ()
    found = context.offers(1)
    if found.offers:
        raise Conflict(
            "a joint slot is available, and one side after the other is only the fallback when none is",
            {"offers": [offer.as_dict() for offer in found.offers]},
        )
    return found.blockers


def _claims(
    session: Session,
    booking: Booking,
    inspection: engine.PlannedInspection,
    context: BookingContext,
) -> list[BookingClaim]:
    """One claim per officer and per 5-minute slot of each part, and one per bay slot on a
    unit free in that slot (the units of a multi-truck bay are counted, not named)."""
    place = context.place
    claims = []
    for part in inspection.parts:
        bay_id = place.bay_ids[part.bay_id]
        capacity = session.get(Resource, bay_id).capacity  # type: ignore[union-attr]
        used: dict[datetime, set[int]] = {}
        for slot, unit in session.execute(
            select(BookingClaim.slot_start, BookingClaim.unit).where(
                BookingClaim.holder_kind == "resource",
                BookingClaim.holder_id == bay_id,
                BookingClaim.slot_start >= part.start,
                BookingClaim.slot_start < part.end,
            )
        ):
            used.setdefault(slot, set()).add(unit)
        slot = part.start
        while slot < part.end:
            taken = used.get(slot, set())
            # When every unit is taken the claim on unit 0 collides and the booking is refused.
            unit = next((u for u in range(capacity) if u not in taken), 0)
            claims.append(
                BookingClaim(
                    booking_id=booking.id,
                    holder_kind="resource",
                    holder_id=bay_id,
                    unit=unit,
                    slot_start=slot,
                )
            )
            claims.extend(
                BookingClaim(
                    booking_id=booking.id,
                    holder_kind="officer",
                    holder_id=place.officer_ids[a.officer_id],
                    unit=0,
                    slot_start=slot,
                )
                for a in part.officers
            )
            slot += CLAIM_GRID
    return claims


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text or len(text) > MAX_REASON_LENGTH:
        raise InvalidInput(
            [
                InputProblem(
                    "reason",
                    "a reason of 1 to 500 characters is needed",
                    "say why, for the other agencies and the audit trail",
                )
            ]
        )
    return text


def _switch_status(
    session: Session,
    model: type[InspectionRequest] | type[Booking],
    row: InspectionRequest | Booking,
    expected: object,
    new: object,
) -> bool:
    """Compare-and-set on a row's status: whether this transaction made the change. Two people
    booking the same request, or cancelling or moving the same booking, cannot both do it."""
    changed = session.execute(
        update(model)
        .where(model.id == row.id, model.status == expected)
        .values(status=new)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(row, ["status"])
        return False
    # The row has changed in the database already; the object follows.
    row.status = new  # type: ignore[assignment]
    return True


def _take_confirmed(session: Session, booking: Booking, verb: str) -> None:
    if not _switch_status(
        session, Booking, booking, BookingStatus.CONFIRMED, BookingStatus.CANCELLED
    ):
        raise Conflict(
            f"booking {booking.id} is {booking.status.value}; only a confirmed booking can be {verb}",
            {"booking_status": booking.status.value},
        )


def cancel(session: Session, booking: Booking, reason: str, user: User, now: datetime) -> Booking:
    text = _reason(reason)
    _take_confirmed(session, booking, "cancelled")
    _release(session, booking, text, now)
    booking.request.status = RequestStatus.PENDING
    audit.record(
        session,
        user,
        "booking_cancelled",
        "booking",
        booking.id,
        post_id=booking.post_id,
        reference=booking.request.reference,
        reason=text,
        start=booking.start_at.isoformat(),
    )
    return booking


def reschedule(
    session: Session, booking: Booking, choice: OfferChoice, reason: str, user: User, now: datetime
) -> Booking:
    """Move ``booking`` to ``choice`` in one step: the old one is cancelled only if the new one
    holds. Its claims are given up first, so the new slot may overlap the old one with the
    same officers and bay; on ``Conflict`` the caller rolls back, which keeps the old booking."""
    text = _reason(reason)
    _take_confirmed(session, booking, "moved")
    session.execute(delete(BookingClaim).where(BookingClaim.booking_id == booking.id))
    request = booking.request
    replacement = _book(session, request, choice, user, now, moving=booking)
    _release(session, booking, f"rescheduled: {text}", now)
    audit.record(
        session,
        user,
        "booking_rescheduled",
        "booking",
        booking.id,
        post_id=booking.post_id,
        reason=text,
        to_booking=replacement.id,
        was_start=booking.start_at.isoformat(),
        **_described(request, replacement),
    )
    return replacement


def _release(session: Session, booking: Booking, reason: str, now: datetime) -> None:
    session.execute(delete(BookingClaim).where(BookingClaim.booking_id == booking.id))
    booking.status = BookingStatus.CANCELLED
    booking.cancel_reason = reason
    booking.cancelled_at = now
    booking.updated_at = now
    booking.sequence += 1


def get_request(session: Session, post: BorderPost, reference: str) -> InspectionRequest:
    request = session.scalar(
        select(InspectionRequest).where(
            InspectionRequest.post_id == post.id, InspectionRequest.reference == reference
        )
    )
    if request is None:
        raise NotFound(f"post {post.code} has no inspection request {reference!r}")
    return request


def get_booking(session: Session, post: BorderPost, booking_id: int) -> Booking:
    booking = session.get(Booking, booking_id)
    if booking is None or booking.post_id != post.id:
        raise NotFound(f"post {post.code} has no booking {booking_id}")
    return booking


def list_requests(
    session: Session,
    post: BorderPost,
    *,
    status: RequestStatus | None = None,
    agency_ids: set[int] | None = None,
    arriving_from: datetime | None = None,
    arriving_to: datetime | None = None,
    limit: int = 200,
) -> list[InspectionRequest]:
    """Requests by expected arrival; ``agency_ids`` keeps those selected by any of these agencies."""
    query = (
        select(InspectionRequest)
        .where(InspectionRequest.post_id == post.id)
        .options(selectinload(InspectionRequest.agencies), selectinload(InspectionRequest.bookings))
    )
    if status is not None:
        query = query.where(InspectionRequest.status == status)
    if arriving_from is not None:
        query = query.where(InspectionRequest.expected_arrival >= arriving_from)
    if arriving_to is not None:
        query = query.where(InspectionRequest.expected_arrival < arriving_to)
    if agency_ids is not None:
        query = query.where(InspectionRequest.agencies.any(Agency.id.in_(agency_ids)))
    return list(
        session.scalars(
            query.order_by(InspectionRequest.expected_arrival, InspectionRequest.id).limit(limit)
        )
    )


def confirmed_booking(request: InspectionRequest) -> Booking | None:
    return next((b for b in request.bookings if b.status == BookingStatus.CONFIRMED), None)
