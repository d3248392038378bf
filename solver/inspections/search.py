"""Slot searches for one consignment: joint slots, sequential fallbacks, and how they score.

Offers and the greedy planners share this: a joint search over the window the consignment's
maximum wait allows, candidate starts ranked by what they cost (waiting at the class's weight,
out-of-hours fees at the rules' weight), and the sequential fallback with exit controls first
(or entry controls first where reversal is allowed).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping

from solver.rules import Violation

from . import timeline
from .names import Mode
from .problem import InspectionRequest, PlannedInspection, PlannedPart
from .slots import PartSearch, SlotFinder
from .timeline import Spans


def notice_minutes(finder: SlotFinder, request: InspectionRequest) -> dict[str, int]:
    site = finder.site
    return {a: timeline.minute_ceil(site.notice_deadline(request, a)) for a in request.agencies}


class RequestPlanner:
    """Searches for one request. ``not_before`` is the first minute any part may start (now,
    or the start of a planning horizon) and ``not_after`` the minute every part must end by."""

    def __init__(
        self,
        finder: SlotFinder,
        request: InspectionRequest,
        *,
        notice: Mapping[str, int],
        not_before: int,
        not_after: int,
    ) -> None:
        self.finder = finder
        self.site = finder.site
        self.rules = finder.site.rules
        self.request = request
        self.notice = notice
        self.arrival = request.arrival_minute
        self.duration = request.duration_minutes
        self.not_before = max(not_before, self.arrival)
        self.not_after = not_after
        self.max_wait = self.site.max_wait_minutes(request)
        self.wait_weight = self.site.priority(request.priority_class).wait_weight
        grid = self.rules.start_grid_minutes
        self.step = -(-self.rules.offer_spacing_minutes // grid) * grid

    # --- joint ------------------------------------------------------------------------------

    def joint(self, wait_limit: int, *, out_of_hours: frozenset[str] | None = None) -> PartSearch:
        """Joint slots whose waiting stays within ``wait_limit`` minutes."""
        agencies = self.request.agencies
        if out_of_hours is None:
            out_of_hours = self.finder.out_of_hours_agencies(self.request, agencies)
        return self.finder.search(
            self.request,
            agencies,
            low=self.not_before,
            high_start=min(self.arrival + wait_limit, self.not_after - self.duration),
            notice=self.notice,
            out_of_hours=out_of_hours,
        )

    def score(self, waiting: int, fee: int) -> int:
        return self.wait_weight * waiting + self.rules.out_of_hours_fee_weight * fee

    def candidates(self, search: PartSearch, count: int) -> list[int]:
        """Up to ``count`` starts, cheapest first, at least the offer spacing apart."""
        pieces = self._constant_fee_pieces(search)
        options: list[tuple[int, int]] = []
        for start, end in pieces:
            for minute in range(start, end, self.step)[:count]:
                options.append(
                    (self.score(minute - self.arrival, self.finder.fee_at(search, minute)), minute)
                )
        options.sort()
        chosen: list[int] = []
        for _, minute in options:
            if all(abs(minute - other) >= self.step for other in chosen):
                chosen.append(minute)
                if len(chosen) == count:
                    break
        return chosen

    def _constant_fee_pieces(self, search: PartSearch) -> Spans:
        cuts = sorted(
            {
                edge
                for agency in search.out_of_hours
                for span in search.hours[agency]
                for edge in span
            }
        )
        pieces: list[tuple[int, int]] = []
        for start, end in search.feasible:
            first = bisect_right(cuts, start)
            last = bisect_right(cuts, end - 1)
            edges = [start, *cuts[first:last], end]
            pieces.extend(zip(edges, edges[1:], strict=False))
        return timeline.on_grid(tuple(pieces), self.rules.start_grid_minutes)

    def joint_inspection(self, search: PartSearch, start: int) -> PlannedInspection:
        part = self.finder.place(self.request, search, start)
        return PlannedInspection(
            reference=self.request.reference,
            mode="joint",
            parts=(part,),
            waiting_minutes=start - self.arrival,
        )

    def best_joint(self, wait_limit: int) -> PlannedInspection | None:
        search = self.joint(wait_limit)
        starts = self.candidates(search, 1)
        return self.joint_inspection(search, starts[0]) if starts else None

    # --- sequential -------------------------------------------------------------------------

    def sequential_orders(self) -> list[tuple[Mode, tuple[str, ...], tuple[str, ...]]]:
        """The sequential modes this request may use, with each part's agencies in order."""
        exit_agencies = self.site.agencies_on(self.request, self.request.exit_side)
        entry_agencies = self.site.agencies_on(self.request, self.request.entry_side)
        if not (exit_agencies and entry_agencies and self.rules.allow_sequential):
            return []
        orders: list[tuple[Mode, tuple[str, ...], tuple[str, ...]]] = [
            ("exit_first", exit_agencies, entry_agencies)
        ]
        if self.request.reversal_allowed:
            orders.append(("entry_first", entry_agencies, exit_agencies))
        return orders

    def best_sequential(
        self, wait_limit: int, *, joint_failure: tuple[Violation, ...] = (), tries: int = 8
    ) -> PlannedInspection | None:
        """The cheapest sequential inspection whose total waiting stays within ``wait_limit``."""
        best: tuple[int, PlannedInspection] | None = None
        for mode, first_agencies, second_agencies in self.sequential_orders():
            first = self._part(first_agencies, self.not_before, self.arrival + wait_limit)
            for start in self.candidates(first, tries):
                waited = start - self.arrival
                end = start + self.duration
                second = self._part(second_agencies, end, end + wait_limit - waited)
                later = self.candidates(second, 1)
                if not later:
                    continue
                parts = (
                    self.finder.place(self.request, first, start),
                    self.finder.place(self.request, second, later[0]),
                )
                waiting = waited + later[0] - end
                cost = self.score(waiting, _fee(parts)) + self.rules.sequential_weight
                if best is None or cost < best[0]:
                    inspection = PlannedInspection(
                        reference=self.request.reference,
                        mode=mode,
                        parts=parts,
                        waiting_minutes=waiting,
                        joint_failure=joint_failure,
                    )
                    best = (cost, inspection)
        return best[1] if best else None

    def _part(self, agencies: tuple[str, ...], low: int, high_start: int) -> PartSearch:
        return self.finder.search(
            self.request,
            agencies,
            low=low,
            high_start=min(high_start, self.not_after - self.duration),
            notice=self.notice,
            out_of_hours=self.finder.out_of_hours_agencies(self.request, agencies),
        )


def _fee(parts: tuple[PlannedPart, ...]) -> int:
    return sum(charge.fee for part in parts for charge in part.out_of_hours)
