"""Offers for the booking service: the best few joint slots for one request, right now.

This is the hot path behind ``POST /api/v1/inspections/offers``: no CP-SAT, only an interval
sweep over the free time of the officers, offices and bays concerned (see ``slots``), against
the bookings the service passes in. When no joint slot exists before the maximum wait runs
out, the answer says what blocks it (which agency, which bay, which hours, which notice) and
what would unblock it: out-of-hours service at its quoted fee, the notice derogation, a
sequential inspection (exit controls first), or the first joint slot after the maximum wait.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from solver.rules import Violation

from . import timeline
from .explain import Explainer, local_time
from .problem import Availability, InspectionRequest, InvalidInput, PlannedInspection
from .search import RequestPlanner, notice_minutes
from .slots import Occupancy, PartSearch, SlotFinder

RemedyKind = Literal["out_of_hours", "derogation", "sequential", "later"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Remedy:
    """Something that would give the consignment a slot, and what it would cost."""

    kind: RemedyKind
    message: str
    earliest_start: datetime
    fees: Mapping[str, int] = dataclasses.field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "message": self.message,
            "earliest_start": self.earliest_start.isoformat(),
            "fees": dict(self.fees),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class OffersResult:
    """What the booking service shows the scheduler.

    ``offers`` are joint slots, best first, each ready to book as it is. ``fallback`` holds a
    sequential inspection when no joint slot exists before the maximum wait (its
    ``joint_failure`` repeats the blockers). ``window_start``/``window_end`` bound the start
    of a joint slot: not before arrival or now, not after the maximum wait.
    """

    reference: str
    offers: tuple[PlannedInspection, ...]
    fallback: tuple[PlannedInspection, ...]
    blockers: tuple[Violation, ...]
    remedies: tuple[Remedy, ...]
    window_start: datetime
    window_end: datetime


def find_offers(
    request: InspectionRequest, availability: Availability, now: datetime, max_offers: int = 3
) -> OffersResult:
    """The best ``max_offers`` joint slots for ``request`` against ``availability`` at ``now``.

    Raises ``InvalidInput`` (a ``ValueError`` listing each field) when the request does not
    fit the post: an unknown agency or side, an agency without an office at the facility.
    """
    if max_offers < 1:
        raise ValueError("max_offers must be at least 1")
    site = availability.site
    errors = site.request_errors(request)
    if errors:
        raise InvalidInput(errors)
    finder = SlotFinder(site, Occupancy(availability.bookings))
    now_minute = timeline.minute_ceil(now)
    planner = _planner(finder, request, now_minute)
    search = planner.joint(planner.max_wait)
    window_start = timeline.instant(planner.not_before)
    window_end = timeline.instant(max(planner.not_before, planner.arrival + planner.max_wait))
    offers = tuple(
        planner.joint_inspection(search, start) for start in planner.candidates(search, max_offers)
    )
    if offers:
        return OffersResult(
            reference=request.reference,
            offers=offers,
            fallback=(),
            blockers=(),
            remedies=(),
            window_start=window_start,
            window_end=window_end,
        )
    explainer = Explainer(site, request)
    blockers = explainer.blockers(search)
    fallback = planner.best_sequential(planner.max_wait, joint_failure=blockers)
    remedies = _Remedies(planner, explainer.facility_zone, now_minute).all(search, fallback)
    return OffersResult(
        reference=request.reference,
        offers=(),
        fallback=(fallback,) if fallback else (),
        blockers=blockers,
        remedies=remedies,
        window_start=window_start,
        window_end=window_end,
    )


def _planner(finder: SlotFinder, request: InspectionRequest, now_minute: int) -> RequestPlanner:
    # Offers are not bound by a planning horizon; the look-ahead bounds the search instead.
    max_wait = finder.site.max_wait_minutes(request)
    lookahead = finder.site.rules.lookahead_days * 1440
    return RequestPlanner(
        finder,
        request,
        notice=notice_minutes(finder, request),
        not_before=now_minute,
        not_after=max(now_minute, request.arrival_minute)
        + max_wait
        + lookahead
        + 2 * request.duration_minutes,
    )


class _Remedies:
    def __init__(self, planner: RequestPlanner, zone: str, now_minute: int) -> None:
        self.planner = planner
        self.site = planner.site
        self.request = planner.request
        self.zone = zone
        self.now_minute = now_minute

    def all(self, search: PartSearch, fallback: PlannedInspection | None) -> tuple[Remedy, ...]:
        found = [self.out_of_hours(search), self.derogation()]
        if fallback is not None:
            found.append(self.sequential(fallback))
        found.append(self.later())
        return tuple(remedy for remedy in found if remedy is not None)

    def _when(self, minute: int) -> str:
        return local_time(minute, self.zone)

    def out_of_hours(self, search: PartSearch) -> Remedy | None:
        offering = frozenset(
            a for a in self.request.agencies if self.site.agency(a).offers_out_of_hours
        )
        if offering <= search.out_of_hours:
            return None
        relaxed = self.planner.joint(
            self.planner.max_wait, out_of_hours=search.out_of_hours | offering
        )
        starts = self.planner.candidates(relaxed, 1)
        if not starts:
            return None
        inspection = self.planner.joint_inspection(relaxed, starts[0])
        charges = inspection.parts[0].out_of_hours
        by = ", ".join(
            f"{c.agency} ({self.site.agency(c.agency).out_of_hours_fee_per_hour} {c.currency}/h)"
            for c in charges
        )
        fees = inspection.fees
        total = ", ".join(f"{amount} {currency}" for currency, amount in sorted(fees.items()))
        return Remedy(
            kind="out_of_hours",
            message=(
                f"out-of-hours service by {by} would allow a joint slot at "
                f"{self._when(starts[0])}, for {total}"
            ),
            earliest_start=timeline.instant(starts[0]),
            fees=fees,
        )

    def derogation(self) -> Remedy | None:
        request = self.request
        if request.notice_derogation or not any(
            self.site.agency(a).notice.derogation_applies(request.cargo_category, True)
            for a in request.agencies
        ):
            return None
        derogated = dataclasses.replace(request, notice_derogation=True)
        planner = _planner(self.planner.finder, derogated, self.now_minute)
        found = planner.best_joint(planner.max_wait)
        if found is None:
            return None
        start = timeline.minute_floor(found.first_start)
        return Remedy(
            kind="derogation",
            message=(
                "pre-notification under the derogation (shorter notice) would allow a joint "
                f"slot at {self._when(start)}"
            ),
            earliest_start=found.first_start,
            fees=found.fees,
        )

    def sequential(self, fallback: PlannedInspection) -> Remedy:
        first, second = fallback.parts
        order = "exit" if fallback.mode == "exit_first" else "entry"
        then = "entry" if order == "exit" else "exit"
        return Remedy(
            kind="sequential",
            message=(
                f"sequential inspection: {order} controls ({', '.join(first.agencies)}) at "
                f"{self._when(timeline.minute_floor(first.start))}, then {then} controls "
                f"({', '.join(second.agencies)}) at "
                f"{self._when(timeline.minute_floor(second.start))}"
            ),
            earliest_start=first.start,
            fees=fallback.fees,
        )

    def later(self) -> Remedy | None:
        lookahead = self.site.rules.lookahead_days * 1440
        if lookahead == 0:
            return None
        found = self.planner.best_joint(self.planner.max_wait + lookahead)
        if found is None:
            return None
        start = timeline.minute_floor(found.first_start)
        beyond = found.waiting_minutes - self.planner.max_wait
        return Remedy(
            kind="later",
            message=(
                f"the first joint slot is at {self._when(start)}, "
                f"{beyond} min after the maximum wait "
                f"of {self.planner.max_wait} min"
            ),
            earliest_start=found.first_start,
            fees=found.fees,
        )
