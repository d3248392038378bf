"""The interval sweep behind offers, greedy plans and the model's prepared domains.

A slot of ``d`` minutes for a set of agencies can start at minute ``s`` when, for every
agency, some qualified officer is free throughout ``[s, s + d)`` and the office is open (or
the agency serves out of hours on request), some capable bay is open and has a free unit, and
every notice period has run out. Each of these is a *component*: a start set (sorted spans of
allowed start minutes). The slots are their intersection. Keeping the components apart is
what lets offers explain which one blocks and what relaxing it would open.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from . import timeline
from .problem import (
    Attendance,
    Bay,
    ExistingBooking,
    InspectionRequest,
    Officer,
    OutOfHoursCharge,
    PlannedPart,
    PostSite,
)
from .timeline import Span, Spans

ComponentKind = Literal["window", "notice", "officers", "hours", "bay"]

_Held = TypeVar("_Held", Officer, Bay)

# How far around a slot best fit looks: a day either side tells a tight fit from a loose one.
_AROUND = 1440


class Occupancy:
    """Busy minutes of every officer and bay, sorted by start; planners book into it."""

    def __init__(self, bookings: Iterable[ExistingBooking] = ()) -> None:
        self._officers: dict[str, list[Span]] = defaultdict(list)
        self._bays: dict[str, list[Span]] = defaultdict(list)
        self._longest = 0
        for booking in bookings:
            span = booking.span
            self._longest = max(self._longest, span[1] - span[0])
            for officer_id in booking.officer_ids:
                self._officers[officer_id].append(span)
            if booking.bay_id is not None:
                self._bays[booking.bay_id].append(span)
        for spans in (*self._officers.values(), *self._bays.values()):
            spans.sort()

    def book(self, part: PlannedPart) -> None:
        span = (timeline.minute_floor(part.start), timeline.minute_ceil(part.end))
        self._longest = max(self._longest, span[1] - span[0])
        for attendance in part.officers:
            insort(self._officers[attendance.officer_id], span)
        insort(self._bays[part.bay_id], span)

    def _overlapping(self, spans: list[Span], low: int, high: int) -> list[Span]:
        first = bisect_left(spans, (low - self._longest,))
        found = []
        for span in spans[first:]:
            if span[0] >= high:
                break
            if span[1] > low:
                found.append(span)
        return found

    def officer_busy(self, officer_id: str, low: int, high: int) -> list[Span]:
        return self._overlapping(self._officers.get(officer_id, []), low, high)

    def bay_bookings(self, bay_id: str, low: int, high: int) -> list[Span]:
        """Each booking of the bay overlapping ``[low, high)``, one span per truck."""
        return self._overlapping(self._bays.get(bay_id, []), low, high)

    def bay_full(self, bay: Bay, low: int, high: int) -> Spans:
        """Minutes in ``[low, high)`` when every unit of ``bay`` is taken."""
        spans = self._overlapping(self._bays.get(bay.bay_id, []), low, high)
        if len(spans) < bay.capacity:
            return ()
        events = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
        full: list[Span] = []
        in_use = 0
        full_since = 0
        for minute, change in events:
            before = in_use
            in_use += change
            if before < bay.capacity <= in_use:
                full_since = minute
            elif in_use < bay.capacity <= before:
                full.append((full_since, minute))
        return timeline.normalize(full)


@dataclass(frozen=True, slots=True)
class Component:
    """One condition a slot must meet, as the start minutes that meet it."""

    kind: ComponentKind
    agency: str | None
    starts: Spans


@dataclass(frozen=True, slots=True)
class PartSearch:
    """Where a part of ``duration`` minutes for ``agencies`` may start, and why not elsewhere.

    ``feasible`` honours every hard component and the booking grid. ``hours`` holds each
    agency's in-hours start set; for agencies listed in ``out_of_hours`` it is not a hard
    component (a start outside it is served out of hours, at a fee).
    """

    agencies: tuple[str, ...]
    duration: int
    components: tuple[Component, ...]
    hours: Mapping[str, Spans]
    out_of_hours: frozenset[str]
    feasible: Spans


class SlotFinder:
    """Start sets for parts of an inspection, against a site and what is already booked."""

    def __init__(self, site: PostSite, occupancy: Occupancy) -> None:
        self.site = site
        self.occupancy = occupancy

    def officer_free(self, officer: Officer, low: int, high: int) -> Spans:
        on_duty = timeline.clip(officer.duty_spans, low, high)
        if not on_duty:
            return ()
        return timeline.subtract(
            on_duty, self.occupancy.officer_busy(officer.officer_id, low, high)
        )

    def bay_free(self, bay: Bay, low: int, high: int) -> Spans:
        open_spans = timeline.clip(bay.open_spans, low, high)
        if not open_spans:
            return ()
        return timeline.subtract(open_spans, self.occupancy.bay_full(bay, low, high))

    def search(
        self,
        request: InspectionRequest,
        agencies: Sequence[str],
        *,
        low: int,
        high_start: int,
        notice: Mapping[str, int],
        out_of_hours: frozenset[str] = frozenset(),
    ) -> PartSearch:
        """Start sets of a part starting in ``[low, high_start]`` for ``agencies``."""
        duration = request.duration_minutes
        high = high_start + duration
        components = [
            Component("window", None, ((low, high_start + 1),) if low <= high_start else ())
        ]
        hours: dict[str, Spans] = {}
        for agency in agencies:
            if agency in notice:
                components.append(Component("notice", agency, ((notice[agency], high),)))
            officer_starts = timeline.union(
                timeline.starts_within(self.officer_free(officer, low, high), duration)
                for officer in self.site.qualified_officers(request, agency)
            )
            components.append(Component("officers", agency, officer_starts))
            office = self.site.office_for(agency, request.facility)
            assert office is not None, "requests are validated against the site first"
            hours[agency] = timeline.starts_within(
                timeline.clip(office.open_spans, low, high), duration
            )
            if agency not in out_of_hours:
                components.append(Component("hours", agency, hours[agency]))
        components.append(
            Component(
                "bay",
                None,
                timeline.union(
                    timeline.starts_within(self.bay_free(bay, low, high), duration)
                    for bay in self.site.capable_bays(request)
                ),
            )
        )
        feasible = timeline.on_grid(
            timeline.intersect_all([c.starts for c in components]),
            self.site.rules.start_grid_minutes,
        )
        return PartSearch(
            agencies=tuple(agencies),
            duration=duration,
            components=tuple(components),
            hours=hours,
            out_of_hours=out_of_hours,
            feasible=feasible,
        )

    def out_of_hours_agencies(
        self, request: InspectionRequest, agencies: Iterable[str]
    ) -> frozenset[str]:
        return frozenset(a for a in agencies if self.site.out_of_hours_allowed(request, a))

    def place(self, request: InspectionRequest, search: PartSearch, start: int) -> PlannedPart:
        """The part at ``start`` (a feasible start), with the tightest-fitting officers and bay.

        Best fit keeps long free stretches whole for the consignments that come next.
        """
        end = start + search.duration
        attendances = []
        for agency in search.agencies:
            officer = self._best_fit(
                (
                    (o, self.officer_free(o, start - _AROUND, end + _AROUND))
                    for o in self.site.qualified_officers(request, agency)
                ),
                start,
                end,
                key=lambda o: o.officer_id,
            )
            attendances.append(Attendance(agency=agency, officer_id=officer.officer_id))
        bay = self._best_fit(
            (
                (b, self.bay_free(b, start - _AROUND, end + _AROUND))
                for b in self.site.capable_bays(request)
            ),
            start,
            end,
            key=lambda b: b.bay_id,
        )
        charges = tuple(
            OutOfHoursCharge(
                agency=agency,
                fee=self.site.agency(agency).out_of_hours_fee(search.duration),
                currency=self.site.agency(agency).currency,
            )
            for agency in search.agencies
            if not timeline.contains(search.hours[agency], start)
        )
        return PlannedPart(
            agencies=search.agencies,
            start=timeline.instant(start),
            end=timeline.instant(end),
            bay_id=bay.bay_id,
            officers=tuple(attendances),
            out_of_hours=charges,
        )

    @staticmethod
    def _best_fit(
        candidates: Iterable[tuple[_Held, Spans]], start: int, end: int, key: Callable[[_Held], str]
    ) -> _Held:
        best = None
        for item, free in candidates:
            around = timeline.containing(free, start, end)
            if around is None:
                continue
            rank = (around[1] - around[0], key(item))
            if best is None or rank < best[0]:
                best = (rank, item)
        if best is None:
            raise ValueError(
                f"no officer or bay is free for [{start}, {end}): not a feasible start"
            )
        return best[1]

    def fee_at(self, search: PartSearch, start: int) -> int:
        return sum(
            self.site.agency(agency).out_of_hours_fee(search.duration)
            for agency in search.agencies
            if not timeline.contains(search.hours[agency], start)
        )
