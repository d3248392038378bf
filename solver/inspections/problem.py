"""Joint inspections: the problem the service layer fills in, and the plans that come back.

Everything is an instant in UTC. The service layer turns the opening-hours plan into office
``open_windows``, the roster into officers' ``duty`` windows, bay hours into bay windows and
booked inspections into ``ExistingBooking`` rows; the engine never sees a local wall-clock
rule except through an agency's side (its zone, weekend and holidays), which it needs to count
notice periods in working days.

Names follow the post's own vocabulary: an agency is known by its code (unique at the post,
"BG-CUS"), an office, officer or bay by its id. Every dataclass checks itself on construction
and precomputes the integer minutes the engine works with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from solver.config import SolveStats, SolveStatus
from solver.ids import unique_index
from solver.rules import HARD, Enforcement, Violation
from solver.timeutil import zone as known_zone

from . import timeline
from .names import Mode
from .timeline import Span, Spans
from .workdays import add_working_days, is_working_day


def _as_utc(value: datetime, what: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be an aware instant (naive datetimes are ambiguous)")
    return value.astimezone(UTC)


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldError:
    """One thing wrong with an input, naming the field as the API names it."""

    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class InvalidInput(ValueError):
    """Raised with every ``FieldError`` found, so one answer can list them all."""

    def __init__(self, errors: tuple[FieldError, ...] | list[FieldError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(f"{error.field}: {error.message}" for error in self.errors))


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise InvalidInput(errors)


@dataclass(frozen=True, slots=True, kw_only=True)
class Window:
    """A stretch of real time ``[start, end)``: an office open, an officer on duty, a bay usable."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _as_utc(self.start, "window start"))
        object.__setattr__(self, "end", _as_utc(self.end, "window end"))
        if self.end <= self.start:
            raise ValueError(f"window ends ({self.end}) before it starts ({self.start})")

    @property
    def span(self) -> Span:
        # Only whole minutes that lie inside the window are usable.
        return (timeline.minute_ceil(self.start), timeline.minute_floor(self.end))


def _spans(windows: tuple[Window, ...]) -> Spans:
    return timeline.normalize(window.span for window in windows)


@dataclass(frozen=True, slots=True, kw_only=True)
class Side:
    """One country's side of the post: the clock and calendar its agencies count days in."""

    code: str
    name: str
    zone: str
    weekend_days: frozenset[int] = frozenset({5, 6})
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        known_zone(self.zone)
        if not self.weekend_days <= set(range(7)) or len(self.weekend_days) == 7:
            raise ValueError(f"side {self.code}: weekend days are 0 (Monday) to 6, not all seven")

    def is_working_day(self, day: date) -> bool:
        return is_working_day(day, self.weekend_days, self.holidays)


@dataclass(frozen=True, slots=True, kw_only=True)
class NoticeRule:
    """How long before an inspection an agency must have been notified.

    ``working_days`` count in the agency side's calendar (one for an EU CHED), ``hours`` are
    real hours (48 for a US FWS wildlife notice); when both are set the later deadline holds.
    ``derogation_hours`` replaces both when the trader invokes the derogation (4 h for a CHED
    "where logistical constraints prevent compliance"), except for the categories listed in
    ``categories_without_derogation`` (live animals always need the full period).
    """

    working_days: int = 0
    hours: int = 0
    derogation_hours: int | None = None
    categories_without_derogation: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.working_days < 0 or self.hours < 0:
            raise ValueError("notice periods cannot be negative")
        if self.derogation_hours is not None and self.derogation_hours < 0:
            raise ValueError("a derogated notice period cannot be negative")

    def derogation_applies(self, category: str, derogation: bool) -> bool:
        return (
            derogation
            and self.derogation_hours is not None
            and category not in self.categories_without_derogation
        )

    def deadline(
        self, notified_at: datetime, side: Side, *, category: str, derogation: bool
    ) -> datetime:
        """The earliest instant an inspection may start, given when the agency was notified."""
        if self.derogation_applies(category, derogation):
            assert self.derogation_hours is not None
            return notified_at + timedelta(hours=self.derogation_hours)
        by_days = add_working_days(
            notified_at,
            self.working_days,
            zone=side.zone,
            weekend_days=side.weekend_days,
            holidays=side.holidays,
        )
        return max(by_days, notified_at + timedelta(hours=self.hours))

    def describe(self, *, category: str, derogation: bool) -> str:
        if self.derogation_applies(category, derogation):
            return f"{self.derogation_hours} h (derogation)"
        parts = []
        if self.working_days:
            plural = "s" if self.working_days > 1 else ""
            parts.append(f"{self.working_days} working day{plural}")
        if self.hours:
            parts.append(f"{self.hours} h")
        return " and ".join(parts) or "none"


@dataclass(frozen=True, slots=True, kw_only=True)
class Agency:
    """A border agency of one side. Out-of-hours service (RKC 3.2) is priced per started hour;
    ``out_of_hours_fee_per_hour`` of None means the agency does not offer it."""

    code: str
    name: str
    side: str
    notice: NoticeRule = NoticeRule()
    out_of_hours_fee_per_hour: int | None = None
    currency: str = "EUR"

    def __post_init__(self) -> None:
        if self.out_of_hours_fee_per_hour is not None and self.out_of_hours_fee_per_hour < 0:
            raise ValueError(f"agency {self.code}: an out-of-hours fee cannot be negative")

    @property
    def offers_out_of_hours(self) -> bool:
        return self.out_of_hours_fee_per_hour is not None

    def out_of_hours_fee(self, minutes: int) -> int:
        """The charge for an inspection of ``minutes`` outside hours: every started hour counts."""
        if self.out_of_hours_fee_per_hour is None:
            raise ValueError(f"agency {self.code} offers no out-of-hours service")
        return self.out_of_hours_fee_per_hour * -(-minutes // 60)


@dataclass(frozen=True, slots=True, kw_only=True)
class Office:
    """Where an agency inspects: an office hosted on one side (its own, or juxtaposed in the
    neighbour's control zone), open during ``open_windows`` (from the opening-hours plan)."""

    office_id: str
    name: str
    agency: str
    host_side: str
    open_windows: tuple[Window, ...]
    open_spans: Spans = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "open_spans", _spans(self.open_windows))


@dataclass(frozen=True, slots=True, kw_only=True)
class Officer:
    """An officer of an agency working at one office, on duty during ``duty`` (from the roster).

    ``cross_border`` is the accreditation to act in the adjoining state's control zone; an
    officer without it cannot inspect at an office hosted on the other side.
    """

    officer_id: str
    name: str
    agency: str
    office_id: str
    skills: frozenset[str] = frozenset()
    cross_border: bool = False
    duty: tuple[Window, ...] = ()
    duty_spans: Spans = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "duty_spans", _spans(self.duty))


@dataclass(frozen=True, slots=True, kw_only=True)
class Bay:
    """An inspection bay, pen, scanner lane or lab: what it offers, how many trucks at once,
    and when it can be used (breaks are gaps between windows)."""

    bay_id: str
    name: str
    host_side: str
    capabilities: frozenset[str] = frozenset()
    capacity: int = 1
    open_windows: tuple[Window, ...] = ()
    open_spans: Spans = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.capacity < 1:
            raise ValueError(f"bay {self.bay_id}: capacity must be at least 1")
        object.__setattr__(self, "open_spans", _spans(self.open_windows))


@dataclass(frozen=True, slots=True, kw_only=True)
class PriorityClass:
    """A priority class (live animals, perishable, AEO, regular) and what it is worth.

    ``rank`` orders the classes in the allocation cycle and ``quota`` is the class's turns per
    cycle: eCherha's 1:1:1:5 cycle is four classes with quotas 1, 1, 1 and 5. ``value`` is what
    inspecting one consignment of the class is worth in the plan's objective, ``wait_weight``
    what one minute of its waiting costs, ``max_wait_minutes`` the longest it may wait.
    """

    code: str
    name: str
    rank: int
    quota: int = 1
    value: int
    wait_weight: int
    max_wait_minutes: int

    def __post_init__(self) -> None:
        if self.quota < 1:
            raise ValueError(f"priority class {self.code}: quota must be at least 1")
        if self.value <= 0 or self.wait_weight < 0:
            raise ValueError(f"priority class {self.code}: value must be positive, weight >= 0")
        if self.max_wait_minutes <= 0:
            raise ValueError(f"priority class {self.code}: maximum wait must be positive")


@dataclass(frozen=True, slots=True, kw_only=True)
class InspectionRules:
    """How each rule holds at the post, and the knobs of offers and plans.

    ``max_wait`` and ``notice`` are hard, or soft at a weight per minute beyond the maximum or
    short of the notice. ``queue_order`` is soft at a weight per minute a consignment is
    overtaken by the next one in its queue, or hard (never overtaken). Sequential inspection
    (one side after the other) is the fallback when a joint slot cannot be had; it costs
    ``sequential_weight`` per consignment, so plans use it only when joint is impossible or
    far worse. Out-of-hours fees enter the objective at ``out_of_hours_fee_weight`` per unit.
    Slots start on a grid of ``start_grid_minutes`` (UTC), which keeps bookings aligned with
    the claim grid of the booking service.
    """

    max_wait: Enforcement = HARD
    notice: Enforcement = HARD
    queue_order: Enforcement = field(default_factory=lambda: Enforcement.soft(1))
    allow_sequential: bool = True
    sequential_weight: int = 600
    out_of_hours_fee_weight: int = 1
    start_grid_minutes: int = 5
    queue_window_minutes: int = 60
    offer_spacing_minutes: int = 30
    lookahead_days: int = 7

    def __post_init__(self) -> None:
        if self.sequential_weight < 0 or self.out_of_hours_fee_weight < 0:
            raise ValueError("rule weights cannot be negative")
        if not 1 <= self.start_grid_minutes <= 60:
            raise ValueError("start_grid_minutes must be between 1 and 60")
        if self.queue_window_minutes < 1 or self.offer_spacing_minutes < 1:
            raise ValueError("queue window and offer spacing must be positive")
        if self.lookahead_days < 0:
            raise ValueError("lookahead_days cannot be negative")


@dataclass(frozen=True, slots=True, kw_only=True)
class Selection:
    """An agency that selected the consignment (its risk selection), and the skill its check
    needs (a veterinarian for live animals); None means any inspector of the agency."""

    agency: str
    skill: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class InspectionRequest:
    """A consignment selected for physical inspection by agencies of one or both sides.

    ``facility_side`` is where it is inspected: by default the entry side, which hosts the
    traffic entering it at a two-facility post (set it for a straddle or single-country post).
    """

    reference: str
    exit_side: str
    entry_side: str
    cargo_category: str
    selections: tuple[Selection, ...]
    required_capabilities: frozenset[str] = frozenset()
    duration_minutes: int
    expected_arrival: datetime
    priority_class: str
    notified_at: datetime
    max_wait_minutes: int | None = None
    reversal_allowed: bool = False
    accepts_out_of_hours: bool = False
    notice_derogation: bool = False
    facility_side: str | None = None

    def __post_init__(self) -> None:
        errors: list[FieldError] = []
        if not self.reference.strip():
            errors.append(FieldError(field="reference", message="must not be empty"))
        if self.exit_side == self.entry_side:
            errors.append(FieldError(field="entry_side", message="must differ from exit_side"))
        if not self.selections:
            errors.append(FieldError(field="selections", message="at least one agency must select"))
        codes = [selection.agency for selection in self.selections]
        if len(set(codes)) != len(codes):
            errors.append(FieldError(field="selections", message="an agency is listed twice"))
        if self.duration_minutes <= 0:
            errors.append(FieldError(field="duration_minutes", message="must be positive"))
        if self.max_wait_minutes is not None and self.max_wait_minutes <= 0:
            errors.append(FieldError(field="max_wait_minutes", message="must be positive"))
        for name in ("expected_arrival", "notified_at"):
            value = getattr(self, name)
            if value.tzinfo is None or value.utcoffset() is None:
                errors.append(FieldError(field=name, message="must be an aware instant"))
            else:
                object.__setattr__(self, name, value.astimezone(UTC))
        _raise_if(errors)

    @property
    def facility(self) -> str:
        return self.facility_side or self.entry_side

    @property
    def agencies(self) -> tuple[str, ...]:
        return tuple(sorted(selection.agency for selection in self.selections))

    @property
    def arrival_minute(self) -> int:
        return timeline.minute_ceil(self.expected_arrival)

    def selection(self, agency: str) -> Selection:
        for selection in self.selections:
            if selection.agency == agency:
                return selection
        raise KeyError(agency)


@dataclass(frozen=True, slots=True, kw_only=True)
class ExistingBooking:
    """An inspection already booked: it holds its officers and one unit of its bay."""

    reference: str
    start: datetime
    end: datetime
    officer_ids: frozenset[str] = frozenset()
    bay_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _as_utc(self.start, "booking start"))
        object.__setattr__(self, "end", _as_utc(self.end, "booking end"))
        if self.end <= self.start:
            raise ValueError(f"booking {self.reference} ends before it starts")

    @property
    def span(self) -> Span:
        # Rounded outwards: a booking holds every minute it touches.
        return (timeline.minute_floor(self.start), timeline.minute_ceil(self.end))


@dataclass(frozen=True, slots=True, kw_only=True)
class PostSite:
    """Everything at one post an inspection needs: sides, agencies, offices, officers on duty,
    bays, priority classes and the rules in force."""

    post_id: str
    name: str
    sides: tuple[Side, ...]
    agencies: tuple[Agency, ...]
    offices: tuple[Office, ...]
    officers: tuple[Officer, ...]
    bays: tuple[Bay, ...]
    priority_classes: tuple[PriorityClass, ...]
    rules: InspectionRules = InspectionRules()
    _index: _SiteIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", _SiteIndex.build(self))

    def side(self, code: str) -> Side:
        return self._index.sides[code]

    def agency(self, code: str) -> Agency:
        return self._index.agencies[code]

    def has_agency(self, code: str) -> bool:
        return code in self._index.agencies

    def office(self, office_id: str) -> Office:
        return self._index.offices[office_id]

    def officer(self, officer_id: str) -> Officer:
        return self._index.officers[officer_id]

    def has_officer(self, officer_id: str) -> bool:
        return officer_id in self._index.officers

    def bay(self, bay_id: str) -> Bay:
        return self._index.bays[bay_id]

    def has_bay(self, bay_id: str) -> bool:
        return bay_id in self._index.bays

    def priority(self, code: str) -> PriorityClass:
        return self._index.classes[code]

    def office_for(self, agency: str, host_side: str) -> Office | None:
        """The office where ``agency`` inspects at the facility hosted by ``host_side``."""
        return self._index.office_by_agency_side.get((agency, host_side))

    def officers_at(self, office_id: str) -> tuple[Officer, ...]:
        return self._index.officers_by_office.get(office_id, ())

    def is_qualified(self, officer: Officer, selection: Selection, office: Office) -> bool:
        """Whether ``officer`` may carry out ``selection``'s check at ``office``."""
        if officer.office_id != office.office_id or officer.agency != selection.agency:
            return False
        if selection.skill is not None and selection.skill not in officer.skills:
            return False
        working_abroad = self.agency(selection.agency).side != office.host_side
        return officer.cross_border or not working_abroad

    def qualified_officers(self, request: InspectionRequest, agency: str) -> tuple[Officer, ...]:
        office = self.office_for(agency, request.facility)
        if office is None:
            return ()
        selection = request.selection(agency)
        return tuple(
            o for o in self.officers_at(office.office_id) if self.is_qualified(o, selection, office)
        )

    def capable_bays(self, request: InspectionRequest) -> tuple[Bay, ...]:
        return tuple(
            bay
            for bay in self.bays
            if bay.host_side == request.facility
            and request.required_capabilities <= bay.capabilities
        )

    def max_wait_minutes(self, request: InspectionRequest) -> int:
        if request.max_wait_minutes is not None:
            return request.max_wait_minutes
        return self.priority(request.priority_class).max_wait_minutes

    def notice_deadline(self, request: InspectionRequest, agency: str) -> datetime:
        rule = self.agency(agency)
        return rule.notice.deadline(
            request.notified_at,
            self.side(rule.side),
            category=request.cargo_category,
            derogation=request.notice_derogation,
        )

    def agencies_on(self, request: InspectionRequest, side: str) -> tuple[str, ...]:
        return tuple(a for a in request.agencies if self.agency(a).side == side)

    def out_of_hours_allowed(self, request: InspectionRequest, agency: str) -> bool:
        return request.accepts_out_of_hours and self.agency(agency).offers_out_of_hours

    def request_errors(
        self, request: InspectionRequest, *, now: datetime | None = None
    ) -> tuple[FieldError, ...]:
        """What makes ``request`` unusable at this post, each naming its field (for a 4xx)."""
        errors: list[FieldError] = []
        for field_name in ("exit_side", "entry_side"):
            code = getattr(request, field_name)
            if code not in self._index.sides:
                errors.append(
                    FieldError(
                        field=field_name, message=f"side {code!r} is not part of post {self.name}"
                    )
                )
        if request.facility_side is not None and request.facility_side not in self._index.sides:
            errors.append(
                FieldError(
                    field="facility_side",
                    message=f"side {request.facility_side!r} is not part of post {self.name}",
                )
            )
        if request.priority_class not in self._index.classes:
            known = ", ".join(sorted(self._index.classes))
            errors.append(
                FieldError(
                    field="priority_class",
                    message=f"unknown priority class {request.priority_class!r} (known: {known})",
                )
            )
        for position, selection in enumerate(request.selections):
            where = f"selections[{position}].agency"
            if selection.agency not in self._index.agencies:
                errors.append(
                    FieldError(
                        field=where,
                        message=f"agency {selection.agency!r} is not present at post {self.name}",
                    )
                )
                continue
            side = self.agency(selection.agency).side
            if side not in (request.exit_side, request.entry_side):
                errors.append(
                    FieldError(
                        field=where,
                        message=(
                            f"agency {selection.agency} belongs to side {side}, "
                            "neither the exit nor the entry side"
                        ),
                    )
                )
            elif self.office_for(selection.agency, request.facility) is None:
                errors.append(
                    FieldError(
                        field=where,
                        message=(
                            f"agency {selection.agency} has no office at the facility "
                            f"on side {request.facility}"
                        ),
                    )
                )
        if now is not None and request.expected_arrival < now:
            errors.append(FieldError(field="expected_arrival", message="is in the past"))
        return tuple(errors)


@dataclass(frozen=True, slots=True)
class _SiteIndex:
    sides: dict[str, Side]
    agencies: dict[str, Agency]
    offices: dict[str, Office]
    officers: dict[str, Officer]
    bays: dict[str, Bay]
    classes: dict[str, PriorityClass]
    office_by_agency_side: dict[tuple[str, str], Office]
    officers_by_office: dict[str, tuple[Officer, ...]]

    @staticmethod
    def build(site: PostSite) -> _SiteIndex:
        sides = unique_index(site.sides, "side", lambda s: s.code)
        agencies = unique_index(site.agencies, "agency", lambda a: a.code)
        offices = unique_index(site.offices, "office", lambda o: o.office_id)
        officers = unique_index(site.officers, "officer", lambda o: o.officer_id)
        bays = unique_index(site.bays, "bay", lambda b: b.bay_id)
        classes = unique_index(site.priority_classes, "priority class", lambda c: c.code)
        if not classes:
            raise ValueError(f"post {site.name}: at least one priority class is needed")
        for agency in agencies.values():
            if agency.side not in sides:
                raise ValueError(f"agency {agency.code}: unknown side {agency.side}")
        by_agency_side: dict[tuple[str, str], Office] = {}
        for office in offices.values():
            if office.agency not in agencies or office.host_side not in sides:
                raise ValueError(f"office {office.office_id}: unknown agency or host side")
            key = (office.agency, office.host_side)
            if key in by_agency_side:
                raise ValueError(
                    f"agency {office.agency} has two inspecting offices on side {office.host_side}"
                )
            by_agency_side[key] = office
        by_office: dict[str, list[Officer]] = {}
        for officer in officers.values():
            office = offices.get(officer.office_id)
            if office is None or office.agency != officer.agency:
                raise ValueError(
                    f"officer {officer.officer_id}: office {officer.office_id} "
                    f"is not an office of {officer.agency}"
                )
            by_office.setdefault(officer.office_id, []).append(officer)
        for bay in bays.values():
            if bay.host_side not in sides:
                raise ValueError(f"bay {bay.bay_id}: unknown host side {bay.host_side}")
        return _SiteIndex(
            sides=sides,
            agencies=agencies,
            offices=offices,
            officers=officers,
            bays=bays,
            classes=classes,
            office_by_agency_side=by_agency_side,
            officers_by_office={key: tuple(value) for key, value in by_office.items()},
        )




@dataclass(frozen=True, slots=True, kw_only=True)
class Availability:
    """What an offer is computed against: the post and the bookings already made."""

    site: PostSite
    bookings: tuple[ExistingBooking, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class InspectionProblem:
    """A batch to plan: a day's or a week's requests at one post, between two instants.

    Inspections must lie wholly inside ``[horizon_start, horizon_end)``; consignments that
    arrived before ``horizon_start`` have waited since their arrival all the same.
    ``notice_deadlines`` is prepared here once: per request and agency, the earliest instant
    its notice period allows an inspection to start.
    """

    site: PostSite
    requests: tuple[InspectionRequest, ...]
    bookings: tuple[ExistingBooking, ...] = ()
    horizon_start: datetime
    horizon_end: datetime
    notice_deadlines: Mapping[str, Mapping[str, datetime]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "horizon_start", _as_utc(self.horizon_start, "horizon_start"))
        object.__setattr__(self, "horizon_end", _as_utc(self.horizon_end, "horizon_end"))
        if self.horizon_end <= self.horizon_start:
            raise ValueError("the planning horizon ends before it starts")
        errors: list[FieldError] = []
        seen: set[str] = set()
        for position, request in enumerate(self.requests):
            if request.reference in seen:
                errors.append(
                    FieldError(
                        field=f"requests[{position}].reference",
                        message=f"{request.reference} is listed twice",
                    )
                )
            seen.add(request.reference)
            errors.extend(
                FieldError(field=f"requests[{position}].{error.field}", message=error.message)
                for error in self.site.request_errors(request)
            )
        _raise_if(errors)
        deadlines = {
            request.reference: {
                agency: self.site.notice_deadline(request, agency) for agency in request.agencies
            }
            for request in self.requests
        }
        object.__setattr__(self, "notice_deadlines", deadlines)

    @property
    def horizon(self) -> Span:
        return (timeline.minute_ceil(self.horizon_start), timeline.minute_floor(self.horizon_end))

    def request(self, reference: str) -> InspectionRequest:
        for request in self.requests:
            if request.reference == reference:
                return request
        raise KeyError(reference)


# --- plans ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Attendance:
    """Which officer attends a part of an inspection for an agency."""

    agency: str
    officer_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OutOfHoursCharge:
    """An agency serving outside its office hours, at its fee for the part's started hours."""

    agency: str
    fee: int
    currency: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedPart:
    """One inspection at one bay, attended by one officer of every agency listed.

    A joint inspection is one part with the agencies of both sides; a sequential one is two
    parts, one per side, in the order the mode says.
    """

    agencies: tuple[str, ...]
    start: datetime
    end: datetime
    bay_id: str
    officers: tuple[Attendance, ...]
    out_of_hours: tuple[OutOfHoursCharge, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _as_utc(self.start, "part start"))
        object.__setattr__(self, "end", _as_utc(self.end, "part end"))

    def officer_for(self, agency: str) -> str | None:
        for attendance in self.officers:
            if attendance.agency == agency:
                return attendance.officer_id
        return None

    @property
    def minutes(self) -> int:
        return int((self.end - self.start) / timedelta(minutes=1))


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedInspection:
    """A consignment's inspection as planned or offered.

    ``waiting_minutes`` is the time the consignment waits between arrival and release while
    nobody inspects it. ``joint_failure`` says, for a sequential inspection, why no joint
    slot could be had.
    """

    reference: str
    mode: Mode
    parts: tuple[PlannedPart, ...]
    waiting_minutes: int
    joint_failure: tuple[Violation, ...] = ()

    @property
    def first_start(self) -> datetime:
        return min(part.start for part in self.parts)

    @property
    def release(self) -> datetime:
        return max(part.end for part in self.parts)

    @property
    def fees(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for part in self.parts:
            for charge in part.out_of_hours:
                totals[charge.currency] = totals.get(charge.currency, 0) + charge.fee
        return totals

    @property
    def out_of_hours(self) -> bool:
        return any(part.out_of_hours for part in self.parts)

    def as_booking(self) -> tuple[ExistingBooking, ...]:
        """The bookings this inspection becomes once confirmed, one per part."""
        return tuple(
            ExistingBooking(
                reference=self.reference,
                start=part.start,
                end=part.end,
                officer_ids=frozenset(a.officer_id for a in part.officers),
                bay_id=part.bay_id,
            )
            for part in self.parts
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class UninspectedRequest:
    reference: str
    reasons: tuple[Violation, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Statistic:
    """TRS-style summary of durations in minutes."""

    count: int
    mean: float | None
    median: float | None
    p90: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class StageTimes:
    arrival_to_start: Statistic
    arrival_to_release: Statistic


@dataclass(frozen=True, slots=True, kw_only=True)
class KpiReport:
    """Time Release Study figures for a plan: arrival to start of inspection and arrival to
    release, overall and by agency, cargo category and priority class."""

    overall: StageTimes
    by_agency: Mapping[str, StageTimes]
    by_category: Mapping[str, StageTimes]
    by_priority: Mapping[str, StageTimes]
    inspected: int
    not_inspected: int
    joint: int
    sequential: int
    out_of_hours: int
    fees: Mapping[str, int]


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchSolution:
    """A batch plan: who is inspected when and where, what it costs, and how it was found.

    ``objective`` is the weighted number of consignments inspected minus every penalty paid
    (waiting, fees, sequential fallbacks ...): the quantity the solver maximised. Each
    ``violations`` entry is one penalty paid, or one consignment left uninspected with the
    value forgone as its cost.
    """

    status: SolveStatus
    stats: SolveStats
    inspections: tuple[PlannedInspection, ...]
    uninspected: tuple[UninspectedRequest, ...]
    violations: tuple[Violation, ...]
    objective: int | None
    kpis: KpiReport

    def inspection(self, reference: str) -> PlannedInspection | None:
        for inspection in self.inspections:
            if inspection.reference == reference:
                return inspection
        return None
