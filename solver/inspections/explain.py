"""Why a joint slot cannot be had, in users' words.

The slot search keeps each condition as its own start set (see ``slots``). When their
intersection is empty, the explanation looks for the smallest set of conditions that cannot
meet: one condition that is never met before the maximum wait runs out ("no qualified BG-VET
officer is on duty"), else two that never meet each other ("BG-VET is open only in the
morning, the cold bay only in the afternoon"), else all of them with the times each allows.
Times are shown on the clock of the side concerned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

from solver.rules import Violation
from solver.timeutil import utc_to_local

from . import names, timeline
from .problem import ExistingBooking, InspectionRequest, PostSite
from .slots import Component, PartSearch
from .timeline import Spans

_RULE_OF = {
    "window": names.MAX_WAIT,
    "notice": names.NOTICE,
    "officers": names.JOINT_SLOT,
    "hours": names.OFFICE_HOURS,
    "bay": names.JOINT_SLOT,
}
_SHOWN_SPANS = 3


def local_time(minute: int, zone: str) -> str:
    wall = utc_to_local(timeline.instant(minute), zone)
    return f"{wall:%a %d %b %H:%M}"


def local_spans(spans: Spans, zone: str) -> str:
    shown = [
        f"{local_time(start, zone)}–{local_time(end - 1, zone)[-5:]}"
        for start, end in spans[:_SHOWN_SPANS]
    ]
    more = len(spans) - _SHOWN_SPANS
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


class Explainer:
    """Turns the components of a failed slot search into ``Violation``s naming who blocks."""

    def __init__(self, site: PostSite, request: InspectionRequest) -> None:
        self.site = site
        self.request = request
        self.facility_zone = site.side(request.facility).zone

    def zone_of(self, component: Component) -> str:
        if component.agency is None:
            return self.facility_zone
        return self.site.side(self.site.agency(component.agency).side).zone

    def subject(self, component: Component) -> str:
        if component.kind == "bay":
            needs = ", ".join(sorted(self.request.required_capabilities)) or "no special equipment"
            return f"bays ({needs})"
        if component.kind == "window":
            return self.request.reference
        assert component.agency is not None
        return component.agency

    def blockers(self, search: PartSearch) -> tuple[Violation, ...]:
        grid = self.site.rules.start_grid_minutes
        window = next(c for c in search.components if c.kind == "window")
        if not window.starts:
            return (self._alone(window, search),)
        others = [c for c in search.components if c.kind != "window"]

        def meets(group: tuple[Component, ...]) -> bool:
            sets = [window.starts, *(c.starts for c in group)]
            return bool(timeline.on_grid(timeline.intersect_all(sets), grid))

        alone = [c for c in others if not meets((c,))]
        if alone:
            return tuple(self._alone(c, search) for c in alone)
        for size in range(2, len(others) + 1):
            clashes = [group for group in combinations(others, size) if not meets(group)]
            if clashes:
                return tuple(self._clash(group, window, search) for group in clashes[:3])
        return ()

    def _alone(self, component: Component, search: PartSearch) -> Violation:
        window = next(c for c in search.components if c.kind == "window")
        minutes = search.duration
        if component.kind == "window":
            message = (
                f"{self.request.reference} cannot be inspected before its maximum wait of "
                f"{self.site.max_wait_minutes(self.request)} min runs out"
            )
        else:
            zone = self.zone_of(component)
            low, high = window.starts[0][0], window.starts[-1][1] - 1
            between = f"between {local_time(low, zone)} and {local_time(high, zone)}"
            message = self._alone_message(component, minutes, between, zone)
        return Violation(
            rule=_RULE_OF[component.kind], subject=self.subject(component), message=message
        )

    def _alone_message(self, component: Component, minutes: int, between: str, zone: str) -> str:
        agency = component.agency
        if component.kind == "notice":
            assert agency is not None
            rule = self.site.agency(agency).notice.describe(
                category=self.request.cargo_category, derogation=self.request.notice_derogation
            )
            start = component.starts[0][0]
            return (
                f"{agency} needs {rule} notice: notified at "
                f"{local_time(timeline.minute_floor(self.request.notified_at), zone)}, "
                "it can inspect "
                f"from {local_time(start, zone)}, not {between}"
            )
        if component.kind == "officers":
            skill = self.request.selection(agency).skill if agency else None
            qualified = f" with skill {skill}" if skill else ""
            return f"no {agency} officer{qualified} is on duty and free for {minutes} min {between}"
        if component.kind == "hours":
            return f"the {agency} office is not open for a {minutes}-min inspection {between}"
        return f"no {self.subject(component)} is open with a free unit for {minutes} min {between}"

    def _clash(
        self, group: tuple[Component, ...], window: Component, search: PartSearch
    ) -> Violation:
        described = []
        for component in group:
            allowed = timeline.intersect(component.starts, window.starts)
            label = f"{_LABEL[component.kind]} {self.subject(component)}"
            described.append(f"{label}: {local_spans(allowed, self.zone_of(component))}")
        return Violation(
            rule=_RULE_OF[group[0].kind],
            # Officers and hours of one agency can clash too: name the agency once.
            subject=" + ".join(dict.fromkeys(self.subject(c) for c in group)),
            message=(
                f"no {search.duration}-min slot suits all of: "
                + "; ".join(described)
                + " (possible start times, on the local clock of each)"
            ),
        )


_LABEL = {
    "notice": "the notice period of",
    "officers": "free officers of",
    "hours": "the office hours of",
    "bay": "free",
}


def booking_conflicts(site: PostSite, bookings: Iterable[ExistingBooking]) -> tuple[Violation, ...]:
    """Bookings already made that double-book an officer or overfill a bay: a plan around
    them cannot exist until someone resolves them."""
    by_officer: dict[str, list[ExistingBooking]] = defaultdict(list)
    by_bay: dict[str, list[ExistingBooking]] = defaultdict(list)
    for booking in bookings:
        for officer_id in booking.officer_ids:
            by_officer[officer_id].append(booking)
        if booking.bay_id is not None:
            by_bay[booking.bay_id].append(booking)
    found = []
    for subject, held, capacity in [
        *((officer, held, 1) for officer, held in by_officer.items()),
        *(
            (bay, held, site.bay(bay).capacity if site.has_bay(bay) else 1)
            for bay, held in by_bay.items()
        ),
    ]:
        clash = _overfilled(held, capacity)
        if clash:
            found.append(
                Violation(
                    rule=names.NO_DOUBLE_BOOKING,
                    subject=subject,
                    message=(
                        f"{subject} is booked by {', '.join(b.reference for b in clash)} "
                        "at the same time"
                    ),
                )
            )
    return tuple(found)


def _overfilled(bookings: list[ExistingBooking], capacity: int) -> list[ExistingBooking]:
    events = sorted(
        [(b.span[0], 1, i) for i, b in enumerate(bookings)]
        + [(b.span[1], -1, i) for i, b in enumerate(bookings)],
        key=lambda event: (event[0], event[1]),
    )
    active: set[int] = set()
    for _, change, index in events:
        if change > 0:
            active.add(index)
            if len(active) > capacity:
                return [bookings[i] for i in sorted(active)]
        else:
            active.discard(index)
    return []
