"""Where a joint inspection can take place: the joint-inspections engine behind the booking.

``find_offers`` asks ``solver.inspections.find_offers`` for the best few slots for one
request, against the published staffing plan (office hours, who is on duty) and the
confirmed bookings that overlap the search window: joint slots ranked by waiting and fees,
or, when none exists before the maximum wait, what blocks it (which agency, which bay, which
hours, which notice), a sequential fallback ready to book, and what would unblock it
(out-of-hours service at its quoted fee, the notice derogation, the first later slot).

``BookingContext`` is what an offer and a confirmation are judged against; ``inspection_for``
turns the offer a scheduler picked back into the engine's ``PlannedInspection``, which
``solver.inspections.check_booking`` verifies at the moment of booking.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from app.services.errors import InputProblem, InvalidInput
from app.services.inspection_site import (
    CLAIM_GRID_MINUTES,
    InspectionSite,
    confirmed_bookings,
    inspection_rules,
    load_site,
    open_spans,
    priority_classes,
)
from models import BorderPost
from solver import inspections as engine
from solver.rules import Violation

CLAIM_GRID = timedelta(minutes=CLAIM_GRID_MINUTES)
__all__ = [
    "CLAIM_GRID",
    "BookingContext",
    "OfferChoice",
    "SearchResult",
    "find_offers",
    "open_spans",
]
# Officers and bays are looked at this far around the search window: the engine places an
# offer at the officer and bay whose free stretch fits it most tightly within a day.
_AROUND = timedelta(days=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class Attendee:
    agency_code: str
    officer_code: str
    officer_name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Charge:
    """An agency serving out of hours, at its fee for the part's started hours."""

    agency_code: str
    fee: int
    currency: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OfferPart:
    """One sitting at one bay: every agency of a joint slot, or one side's agencies."""

    start_at: datetime
    end_at: datetime
    resource_code: str
    resource_name: str
    attendees: tuple[Attendee, ...]
    charges: tuple[Charge, ...] = ()

    @property
    def key(self) -> str:
        officers = ",".join(f"{a.agency_code}={a.officer_code}" for a in self.attendees)
        return f"{self.start_at.astimezone(UTC):%Y-%m-%dT%H:%MZ}|{self.resource_code}|{officers}"

    def as_dict(self) -> dict[str, object]:
        return {
            "start": self.start_at.isoformat(),
            "end": self.end_at.isoformat(),
            "resource": self.resource_code,
            "officers": {a.agency_code: a.officer_code for a in self.attendees},
            "attendees": [
                {"agency": a.agency_code, "officer": a.officer_code, "officer_name": a.officer_name}
                for a in self.attendees
            ],
            "out_of_hours": [
                {"agency": c.agency_code, "fee": c.fee, "currency": c.currency}
                for c in self.charges
            ],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Offer:
    """An inspection ready to book as it is: one joint part, or one part per side in order.

    ``joint_failure`` says, for a sequential offer, why no joint slot could be had.
    """

    mode: str
    parts: tuple[OfferPart, ...]
    waiting_minutes: int
    fees: Mapping[str, int] = field(default_factory=dict)  # by currency
    joint_failure: tuple[str, ...] = ()

    @property
    def start_at(self) -> datetime:
        return self.parts[0].start_at

    @property
    def end_at(self) -> datetime:
        return max(part.end_at for part in self.parts)

    @property
    def resource_code(self) -> str:
        return self.parts[0].resource_code

    @property
    def resource_name(self) -> str:
        return self.parts[0].resource_name

    @property
    def attendees(self) -> tuple[Attendee, ...]:
        return tuple(a for part in self.parts for a in part.attendees)

    @property
    def out_of_hours(self) -> bool:
        return any(part.charges for part in self.parts)

    @property
    def key(self) -> str:
        """The offer in one string for a form's hidden field: each part's start, bay and
        agency=officer pairs, parts in order separated by ``;``."""
        return ";".join(part.key for part in self.parts)

    def as_dict(self) -> dict[str, object]:
        first = self.parts[0]
        return {
            "key": self.key,
            "mode": self.mode,
            "start": self.start_at.isoformat(),
            "end": self.end_at.isoformat(),
            "resource": first.resource_code,
            "officers": {a.agency_code: a.officer_code for a in first.attendees},
            "waiting_minutes": self.waiting_minutes,
            "fees": dict(self.fees),
            "parts": [part.as_dict() for part in self.parts],
            "joint_failure": list(self.joint_failure),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchResult:
    """What the scheduler is shown: joint ``offers`` best first, or, when there is none before
    the maximum wait, the ``blockers`` (each rule in the way, naming the agency or bay it
    concerns), a sequential ``fallback`` if one fits, and ``remedies`` with their fees.
    ``window_start``/``window_end`` bound the start of a joint slot."""

    offers: tuple[Offer, ...]
    fallback: tuple[Offer, ...] = ()
    blockers: tuple[Violation, ...] = ()
    remedies: tuple[engine.Remedy, ...] = ()
    window_start: datetime | None = None
    window_end: datetime | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "offers": [offer.as_dict() for offer in self.offers],
            "fallback": [offer.as_dict() for offer in self.fallback],
            "blockers": [blocker.as_dict() for blocker in self.blockers],
            "remedies": [remedy.as_dict() for remedy in self.remedies],
            "window_start": self.window_start.isoformat() if self.window_start else None,
            "window_end": self.window_end.isoformat() if self.window_end else None,
        }


@dataclass(frozen=True, slots=True)
class ChoicePart:
    start_at: datetime
    resource_code: str
    officers: Mapping[str, str]  # agency code -> officer staff number


@dataclass(frozen=True, slots=True)
class OfferChoice:
    """The offer a user picked: its parts in order (one for a joint slot, one per side for a
    sequential inspection), each a start, a bay and one officer per agency, by their codes."""

    parts: tuple[ChoicePart, ...]

    @classmethod
    def joint(
        cls, start_at: datetime, resource_code: str, officers: Mapping[str, str]
    ) -> OfferChoice:
        return cls((ChoicePart(start_at, resource_code, dict(officers)),))


@dataclass(frozen=True, slots=True)
class BookingContext:
    """One request and everything its offers and its booking are judged against."""

    place: InspectionSite
    request: engine.InspectionRequest
    availability: engine.Availability
    now: datetime

    @classmethod
    def load(
        cls,
        session: Session,
        post: BorderPost,
        request: engine.InspectionRequest,
        now: datetime,
        *,
        except_booking_id: int | None = None,
        covering: Sequence[datetime] = (),
    ) -> BookingContext:
        """Everything within the offers' search window, widened to cover the slots starting at
        ``covering`` (a slot a scheduler picked may lie beyond it)."""
        start, end = search_window(post, request, now)
        if covering:
            start = min(start, min(covering) - _AROUND)
            end = max(end, max(covering) + timedelta(minutes=request.duration_minutes) + _AROUND)
        place = load_site(session, post, start, end, agencies=request.agencies)
        # Only the officers of the selecting agencies and the bays that could take the truck
        # can collide with its slot: the other bookings of the window are not read.
        holding = (
            place.officer_ids.values(),
            [place.bay_ids[b.bay_id] for b in place.site.capable_bays(request)],
        )
        bookings = confirmed_bookings(
            session, post, start, end, except_booking_id=except_booking_id, holding=holding
        )
        return cls(place, request, engine.Availability(site=place.site, bookings=bookings), now)

    def offers(self, max_offers: int = 3) -> SearchResult:
        found = engine.find_offers(self.request, self.availability, self.now, max_offers)
        return SearchResult(
            offers=tuple(self.offer(inspection) for inspection in found.offers),
            fallback=tuple(self.offer(inspection) for inspection in found.fallback),
            blockers=found.blockers,
            remedies=found.remedies,
            window_start=found.window_start,
            window_end=found.window_end,
        )

    def offer(self, inspection: engine.PlannedInspection) -> Offer:
        return Offer(
            mode=inspection.mode,
            parts=tuple(
                OfferPart(
                    start_at=part.start,
                    end_at=part.end,
                    resource_code=part.bay_id,
                    resource_name=self.place.bay_name(part.bay_id),
                    attendees=tuple(
                        Attendee(
                            agency_code=a.agency,
                            officer_code=a.officer_id,
                            officer_name=self.place.officer_name(a.officer_id),
                        )
                        for a in sorted(part.officers, key=lambda a: a.agency)
                    ),
                    charges=tuple(
                        Charge(agency_code=c.agency, fee=c.fee, currency=c.currency)
                        for c in part.out_of_hours
                    ),
                )
                for part in inspection.parts
            ),
            waiting_minutes=inspection.waiting_minutes,
            fees=inspection.fees,
            joint_failure=tuple(v.message for v in inspection.joint_failure),
        )

    def inspection_for(self, choice: OfferChoice) -> engine.PlannedInspection:
        """The engine's inspection for ``choice``, with the out-of-hours charges it incurs.

        Names that do not belong to this request (an officer of another agency, a bay that
        does not exist, parts that do not split the agencies by side) are bad input, named by
        field; whether the inspection may be booked is ``check_booking``'s to say.
        """
        site, request = self.place.site, self.request
        problems = _shape_problems(site, request, choice)
        if problems:
            raise InvalidInput(problems, "the offer does not fit the request")
        duration = timedelta(minutes=request.duration_minutes)
        parts = []
        for choice_part in choice.parts:
            start = choice_part.start_at.astimezone(UTC)
            end = start + duration
            agencies = tuple(sorted(choice_part.officers))
            parts.append(
                engine.PlannedPart(
                    agencies=agencies,
                    start=start,
                    end=end,
                    bay_id=choice_part.resource_code,
                    officers=tuple(
                        engine.Attendance(agency=a, officer_id=choice_part.officers[a])
                        for a in agencies
                    ),
                    out_of_hours=tuple(
                        _charge(site, request, agency, start, end)
                        for agency in agencies
                        if not _in_hours(site, request, agency, start, end)
                    ),
                )
            )
        if len(parts) == 1:
            mode = "joint"
        else:
            mode = (
                "exit_first"
                if site.agency(parts[0].agencies[0]).side == request.exit_side
                else "entry_first"
            )
        busy = sum((part.end - part.start for part in parts), timedelta())
        arrival = _minute_ceil(request.expected_arrival)
        waiting = round((max(part.end for part in parts) - arrival - busy) / timedelta(minutes=1))
        return engine.PlannedInspection(
            reference=request.reference, mode=mode, parts=tuple(parts), waiting_minutes=waiting
        )  # type: ignore[arg-type]

    def check(self, inspection: engine.PlannedInspection) -> tuple[Violation, ...]:
        """Every rule the booking would break, against the bookings confirmed so far."""
        return engine.check_booking(self.request, inspection, self.availability, now=self.now)


def search_window(
    post: BorderPost, request: engine.InspectionRequest, now: datetime
) -> tuple[datetime, datetime]:
    """The stretch of time an offer for ``request`` can look at: from the first possible
    start to the end of the engine's look-ahead after the maximum wait, and a day around it."""
    classes = {c.code: c for c in priority_classes(post)}
    rules = inspection_rules(post)
    max_wait = request.max_wait_minutes or (
        classes[request.priority_class].max_wait_minutes if request.priority_class in classes else 0
    )
    first = max(now, request.expected_arrival)
    last = (
        first
        + timedelta(minutes=max_wait + 2 * request.duration_minutes)
        + timedelta(days=rules.lookahead_days)
    )
    return first - _AROUND, last + _AROUND


def find_offers(
    session: Session,
    post: BorderPost,
    request: engine.InspectionRequest,
    now: datetime,
    *,
    max_offers: int = 3,
    except_booking_id: int | None = None,
) -> SearchResult:
    """The best ``max_offers`` slots for ``request`` now, or what blocks and what would unblock."""
    return BookingContext.load(
        session, post, request, now, except_booking_id=except_booking_id
    ).offers(max_offers)


def _minute_ceil(instant: datetime) -> datetime:
    floor = instant.replace(second=0, microsecond=0)
    return floor if floor == instant else floor + timedelta(minutes=1)


def _covered(windows: tuple[engine.Window, ...], start: datetime, end: datetime) -> bool:
    reached = start
    for window in sorted(windows, key=lambda w: w.start):
        if window.start > reached:
            break
        reached = max(reached, window.end)
    return reached >= end


def _in_hours(
    site: engine.PostSite,
    request: engine.InspectionRequest,
    agency: str,
    start: datetime,
    end: datetime,
) -> bool:
    office = site.office_for(agency, request.facility)
    return office is not None and _covered(office.open_windows, start, end)


def _charge(
    site: engine.PostSite,
    request: engine.InspectionRequest,
    agency: str,
    start: datetime,
    end: datetime,
) -> engine.OutOfHoursCharge:
    rule = site.agency(agency)
    minutes = round((end - start) / timedelta(minutes=1))
    # An agency without out-of-hours service is charged nothing here; the check refuses the slot.
    fee = rule.out_of_hours_fee(minutes) if rule.offers_out_of_hours else 0
    return engine.OutOfHoursCharge(agency=agency, fee=fee, currency=rule.currency)


def _shape_problems(
    site: engine.PostSite, request: engine.InspectionRequest, choice: OfferChoice
) -> list[InputProblem]:
    problems: list[InputProblem] = []
    if len(choice.parts) not in (1, 2):
        return [
            InputProblem(
                "offer.parts",
                "an offer has one part (joint) or two (one per side)",
                "book one of the offers shown",
            )
        ]
    named: list[str] = []
    for index, part in enumerate(choice.parts):
        where = "offer" if len(choice.parts) == 1 else f"offer.parts.{index}"
        if part.start_at.tzinfo is None:
            problems.append(
                InputProblem(
                    f"{where}.start", "the time has no zone", "give it with its UTC offset"
                )
            )
        if not site.has_bay(part.resource_code):
            problems.append(
                InputProblem(
                    f"{where}.resource",
                    f"{part.resource_code!r} is not a bay of post {site.name}",
                    "book one of the offers shown",
                )
            )
        if not part.officers:
            problems.append(
                InputProblem(
                    f"{where}.officers", "no officer is named", "name one officer per agency"
                )
            )
        for agency, officer in part.officers.items():
            named.append(agency)
            if agency not in request.agencies:
                problems.append(
                    InputProblem(
                        f"{where}.officers",
                        f"{agency!r} did not select {request.reference}",
                        f"name officers of {', '.join(request.agencies)}",
                    )
                )
            elif not site.has_officer(officer) or site.officer(officer).agency != agency:
                problems.append(
                    InputProblem(
                        f"{where}.officers.{agency}",
                        f"{officer!r} is not an officer of {agency}",
                        "book one of the offers shown",
                    )
                )
    if not problems and sorted(named) != sorted(request.agencies):
        problems.append(
            InputProblem(
                "offer.officers",
                f"the offer must name one officer for each of {', '.join(request.agencies)}",
                "book one of the offers shown",
            )
        )
    return problems
