"""What the CP-SAT model needs per request, computed once with the interval sweep.

For every mode a request may be inspected in (joint; exit side first; entry side first where
reversal is allowed) and every part of it: the window its start may fall in, the officers
and bays that could serve it with their own start sets, each agency's in-hours start set and
notice deadline.

With ``tighten`` (the default for real solves) the start window of each part is narrowed to
the starts that every rule allows *on their own*, given the bookings already made, and the
candidate officers and bays to those that could serve there; a mode no part of which can be
placed is dropped. This removes nothing a plan could use (every rule stays in the model as
well), but it shrinks the model by an order of magnitude and hands CP-SAT much tighter bounds.
Without it, the model's domains carry only arrival and horizon, so each rule's module can be
tested on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from . import timeline
from .names import Mode
from .problem import InspectionProblem, InspectionRequest, Office, PriorityClass
from .queue import notice_deadline_minutes
from .slots import Occupancy, SlotFinder
from .timeline import Span, Spans


@dataclass(frozen=True, slots=True)
class Pool:
    """Officers, or bays, the model need not tell apart: same office, skills and
    accreditation (or same facility, capabilities and capacity), same hours and same bookings.

    The model books the pool, at most ``capacity`` inspections at once; which member takes
    which is decided after the solve. Members of a pool of several have a capacity of one and
    identical free time, so taking the inspections by start time and giving each to a member
    already free always succeeds. Crews of identical officers and rows of identical bays
    otherwise make CP-SAT explore every permutation of them. ``busy`` lists the bookings
    already made, each with the units it takes from the pool.
    """

    pool_id: str
    members: tuple[str, ...]
    capacity: int
    busy: tuple[tuple[Span, int], ...]


@dataclass(frozen=True, slots=True)
class PreparedPart:
    agencies: tuple[str, ...]
    duration: int
    low: int
    high_start: int
    starts: Spans
    officer_starts: Mapping[str, Mapping[str, Spans]]  # agency -> officer pool -> start set
    bay_starts: Mapping[str, Spans]  # bay pool -> start set
    hours: Mapping[str, Spans]
    out_of_hours: frozenset[str]
    notice: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class PreparedMode:
    mode: Mode
    parts: tuple[PreparedPart, ...]


@dataclass(frozen=True, slots=True)
class PreparedRequest:
    request: InspectionRequest
    priority: PriorityClass
    arrival: int
    max_wait: int
    modes: tuple[PreparedMode, ...]


@dataclass(frozen=True, slots=True)
class PreparedBatch:
    requests: tuple[PreparedRequest, ...]
    officer_pools: Mapping[str, Pool]
    bay_pools: Mapping[str, Pool]
    officer_pool_of: Mapping[str, str]  # officer id -> pool id
    bay_pool_of: Mapping[str, str]  # bay id -> pool id


def _member_index(pools: Mapping[str, Pool]) -> dict[str, str]:
    return {member: pool.pool_id for pool in pools.values() for member in pool.members}


def prepare(problem: InspectionProblem, *, tighten: bool = True) -> PreparedBatch:
    site = problem.site
    finder = SlotFinder(site, Occupancy(problem.bookings))
    officer_pools, bay_pools = _pools(problem, finder)
    officer_pool_of, bay_pool_of = _member_index(officer_pools), _member_index(bay_pools)
    requests = tuple(
        _Preparer(problem, finder, request, tighten, officer_pool_of, bay_pool_of).prepared()
        for request in problem.requests
    )
    return PreparedBatch(
        requests=requests,
        officer_pools=officer_pools,
        bay_pools=bay_pools,
        officer_pool_of=officer_pool_of,
        bay_pool_of=bay_pool_of,
    )


def _pools(
    problem: InspectionProblem, finder: SlotFinder
) -> tuple[dict[str, Pool], dict[str, Pool]]:
    low, high = problem.horizon
    officers: dict[tuple[object, ...], tuple[list[str], tuple[Span, ...], int]] = {}
    for officer in problem.site.officers:
        busy = timeline.normalize(finder.occupancy.officer_busy(officer.officer_id, low, high))
        duty = timeline.clip(officer.duty_spans, low, high)
        key = (officer.office_id, officer.skills, officer.cross_border, duty, busy)
        officers.setdefault(key, ([], busy, 1))[0].append(officer.officer_id)
    bays: dict[tuple[object, ...], tuple[list[str], tuple[Span, ...], int]] = {}
    for bay in problem.site.bays:
        booked = tuple(sorted(finder.occupancy.bay_bookings(bay.bay_id, low, high)))
        # Members of a shared pool hold one truck each; a bay with more room stays on its own.
        alone = bay.bay_id if bay.capacity > 1 else ""
        key = (
            bay.host_side,
            bay.capabilities,
            timeline.clip(bay.open_spans, low, high),
            booked,
            alone,
        )
        bays.setdefault(key, ([], booked, bay.capacity))[0].append(bay.bay_id)
    return _as_pools(officers.values()), _as_pools(bays.values())


def _as_pools(groups: Iterable[tuple[list[str], tuple[Span, ...], int]]) -> dict[str, Pool]:
    pools = {}
    for members, unit_busy, capacity_each in groups:
        members = sorted(members)
        pool_id = members[0] if len(members) == 1 else f"{members[0]} (+{len(members) - 1})"
        # Members share their bookings: each booked stretch takes one unit of every member.
        pools[pool_id] = Pool(
            pool_id=pool_id,
            members=tuple(members),
            capacity=len(members) * capacity_each,
            busy=tuple((span, len(members)) for span in unit_busy),
        )
    return pools


class _Preparer:
    def __init__(
        self,
        problem: InspectionProblem,
        finder: SlotFinder,
        request: InspectionRequest,
        tighten: bool,
        officer_pool_of: Mapping[str, str],
        bay_pool_of: Mapping[str, str],
    ) -> None:
        self.officer_pool_of = officer_pool_of
        self.bay_pool_of = bay_pool_of
        self.problem = problem
        self.site = problem.site
        self.rules = problem.site.rules
        self.finder = finder
        self.request = request
        self.tighten = tighten
        self.duration = request.duration_minutes
        self.arrival = request.arrival_minute
        self.max_wait = self.site.max_wait_minutes(request)
        self.notice = notice_deadline_minutes(problem, request)
        self.horizon_low, self.horizon_high = problem.horizon

    def prepared(self) -> PreparedRequest:
        modes = [self._mode("joint", (self.request.agencies,))]
        exit_agencies = self.site.agencies_on(self.request, self.request.exit_side)
        entry_agencies = self.site.agencies_on(self.request, self.request.entry_side)
        if exit_agencies and entry_agencies and self.rules.allow_sequential:
            modes.append(self._mode("exit_first", (exit_agencies, entry_agencies)))
            if self.request.reversal_allowed:
                modes.append(self._mode("entry_first", (entry_agencies, exit_agencies)))
        return PreparedRequest(
            request=self.request,
            priority=self.site.priority(self.request.priority_class),
            arrival=self.arrival,
            max_wait=self.max_wait,
            modes=tuple(mode for mode in modes if mode is not None),
        )

    def _mode(self, mode: Mode, groups: tuple[tuple[str, ...], ...]) -> PreparedMode | None:
        count = len(groups)
        low = max(self.arrival, self.horizon_low)
        parts = []
        for index, agencies in enumerate(groups):
            # Later parts must leave room for the ones after them before the horizon ends,
            # and the waiting before each part is bounded by the maximum wait when it is hard.
            high_start = self.horizon_high - (count - index) * self.duration
            if self.rules.max_wait.hard and self.tighten:
                high_start = min(high_start, self.arrival + self.max_wait + index * self.duration)
            part = self._part(agencies, low, high_start)
            if part is None:
                return None
            parts.append(part)
            low = part.starts[0][0] + self.duration if part.starts else low + self.duration
        return PreparedMode(mode=mode, parts=tuple(parts))

    def _part(self, agencies: tuple[str, ...], low: int, high_start: int) -> PreparedPart | None:
        request = self.request
        out_of_hours = self.finder.out_of_hours_agencies(request, agencies)
        high = high_start + self.duration
        window = ((low, high_start + 1),) if low <= high_start else ()
        hours = {
            agency: timeline.starts_within(
                timeline.clip(self._office(agency).open_spans, low, high), self.duration
            )
            for agency in agencies
        }
        if self.tighten:
            hard_notice = {a: self.notice[a] for a in agencies} if self.rules.notice.hard else {}
            search = self.finder.search(
                request,
                agencies,
                low=low,
                high_start=high_start,
                notice=hard_notice,
                out_of_hours=out_of_hours,
            )
            starts = search.feasible
            if not starts:
                return None
            officer_starts = {
                agency: self._narrowed(
                    {
                        self.officer_pool_of[o.officer_id]: self.finder.officer_free(o, low, high)
                        for o in self.site.qualified_officers(request, agency)
                    },
                    starts,
                )
                for agency in agencies
            }
            bay_starts = self._narrowed(
                {
                    self.bay_pool_of[b.bay_id]: self.finder.bay_free(b, low, high)
                    for b in self.site.capable_bays(request)
                },
                starts,
            )
        else:
            starts = timeline.on_grid(window, self.rules.start_grid_minutes)
            officer_starts = {
                agency: self._narrowed(
                    {
                        self.officer_pool_of[o.officer_id]: timeline.clip(o.duty_spans, low, high)
                        for o in self.site.qualified_officers(request, agency)
                    },
                    starts,
                )
                for agency in agencies
            }
            bay_starts = self._narrowed(
                {
                    self.bay_pool_of[b.bay_id]: timeline.clip(b.open_spans, low, high)
                    for b in self.site.capable_bays(request)
                },
                starts,
            )
        return PreparedPart(
            agencies=agencies,
            duration=self.duration,
            low=low,
            high_start=high_start,
            starts=starts,
            officer_starts=officer_starts,
            bay_starts=bay_starts,
            hours=hours,
            out_of_hours=out_of_hours,
            notice={agency: self.notice[agency] for agency in agencies},
        )

    def _office(self, agency: str) -> Office:
        office = self.site.office_for(agency, self.request.facility)
        assert office is not None, "requests are validated against the site first"
        return office

    def _narrowed(self, free_by_id: Mapping[str, Spans], starts: Spans) -> dict[str, Spans]:
        """Each candidate's start set within ``starts``; candidates that cannot start there go."""
        narrowed = {}
        for key, free in free_by_id.items():
            own = timeline.intersect(timeline.starts_within(free, self.duration), starts)
            if own:
                narrowed[key] = own
        return narrowed
