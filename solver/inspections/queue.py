"""The post's priority queue: whose turn it is, under priority classes and cyclic quotas.

An e-queue such as Ukraine's eCherha serves its classes in a repeating cycle: one priority
AEO truck, one priority truck, one AEO truck, then five regular ones (1:1:1:5), skipping a
class whose queue is empty. Applied to a whole week at once, a cycle would let Sunday's
perishables jump ahead of Monday's regular trucks, so the cycle runs within each *queue
window* of ready times (an hour by default): consignments ready in the same window are
interleaved by the cycle, windows follow each other in time. Within a class, first ready,
first served.

A consignment is *ready* once it has arrived and every selecting agency's notice period has
run out.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import timeline
from .problem import InspectionProblem, InspectionRequest, PriorityClass


@dataclass(frozen=True, slots=True)
class QueueEntry:
    reference: str
    priority_class: str
    ready_minute: int


def cycle_of(classes: Iterable[PriorityClass]) -> tuple[str, ...]:
    """The allocation cycle: classes by rank, each repeated by its quota."""
    return tuple(
        cls.code
        for cls in sorted(classes, key=lambda c: (c.rank, c.code))
        for _ in range(cls.quota)
    )


def queue_order(
    entries: Sequence[QueueEntry], classes: Iterable[PriorityClass], window_minutes: int
) -> tuple[str, ...]:
    """References in the order the queue calls them."""
    cycle = cycle_of(classes)
    windows: dict[int, list[QueueEntry]] = {}
    for entry in entries:
        windows.setdefault(entry.ready_minute // window_minutes, []).append(entry)
    order: list[str] = []
    for window in sorted(windows):
        streams: dict[str, deque[QueueEntry]] = {code: deque() for code in cycle}
        for entry in sorted(windows[window], key=lambda e: (e.ready_minute, e.reference)):
            streams[entry.priority_class].append(entry)
        remaining = len(windows[window])
        while remaining:
            for code in cycle:
                if streams[code]:
                    order.append(streams[code].popleft().reference)
                    remaining -= 1
    return tuple(order)


def notice_deadline_minutes(
    problem: InspectionProblem, request: InspectionRequest
) -> dict[str, int]:
    deadlines = problem.notice_deadlines[request.reference]
    return {agency: timeline.minute_ceil(deadline) for agency, deadline in deadlines.items()}


def ready_minute(problem: InspectionProblem, request: InspectionRequest) -> int:
    """When the consignment can first be inspected jointly: arrived, and every notice run out."""
    return max(request.arrival_minute, *notice_deadline_minutes(problem, request).values())


def planning_order(problem: InspectionProblem) -> tuple[InspectionRequest, ...]:
    """Requests in the order the post's priority queue calls them."""
    by_reference = {request.reference: request for request in problem.requests}
    entries = [
        QueueEntry(r.reference, r.priority_class, ready_minute(problem, r))
        for r in problem.requests
    ]
    order = queue_order(
        entries, problem.site.priority_classes, problem.site.rules.queue_window_minutes
    )
    return tuple(by_reference[reference] for reference in order)


def competition_group(request: InspectionRequest) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """Consignments that need the same agencies and equipment at the same facility compete for
    the same officers and bays; the queue order is kept among them."""
    return (request.facility, request.agencies, tuple(sorted(request.required_capabilities)))


def overtaking_pairs(problem: InspectionProblem) -> tuple[tuple[str, str], ...]:
    """(earlier, next) turns of the same competition group that the plan should not invert.

    A pair counts only when the earlier turn was ready no later than the next one: a
    consignment whose notice has not run out may be passed by one that is ready.
    """
    ready = {request.reference: ready_minute(problem, request) for request in problem.requests}
    groups: dict[tuple[str, tuple[str, ...], tuple[str, ...]], list[str]] = {}
    for request in planning_order(problem):
        groups.setdefault(competition_group(request), []).append(request.reference)
    pairs = []
    for turns in groups.values():
        for earlier, later in zip(turns, turns[1:], strict=False):
            if ready[earlier] <= ready[later]:
                pairs.append((earlier, later))
    return tuple(pairs)
