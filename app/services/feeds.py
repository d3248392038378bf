"""iCalendar feeds of plans and bookings, with stable UIDs, growing SEQUENCE and cancellations.

A *selection* names what a calendar shows: kinds (opening hours, shifts, inspections) and
optionally one side, agency, office, officer or bay. The events of a selection come from the
post's published plan (hours, shifts) and from its confirmed bookings (inspections). Each
event's UID derives from what it is (post, office, local day and window ordinal; officer and
local day; consignment reference), never from a row id, so it survives re-plans.

A calendar that people subscribe to keeps a published state (``PublishedCalendar`` and one
``PublishedEvent`` per UID): a changed event gets a higher SEQUENCE and a new LAST-MODIFIED,
a removed one stays as STATUS:CANCELLED with a higher SEQUENCE for
``feeds.cancelled_grace_days`` and then leaves. ``sync`` brings the state up to date and
tells what changed, which the CalDAV push reuses. A plan's download is a snapshot instead:
every event at SEQUENCE = plan version, the same bytes each time.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from app.services import audit, jobs
from app.services.errors import InputProblem, InvalidInput, NotFound
from app.services.ical import (
    CalendarEvent,
    CalendarMeta,
    Revision,
    calendar_bytes,
    content_fingerprint,
    snapshot,
    vevent_text,
)
from models import (
    Agency,
    Booking,
    BookingPart,
    BookingStatus,
    BorderPost,
    CalendarKind,
    CargoCategory,
    FeedSubscription,
    InspectionRequest,
    Office,
    Officer,
    Plan,
    PlannedShift,
    PlannedWindow,
    PlanStatus,
    PublishedCalendar,
    PublishedEvent,
    Resource,
    ShiftTemplate,
    Side,
    User,
)
from solver.timeutil import utc_to_local

UID_DOMAIN = "juxta"
# Past events older than this leave feeds: calendars keep their own history.
HISTORY_DAYS = 60
KIND_ORDER = (CalendarKind.HOURS, CalendarKind.SHIFTS, CalendarKind.INSPECTIONS)
KIND_LABEL = {CalendarKind.HOURS: "opening hours", CalendarKind.SHIFTS: "shifts", CalendarKind.INSPECTIONS: "joint inspections"}
_UID_PREFIX = {CalendarKind.HOURS: "hours", CalendarKind.SHIFTS: "shift", CalendarKind.INSPECTIONS: "inspection"}
_KIND_OF_PREFIX = {prefix: kind for kind, prefix in _UID_PREFIX.items()}


@dataclass(frozen=True, slots=True)
class FeedSettings:
    refresh_minutes: int
    cancelled_grace_days: int
    base_url: str = ""

    @classmethod
    def from_config(cls, settings: Any) -> FeedSettings:
        """The ``[feeds]`` part of the app's settings (``app.config.Settings``)."""
        return cls(settings.feeds_refresh_minutes, settings.feeds_cancelled_grace_days, settings.feeds_base_url)

    def as_params(self) -> dict[str, Any]:
        return {"refresh_minutes": self.refresh_minutes, "cancelled_grace_days": self.cancelled_grace_days, "base_url": self.base_url}

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> FeedSettings:
        return cls(int(params["refresh_minutes"]), int(params["cancelled_grace_days"]), str(params.get("base_url", "")))


# -- selections ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Selection:
    """What a calendar shows: kinds of event, narrowed by the codes that are set."""

    kinds: tuple[CalendarKind, ...]
    side: str | None = None
    agency: str | None = None
    office: str | None = None
    officer: str | None = None
    bay: str | None = None
    # Officers' names on inspections; off for readers outside the agencies (a neighbour's view).
    staff_names: bool = True

    @classmethod
    def of(cls, kinds: Iterable[str | CalendarKind] | None = None, *, staff_names: bool = True, **codes: str | None) -> Selection:
        """From user input: unknown kind names raise ``InvalidInput``; no kinds means all."""
        chosen: set[CalendarKind] = set()
        problems = []
        for name in kinds or [kind.value for kind in KIND_ORDER]:
            try:
                chosen.add(CalendarKind(str(name).strip().lower()))
            except ValueError:
                problems.append(InputProblem("calendar", f"{name!r} is not a calendar", "use hours, shifts or inspections"))
        if problems:
            raise InvalidInput(problems, "unknown calendar")
        cleaned = {key: (value.strip() or None) if isinstance(value, str) else None for key, value in codes.items()}
        return cls(kinds=tuple(kind for kind in KIND_ORDER if kind in chosen), staff_names=staff_names, **cleaned)

    def key(self) -> str:
        kinds = "+".join(kind.value for kind in self.kinds)
        parts = [f"{name}={quote(value, safe='')}" for name, value in self.codes().items() if value]
        return "|".join([kinds, *parts, *([] if self.staff_names else ["no-staff-names"])])

    def codes(self) -> dict[str, str | None]:
        return {"side": self.side, "agency": self.agency, "office": self.office, "officer": self.officer, "bay": self.bay}

    def describe(self) -> str:
        what = ", ".join(KIND_LABEL[kind] for kind in self.kinds)
        narrowed = ", ".join(f"{name} {value}" for name, value in self.codes().items() if value)
        return f"{what} ({narrowed})" if narrowed else what


@dataclass(frozen=True, slots=True)
class PostDirectory:
    """A post's sides, agencies, offices, officers, templates, bays and categories, by id."""

    post: BorderPost
    sides: dict[int, Side]
    agencies: dict[int, Agency]
    offices: dict[int, Office]
    officers: dict[int, Officer]
    templates: dict[int, ShiftTemplate]
    resources: dict[int, Resource]
    categories: dict[int, CargoCategory]

    @classmethod
    def load(cls, session: Session, post: BorderPost) -> PostDirectory:
        def by_id(model: type) -> dict[int, object]:
            return {row.id: row for row in session.scalars(select(model).where(model.post_id == post.id))}  # type: ignore[attr-defined]

        return cls(
            post=post, sides=by_id(Side), agencies=by_id(Agency), offices=by_id(Office), officers=by_id(Officer),  # type: ignore[arg-type]
            templates=by_id(ShiftTemplate), resources=by_id(Resource), categories=by_id(CargoCategory),  # type: ignore[arg-type]
        )

    def zone_of_agency(self, agency_id: int) -> str:
        return self.sides[self.agencies[agency_id].side_id].timezone


@dataclass(frozen=True, slots=True)
class Scope:
    """A selection resolved to row ids; ``None`` means not narrowed."""

    selection: Selection
    side_id: int | None
    agency_id: int | None
    office_id: int | None
    officer_id: int | None
    resource_id: int | None
    by_agency: bool = False  # inspections as each agency's part, whatever the narrowing

    def office_included(self, office: Office, directory: PostDirectory) -> bool:
        agency = directory.agencies[office.agency_id]
        officer = directory.officers.get(self.officer_id) if self.officer_id else None
        return (
            (self.side_id is None or agency.side_id == self.side_id)
            and (self.agency_id is None or office.agency_id == self.agency_id)
            and (self.office_id is None or office.id == self.office_id)
            and (officer is None or officer.office_id == office.id)
        )

    def shift_included(self, officer: Officer, office_id: int, directory: PostDirectory) -> bool:
        return (
            (self.side_id is None or directory.agencies[officer.agency_id].side_id == self.side_id)
            and (self.agency_id is None or officer.agency_id == self.agency_id)
            and (self.office_id is None or office_id == self.office_id)
            and (self.officer_id is None or officer.id == self.officer_id)
        )

    def part_included(self, part: BookingPart, directory: PostDirectory) -> bool:
        office = directory.offices.get(self.office_id) if self.office_id else None
        return (
            (self.side_id is None or directory.agencies[part.agency_id].side_id == self.side_id)
            and (self.agency_id is None or part.agency_id == self.agency_id)
            and (office is None or part.agency_id == office.agency_id)
            and (self.officer_id is None or part.officer_id == self.officer_id)
            and (self.resource_id is None or part.resource_id == self.resource_id)
        )


def resolve(session: Session, post: BorderPost, selection: Selection) -> Scope:
    """The selection's codes as rows of ``post``; every unknown or inconsistent code is reported."""
    problems: list[InputProblem] = []

    def find(model: type, column: str, code: str | None, what: str) -> object | None:
        if code is None:
            return None
        row = session.scalar(select(model).where(model.post_id == post.id, getattr(model, column) == code))  # type: ignore[attr-defined]
        if row is None:
            problems.append(InputProblem(what, f"{post.code} has no {what} {code!r}", f"use a {what} code of {post.code}"))
        return row

    side = find(Side, "code", selection.side, "side")
    agency = find(Agency, "code", selection.agency, "agency")
    office = find(Office, "code", selection.office, "office")
    officer = find(Officer, "code", selection.officer, "officer")
    bay = find(Resource, "code", selection.bay, "bay")
    if side is not None and agency is not None and agency.side_id != side.id:  # type: ignore[attr-defined]
        problems.append(InputProblem("agency", f"agency {selection.agency} is not on side {selection.side}", "leave one of them out"))
    if agency is not None and office is not None and office.agency_id != agency.id:  # type: ignore[attr-defined]
        problems.append(InputProblem("office", f"office {selection.office} is not an office of {selection.agency}", "leave one of them out"))
    if agency is not None and officer is not None and officer.agency_id != agency.id:  # type: ignore[attr-defined]
        problems.append(InputProblem("officer", f"officer {selection.officer} is not in agency {selection.agency}", "leave one of them out"))
    if bay is not None and set(selection.kinds) - {CalendarKind.INSPECTIONS}:
        problems.append(InputProblem("bay", "a bay has only inspections, no opening hours or shifts in plans", "ask for calendar=inspections"))
    if problems:
        raise InvalidInput(problems, "the calendar selection does not fit the post")
    return Scope(
        selection,
        side.id if side else None, agency.id if agency else None, office.id if office else None,  # type: ignore[attr-defined]
        officer.id if officer else None, bay.id if bay else None,  # type: ignore[attr-defined]
    )


# -- events from plans and bookings ----------------------------------------------------------


def uid(kind: CalendarKind, *parts: str) -> str:
    """``hours.KA.BG-CUS-OFF.2026-03-29.1@juxta``: parts escaped, so no two identities meet."""
    escaped = (quote(part, safe="-_").replace(".", "%2E") for part in parts)
    return ".".join([_UID_PREFIX[kind], *escaped]) + f"@{UID_DOMAIN}"


def kind_of_uid(event_uid: str) -> CalendarKind:
    return _KIND_OF_PREFIX[event_uid.split(".", 1)[0]]


def times_text(start: datetime, end: datetime, zone_name: str) -> str:
    def span(first: datetime, last: datetime) -> str:
        end_format = "%H:%M" if last.date() == first.date() else "%Y-%m-%d %H:%M"
        return f"{first:%Y-%m-%d %H:%M}–{last.strftime(end_format)}"

    local = span(utc_to_local(start, zone_name), utc_to_local(end, zone_name))
    return f"{local} {zone_name} ({span(start.astimezone(UTC), end.astimezone(UTC))} UTC)"


@dataclass(frozen=True, slots=True, kw_only=True)
class WindowItem:
    side: Side
    agency: Agency
    office: Office
    zone: str
    local_day: date
    ordinal: int
    start: datetime
    end: datetime
    out_of_hours: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftItem:
    side: Side
    agency: Agency
    office: Office
    officer: Officer
    template: ShiftTemplate
    zone: str
    local_day: date
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class InspectionItem:
    """One booking as a calendar shows it: whole, or one agency's part, or one bay's part."""

    group: str  # "", "agency CODE", "bay CODE" or "side CODE": what the event stands for
    group_code: str
    reference: str
    category: str
    mode: str
    agencies: tuple[str, ...]
    officers: tuple[str, ...]
    bays: tuple[str, ...]
    zone: str
    local_day: date
    start: datetime
    end: datetime
    tentative: bool = False


@dataclass(slots=True)
class PlanItems:
    windows: list[WindowItem] = field(default_factory=list)
    shifts: list[ShiftItem] = field(default_factory=list)
    inspections: list[InspectionItem] = field(default_factory=list)


def window_items(session: Session, plan: Plan, scope: Scope, directory: PostDirectory) -> list[WindowItem]:
    offices = {office_id: office for office_id, office in directory.offices.items() if scope.office_included(office, directory)}
    if not offices:
        return []
    rows = session.execute(
        select(PlannedWindow.office_id, PlannedWindow.start_at, PlannedWindow.end_at, PlannedWindow.out_of_hours)
        .where(PlannedWindow.plan_id == plan.id, PlannedWindow.office_id.in_(offices))
        .order_by(PlannedWindow.office_id, PlannedWindow.start_at)
    )
    items: list[WindowItem] = []
    ordinal: dict[tuple[int, date], int] = defaultdict(int)
    for office_id, start, end, out_of_hours in rows:
        office = offices[office_id]
        agency = directory.agencies[office.agency_id]
        zone_name = directory.sides[agency.side_id].timezone
        day = utc_to_local(start, zone_name).date()
        ordinal[office_id, day] += 1
        items.append(WindowItem(side=directory.sides[agency.side_id], agency=agency, office=office, zone=zone_name, local_day=day, ordinal=ordinal[office_id, day], start=start, end=end, out_of_hours=out_of_hours))
    return items


def shift_items(session: Session, plan: Plan, scope: Scope, directory: PostDirectory) -> list[ShiftItem]:
    query = select(PlannedShift.officer_id, PlannedShift.template_id, PlannedShift.office_id, PlannedShift.day, PlannedShift.start_at, PlannedShift.end_at).where(PlannedShift.plan_id == plan.id)
    if scope.officer_id is not None:
        query = query.where(PlannedShift.officer_id == scope.officer_id)
    if scope.office_id is not None:
        query = query.where(PlannedShift.office_id == scope.office_id)
    items: list[ShiftItem] = []
    for officer_id, template_id, office_id, day, start, end in session.execute(query.order_by(PlannedShift.start_at, PlannedShift.officer_id)):
        officer = directory.officers[officer_id]
        if not scope.shift_included(officer, office_id, directory):
            continue
        agency = directory.agencies[officer.agency_id]
        items.append(ShiftItem(
            side=directory.sides[agency.side_id], agency=agency, office=directory.offices[office_id], officer=officer,
            template=directory.templates[template_id], zone=directory.sides[agency.side_id].timezone, local_day=day, start=start, end=end,
        ))
    return items


def _inspection_group(scope: Scope, part: BookingPart, directory: PostDirectory) -> tuple[str, str]:
    if scope.resource_id is not None:
        return "bay", directory.resources[part.resource_id].code
    if scope.by_agency or scope.agency_id is not None or scope.officer_id is not None or scope.office_id is not None:
        return "agency", directory.agencies[part.agency_id].code
    if scope.side_id is not None:
        return "side", directory.sides[scope.side_id].code
    return "", ""


def inspection_items(session: Session, bookings: Sequence[Booking], scope: Scope, directory: PostDirectory) -> list[InspectionItem]:
    """Bookings as events: per bay, per agency, per side or whole, as the scope asks.

    A consignment rebooked keeps its UID: the newest confirmed booking of each request wins.
    """
    newest: dict[int, Booking] = {}
    for booking in bookings:
        if booking.status == BookingStatus.CONFIRMED and (booking.request_id not in newest or booking.id > newest[booking.request_id].id):
            newest[booking.request_id] = booking
    requests = {r.id: r for r in session.scalars(select(InspectionRequest).where(InspectionRequest.id.in_(list(newest))))} if newest else {}
    items: list[InspectionItem] = []
    for booking in sorted(newest.values(), key=lambda b: (b.start_at, b.id)):
        request = requests[booking.request_id]
        groups: dict[tuple[str, str], list[BookingPart]] = defaultdict(list)
        for part in booking.parts:
            if scope.part_included(part, directory):
                groups[_inspection_group(scope, part, directory)].append(part)
        every_agency = tuple(sorted({directory.agencies[part.agency_id].code for part in booking.parts}))
        for (group, code), parts in groups.items():
            items.append(_inspection_item(group, code, request, booking.mode.value, parts, every_agency, directory, scope, tentative=False))
    return items


def _inspection_item(group: str, code: str, request: InspectionRequest, mode: str, parts: Sequence[BookingPart], every_agency: tuple[str, ...], directory: PostDirectory, scope: Scope, *, tentative: bool) -> InspectionItem:
    start = min(part.start_at for part in parts)
    end = max(part.end_at for part in parts)
    if group == "agency":
        zone_name = directory.zone_of_agency(parts[0].agency_id)
    elif group == "side" and scope.side_id is not None:
        zone_name = directory.sides[scope.side_id].timezone
    else:
        zone_name = directory.sides[directory.resources[parts[0].resource_id].host_side_id].timezone
    officers = tuple(sorted({directory.officers[p.officer_id].name for p in parts if p.officer_id in directory.officers})) if scope.selection.staff_names else ()
    return InspectionItem(
        group=group, group_code=code, reference=request.reference, category=directory.categories[request.category_id].name,
        mode=mode, agencies=every_agency, officers=officers,
        bays=tuple(sorted({directory.resources[p.resource_id].name for p in parts})), zone=zone_name,
        local_day=utc_to_local(start, zone_name).date(), start=start, end=end, tentative=tentative,
    )


def planned_inspection_items(session: Session, plan: Plan, scope: Scope, directory: PostDirectory, booked: set[str]) -> list[InspectionItem]:
    """A plan's proposed inspections not booked yet, as tentative events (one per agency part)."""
    items: list[InspectionItem] = []
    for planned in plan.inspections:
        request = session.get(InspectionRequest, planned.request_id)
        if request is None or request.reference in booked or planned.resource_id is None:
            continue
        officers_by_agency: dict[int, int | None] = {agency.id: None for agency in request.agencies}
        for officer_id in planned.officer_ids or []:
            officer = directory.officers.get(int(officer_id))
            if officer is not None and officer.agency_id in officers_by_agency:
                officers_by_agency[officer.agency_id] = officer.id
        parts = [
            BookingPart(agency_id=agency_id, officer_id=officer_id, resource_id=planned.resource_id, start_at=planned.start_at, end_at=planned.end_at)
            for agency_id, officer_id in officers_by_agency.items()
        ]
        groups: dict[tuple[str, str], list[BookingPart]] = defaultdict(list)
        for part in parts:
            if scope.part_included(part, directory):
                groups[_inspection_group(scope, part, directory)].append(part)
        every_agency = tuple(sorted(agency.code for agency in request.agencies))
        for (group, code), members in groups.items():
            items.append(_inspection_item(group, code, request, planned.mode.value, members, every_agency, directory, scope, tentative=True))
    return items


def gather(session: Session, scope: Scope, directory: PostDirectory, *, plan: Plan | None, bookings: Sequence[Booking] | None) -> PlanItems:
    """The items of ``plan`` (hours, shifts) and of ``bookings`` (inspections) within ``scope``."""
    items = PlanItems()
    kinds = scope.selection.kinds
    if plan is not None and CalendarKind.HOURS in kinds:
        items.windows = window_items(session, plan, scope, directory)
    if plan is not None and CalendarKind.SHIFTS in kinds:
        items.shifts = shift_items(session, plan, scope, directory)
    if CalendarKind.INSPECTIONS in kinds and bookings is not None:
        items.inspections = inspection_items(session, bookings, scope, directory)
    return items


def plan_bookings(session: Session, plan: Plan) -> list[Booking]:
    return list(session.scalars(select(Booking).where(Booking.plan_id == plan.id).options(selectinload(Booking.parts))))


def plan_items(session: Session, plan: Plan, selection: Selection, *, by_agency: bool = False) -> tuple[PlanItems, PostDirectory]:
    """Everything a download of ``plan`` shows: its hours and shifts, the inspections booked
    under it and, as tentative, those it proposes that are not booked yet."""
    post = session.get(BorderPost, plan.post_id)
    assert post is not None
    directory = PostDirectory.load(session, post)
    scope = replace(resolve(session, post, selection), by_agency=by_agency)
    items = gather(session, scope, directory, plan=plan, bookings=plan_bookings(session, plan))
    if CalendarKind.INSPECTIONS in selection.kinds:
        booked = {item.reference for item in items.inspections}
        items.inspections += planned_inspection_items(session, plan, scope, directory, booked)
        items.inspections.sort(key=lambda item: (item.start, item.reference))
    return items, directory


def window_event(item: WindowItem, post_code: str) -> CalendarEvent:
    label = f"{item.office.name} open" + (" (out of hours, on request)" if item.out_of_hours else "")
    return CalendarEvent(
        uid=uid(CalendarKind.HOURS, post_code, item.office.code, item.local_day.isoformat(), str(item.ordinal)),
        summary=label, start=item.start, end=item.end, zone=item.zone, local_day=item.local_day,
        description=f"{item.agency.name} ({item.side.name}), office {item.office.code}: open {times_text(item.start, item.end, item.zone)}.",
        location=item.office.name, categories=("Opening hours", item.side.code, item.agency.code), transparent=True,
    )


def shift_event(item: ShiftItem, post_code: str) -> CalendarEvent:
    return CalendarEvent(
        uid=uid(CalendarKind.SHIFTS, post_code, item.officer.code, item.local_day.isoformat()),
        summary=f"{item.template.name}: {item.officer.name}", start=item.start, end=item.end, zone=item.zone, local_day=item.local_day,
        description=(
            f"Shift {item.template.code} ({item.template.name}) for {item.officer.name} ({item.officer.code}), "
            f"{item.agency.name}, {item.office.name}: {times_text(item.start, item.end, item.zone)}."
        ),
        location=item.office.name, categories=("Shift", item.agency.code) + (("Night",) if item.template.night else ()),
    )


def inspection_event(item: InspectionItem, post_code: str) -> CalendarEvent:
    parts = [post_code, item.reference] + ([item.group_code] if item.group_code else [])
    joint = "Joint inspection" if item.mode == "joint" and len(item.agencies) > 1 else "Inspection"
    officers = f" Officers: {', '.join(item.officers)}." if item.officers else ""
    return CalendarEvent(
        uid=uid(CalendarKind.INSPECTIONS, *parts),
        summary=f"{joint} {item.reference}: {item.category}" + (" (proposed)" if item.tentative else ""),
        start=item.start, end=item.end, zone=item.zone, local_day=item.local_day,
        description=(
            f"{item.category}, consignment {item.reference}, {item.mode} inspection by {', '.join(item.agencies)} "
            f"at {', '.join(item.bays)}: {times_text(item.start, item.end, item.zone)}.{officers}"
        ),
        location=", ".join(item.bays), categories=("Inspection", item.mode), status="TENTATIVE" if item.tentative else "CONFIRMED",
    )


def events_of(items: PlanItems, post_code: str) -> list[CalendarEvent]:
    events = [window_event(item, post_code) for item in items.windows]
    events += [shift_event(item, post_code) for item in items.shifts]
    events += [inspection_event(item, post_code) for item in items.inspections]
    return events


# -- calendar metadata -----------------------------------------------------------------------


def calendar_meta(post: BorderPost, selection: Selection, settings: FeedSettings, *, source_url: str = "", title: str = "") -> CalendarMeta:
    return CalendarMeta(
        name=title or f"{post.name}: {selection.describe()}",
        description=f"Juxta plan of border post {post.name} ({post.code}): {selection.describe()}. Times are in each office's own zone.",
        refresh_minutes=settings.refresh_minutes,
        source_url=source_url,
    )


def plan_calendar(session: Session, plan: Plan, selection: Selection, settings: FeedSettings) -> bytes:
    """The download ``export.ics`` of one plan: a snapshot, identical bytes on every call."""
    items, directory = plan_items(session, plan, selection)
    published = plan.published_at or plan.created_at
    meta = calendar_meta(directory.post, selection, settings, title=f"{directory.post.name} plan v{plan.version}: {selection.describe()}")
    return snapshot(meta, events_of(items, directory.post.code), Revision(sequence=plan.version, created=published, last_modified=published))


# -- published state -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Coverage:
    """The local days a source speaks for: an event on them that the source lacks was removed."""

    by_kind: dict[CalendarKind, tuple[date, date] | None]  # None: every day; missing kind: no day

    def covers(self, kind: CalendarKind, day: date) -> bool:
        if kind not in self.by_kind:
            return False
        span = self.by_kind[kind]
        return span is None or span[0] <= day < span[1]


@dataclass(frozen=True, slots=True)
class Source:
    """The events a calendar should show now, where they came from, and what they cover."""

    marker: str
    events: list[CalendarEvent]
    coverage: Coverage


@dataclass(slots=True)
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.cancelled or self.removed)


def published_plan(session: Session, post_id: int) -> Plan | None:
    return session.scalar(
        select(Plan).where(Plan.post_id == post_id, Plan.status == PlanStatus.PUBLISHED).order_by(Plan.version.desc()).limit(1)
    )


def bookings_marker(session: Session, post_id: int) -> str:
    count, last_id, last_update, sequences = session.execute(
        select(func.count(Booking.id), func.max(Booking.id), func.max(func.coalesce(Booking.updated_at, Booking.created_at)), func.sum(Booking.sequence)).where(Booking.post_id == post_id)
    ).one()
    return f"bookings:{count}:{last_id}:{last_update}:{sequences}"


def source_marker(session: Session, post_id: int, kinds: Sequence[CalendarKind], plan: Plan | None = None) -> str:
    """A short text that changes whenever the events of ``kinds`` may have changed."""
    parts = []
    if set(kinds) & {CalendarKind.HOURS, CalendarKind.SHIFTS}:
        chosen = plan or published_plan(session, post_id)
        parts.append(f"plan:{chosen.id}" if chosen else "plan:none")
    if CalendarKind.INSPECTIONS in kinds:
        parts.append(f"plan-bookings:{plan.id}" if plan else bookings_marker(session, post_id))
    return "|".join(parts)


def current_source(session: Session, post: BorderPost, selection: Selection, *, plan: Plan | None = None) -> Source:
    """The events of ``selection`` now: the published plan (or ``plan``) and the live bookings."""
    directory = PostDirectory.load(session, post)
    scope = resolve(session, post, selection)
    chosen = plan or published_plan(session, post.id)
    marker = source_marker(session, post.id, selection.kinds, plan)
    if plan is not None:
        bookings = plan_bookings(session, plan)
    else:
        bookings = list(session.scalars(select(Booking).where(Booking.post_id == post.id).options(selectinload(Booking.parts))))
    items = gather(session, scope, directory, plan=chosen, bookings=bookings)
    coverage: dict[CalendarKind, tuple[date, date] | None] = {}
    if chosen is not None:
        span = (chosen.horizon_start, chosen.horizon_start + timedelta(days=chosen.horizon_days))
        coverage.update({kind: span for kind in (CalendarKind.HOURS, CalendarKind.SHIFTS) if kind in selection.kinds})
    if CalendarKind.INSPECTIONS in selection.kinds:
        coverage[CalendarKind.INSPECTIONS] = None
    return Source(marker, events_of(items, post.code), Coverage(coverage))


def calendar_row(session: Session, post_id: int, key: str) -> PublishedCalendar | None:
    return session.scalar(select(PublishedCalendar).where(PublishedCalendar.post_id == post_id, PublishedCalendar.key == key))


def needs_sync(calendar: PublishedCalendar | None, marker: str, now: datetime) -> bool:
    if calendar is None or calendar.source_marker != marker:
        return True
    return calendar.next_change_at is not None and now >= calendar.next_change_at


def sync(
    session: Session,
    post_id: int,
    key: str,
    source: Source,
    now: datetime,
    grace: timedelta,
    *,
    push_target_id: int | None = None,
) -> tuple[PublishedCalendar, SyncReport]:
    """Bring the published state of calendar ``key`` in line with ``source``.

    New events start at SEQUENCE 0; changed ones and ones that come back go up by one; ones
    the source no longer has, on days it covers, become cancelled (up by one). Cancelled
    events leave after ``grace``; for a push target (which must delete them remotely first)
    they are marked expired instead.
    """
    calendar = calendar_row(session, post_id, key)
    if calendar is None:
        calendar = PublishedCalendar(post_id=post_id, key=key, push_target_id=push_target_id, zones=[], last_modified=now, synced_at=now)
        session.add(calendar)
        session.flush()
    report = SyncReport()
    history_start = now - timedelta(days=HISTORY_DAYS)
    current = {event.uid: event for event in source.events if event.end > history_start}
    existing = session.execute(
        select(PublishedEvent.id, PublishedEvent.uid, PublishedEvent.sequence, PublishedEvent.fingerprint, PublishedEvent.local_day, PublishedEvent.end_at, PublishedEvent.cancelled_at, PublishedEvent.expired_at, PublishedEvent.first_published_at)
        .where(PublishedEvent.calendar_id == calendar.id)
    ).all()
    known = {row.uid: row for row in existing}
    inserts: list[dict[str, object]] = []
    updates: list[dict[str, object]] = []
    to_cancel = []
    to_delete: list[int] = []
    for event_uid, event in current.items():
        content = event.content()
        fingerprint = content_fingerprint(content)
        row = known.get(event_uid)
        if row is None:
            revision = Revision(sequence=0, created=now, last_modified=now)
            inserts.append(_event_values(calendar.id, event, content, fingerprint, revision))
            report.added.append(event_uid)
        elif row.cancelled_at is not None or row.expired_at is not None or row.fingerprint != fingerprint:
            revision = Revision(sequence=row.sequence + 1, created=row.first_published_at, last_modified=now)
            updates.append({"id": row.id, **_event_values(calendar.id, event, content, fingerprint, revision), "cancelled_at": None, "expired_at": None})
            report.updated.append(event_uid)
        else:
            report.unchanged += 1
    for row in existing:
        if row.uid in current:
            continue
        if row.end_at <= history_start:
            to_delete.append(row.id)
        elif row.cancelled_at is None:
            if source.coverage.covers(kind_of_uid(row.uid), row.local_day):
                to_cancel.append(row)
        elif row.expired_at is None and row.cancelled_at + grace <= now:
            if push_target_id is None:
                to_delete.append(row.id)
                report.removed.append(row.uid)
            else:
                updates.append({"id": row.id, "expired_at": now})
                report.removed.append(row.uid)
    if to_cancel:
        contents = dict(session.execute(select(PublishedEvent.id, PublishedEvent.content).where(PublishedEvent.id.in_([row.id for row in to_cancel]))).all())
        for row in to_cancel:
            event = CalendarEvent.from_content(contents[row.id])
            revision = Revision(sequence=row.sequence + 1, created=row.first_published_at, last_modified=now, cancelled=True)
            updates.append({"id": row.id, "sequence": revision.sequence, "last_modified": now, "cancelled_at": now, "vevent": vevent_text(event, revision)})
            report.cancelled.append(row.uid)
    if inserts:
        session.execute(insert(PublishedEvent), inserts)
    if updates:
        session.execute(update(PublishedEvent), updates)
    for chunk in _chunks(to_delete, 500):
        session.execute(delete(PublishedEvent).where(PublishedEvent.id.in_(chunk)))
    _refresh_calendar(session, calendar, source.marker, now, grace, changed=report.changed or bool(to_delete))
    return calendar, report


def _event_values(calendar_id: int, event: CalendarEvent, content: dict[str, object], fingerprint: str, revision: Revision) -> dict[str, object]:
    return {
        "calendar_id": calendar_id, "uid": event.uid, "sequence": revision.sequence, "fingerprint": fingerprint,
        "zone": event.zone, "local_day": event.local_day, "start_at": event.start, "end_at": event.end,
        "first_published_at": revision.created, "last_modified": revision.last_modified,
        "content": content, "vevent": vevent_text(event, revision),
    }


def _chunks(values: list[int], size: int) -> Iterable[list[int]]:
    for index in range(0, len(values), size):
        yield values[index:index + size]


def _refresh_calendar(session: Session, calendar: PublishedCalendar, marker: str, now: datetime, grace: timedelta, *, changed: bool) -> None:
    live = (PublishedEvent.calendar_id == calendar.id, PublishedEvent.expired_at.is_(None))
    digest = hashlib.sha256()
    for event_uid, sequence, cancelled in session.execute(
        select(PublishedEvent.uid, PublishedEvent.sequence, PublishedEvent.cancelled_at.is_not(None)).where(*live).order_by(PublishedEvent.uid)
    ):
        digest.update(f"{event_uid}\x1f{sequence}\x1f{int(bool(cancelled))}\x1e".encode())
    zones = session.execute(
        select(PublishedEvent.zone, func.min(PublishedEvent.start_at), func.max(PublishedEvent.end_at)).where(*live).group_by(PublishedEvent.zone)
    ).all()
    first_cancel, first_end = session.execute(
        select(func.min(PublishedEvent.cancelled_at), func.min(PublishedEvent.end_at)).where(*live)
    ).one()
    calendar.source_marker = marker
    calendar.events_hash = digest.hexdigest()
    calendar.zones = sorted(zone for zone, _, _ in zones)
    calendar.first_year = min((start.year for _, start, _ in zones), default=None)
    calendar.last_year = max((end.year for _, _, end in zones), default=None)
    candidates = [moment for moment in (first_cancel and first_cancel + grace, first_end and first_end + timedelta(days=HISTORY_DAYS)) if moment]
    calendar.next_change_at = min(candidates) if candidates else None
    if changed:
        calendar.last_modified = now
    calendar.synced_at = now
    session.flush()


def rendered(session: Session, calendar: PublishedCalendar, meta: CalendarMeta) -> bytes:
    """The calendar's live events, oldest first, inside its envelope (VTIMEZONE per zone used)."""
    full = _with_zones(meta, calendar)
    vevents = session.scalars(
        select(PublishedEvent.vevent).where(PublishedEvent.calendar_id == calendar.id, PublishedEvent.expired_at.is_(None)).order_by(PublishedEvent.start_at, PublishedEvent.uid)
    )
    return calendar_bytes(full, vevents)


def _with_zones(meta: CalendarMeta, calendar: PublishedCalendar) -> CalendarMeta:
    return CalendarMeta(
        name=meta.name, description=meta.description, refresh_minutes=meta.refresh_minutes, source_url=meta.source_url,
        color=meta.color, zones=tuple(calendar.zones or ()), first_year=calendar.first_year, last_year=calendar.last_year,
    )


def etag(calendar: PublishedCalendar, meta: CalendarMeta) -> str:
    return hashlib.sha256(f"{calendar.events_hash}:{_with_zones(meta, calendar).fingerprint()}".encode()).hexdigest()[:40]


# -- subscriptions -----------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def subscription_selection(session: Session, subscription: FeedSubscription) -> Selection:
    def code(model: type, row_id: int | None) -> str | None:
        if row_id is None:
            return None
        row = session.get(model, row_id)
        return row.code if row is not None else None  # type: ignore[attr-defined]

    return Selection.of(
        subscription.calendars, staff_names=subscription.staff_names,
        side=code(Side, subscription.side_id), agency=code(Agency, subscription.agency_id), office=code(Office, subscription.office_id),
        officer=code(Officer, subscription.officer_id), bay=code(Resource, subscription.resource_id),
    )


def create_subscription(session: Session, post: BorderPost, selection: Selection, label: str, user: User | None) -> tuple[FeedSubscription, str]:
    """A new feed for ``selection``; returns it with its token, which is never stored or shown again."""
    scope = resolve(session, post, selection)
    label = label.strip()
    if not label:
        raise InvalidInput([InputProblem("label", "is empty", "name the subscription after who uses it, e.g. 'TR customs duty desk'")])
    token = secrets.token_urlsafe(32)
    subscription = FeedSubscription(
        post_id=post.id, token_hash=token_hash(token), token_hint=token[:6], label=label[:200],
        calendars=[kind.value for kind in selection.kinds], staff_names=selection.staff_names, side_id=scope.side_id, agency_id=scope.agency_id,
        office_id=scope.office_id, officer_id=scope.officer_id, resource_id=scope.resource_id,
        created_by_id=user.id if user else None,
    )
    session.add(subscription)
    session.flush()
    audit.record(session, user, "feed.create", "feed_subscription", subscription.id, post_id=post.id, label=subscription.label, selection=selection.key())
    return subscription, token


def revoke_subscription(session: Session, subscription: FeedSubscription, user: User | None, now: datetime) -> None:
    if subscription.revoked_at is None:
        subscription.revoked_at = now
        audit.record(session, user, "feed.revoke", "feed_subscription", subscription.id, post_id=subscription.post_id, label=subscription.label)


def subscriptions(session: Session, post: BorderPost) -> list[FeedSubscription]:
    return list(session.scalars(select(FeedSubscription).where(FeedSubscription.post_id == post.id).order_by(FeedSubscription.revoked_at.is_not(None), FeedSubscription.created_at.desc(), FeedSubscription.id.desc())))


def subscription_of_post(session: Session, post: BorderPost, subscription_id: int) -> FeedSubscription:
    subscription = session.get(FeedSubscription, subscription_id)
    if subscription is None or subscription.post_id != post.id:
        raise NotFound(f"post {post.code} has no feed subscription {subscription_id}")
    return subscription


def active_subscription(session: Session, token: str) -> FeedSubscription | None:
    """The subscription ``token`` opens, or None when unknown or revoked (both answer 404)."""
    if not token or len(token) > 100:
        return None
    subscription = session.scalar(select(FeedSubscription).where(FeedSubscription.token_hash == token_hash(token)))
    if subscription is None or subscription.revoked_at is not None:
        return None
    return subscription


def feed_url(settings: FeedSettings, token: str) -> str:
    return f"{settings.base_url}/feeds/{token}.ics"


@dataclass(frozen=True, slots=True)
class FeedState:
    """A subscription's calendar, in sync, with what HTTP caching needs."""

    calendar: PublishedCalendar
    meta: CalendarMeta
    etag: str
    last_modified: datetime
    synced: SyncReport | None


def feed_state(session: Session, subscription: FeedSubscription, token: str, settings: FeedSettings, now: datetime) -> FeedState:
    """Sync the subscription's calendar if its source or the clock changed it; cheap otherwise."""
    post = session.get(BorderPost, subscription.post_id)
    assert post is not None
    selection = subscription_selection(session, subscription)
    calendar, report = up_to_date(session, post, selection, settings, now)
    if subscription.last_fetched_at is None or now - subscription.last_fetched_at > timedelta(hours=1):
        subscription.last_fetched_at = now
    meta = calendar_meta(post, selection, settings, source_url=feed_url(settings, token))
    return FeedState(calendar, meta, etag(calendar, meta), calendar.last_modified, report)


def up_to_date(session: Session, post: BorderPost, selection: Selection, settings: FeedSettings, now: datetime) -> tuple[PublishedCalendar, SyncReport | None]:
    """The selection's published calendar, synced first if its source or the clock changed it."""
    key = selection.key()
    calendar = calendar_row(session, post.id, key)
    if calendar is not None and not needs_sync(calendar, source_marker(session, post.id, selection.kinds), now):
        return calendar, None
    return sync(session, post.id, key, current_source(session, post, selection), now, timedelta(days=settings.cancelled_grace_days))


def feed_body(session: Session, state: FeedState) -> bytes:
    return rendered(session, state.calendar, state.meta)


REFRESH_JOB = "calendar_refresh"


def enqueue_refresh(session: Session, post: BorderPost, settings: FeedSettings, user: User | None) -> None:
    """After a publication: bring every subscribed calendar of ``post`` up to date in a
    worker, so that the next fetch of a feed is a render, not a sync of the whole plan."""
    jobs.enqueue(session, REFRESH_JOB, {"post": post.code, **settings.as_params()}, post_id=post.id, user=user)


@jobs.handler(REFRESH_JOB)
def run_refresh_job(context: jobs.JobContext) -> dict[str, Any]:
    settings = FeedSettings.from_params(context.params)
    with context.sessions() as session:
        post = session.scalar(select(BorderPost).where(BorderPost.code == context.params["post"]))
        if post is None:
            raise NotFound(f"no post {context.params['post']!r}")
        reports = refresh_post_calendars(session, post, settings, datetime.now(UTC))
        session.commit()
    return {"calendars": len(reports)}


def refresh_post_calendars(session: Session, post: BorderPost, settings: FeedSettings, now: datetime) -> dict[str, SyncReport]:
    """Sync every subscribed calendar of ``post`` (call after publishing, so feeds answer fast)."""
    reports: dict[str, SyncReport] = {}
    for subscription in session.scalars(select(FeedSubscription).where(FeedSubscription.post_id == post.id, FeedSubscription.revoked_at.is_(None))):
        selection = subscription_selection(session, subscription)
        if selection.key() in reports:
            continue
        _, report = up_to_date(session, post, selection, settings, now)
        reports[selection.key()] = report or SyncReport()
    return reports
