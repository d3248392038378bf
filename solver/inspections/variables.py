"""The batch model's decision variables, named and indexed so rule modules never do arithmetic.

Per request: ``inspected``; per mode it may use, ``chosen``; per part of a mode, the start
(on the booking grid: ``start = grid * step``), one literal per candidate pool of officers of
each agency and per candidate pool of bays (see ``prepare.Pool``), each with its optional
interval for the no-double-booking rule,
and one ``out_of_hours`` literal per agency that may serve out of hours. Two derived
quantities are defined here because several rules read them: ``first_start`` (when the
consignment's first inspection starts) and ``waiting`` (minutes between arrival and release
while nobody inspects it; 0 when not inspected).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from . import timeline
from .names import Mode
from .prepare import PreparedBatch, PreparedPart, PreparedRequest
from .problem import InspectionProblem
from .timeline import Spans


@dataclass
class PartVars:
    prepared: PreparedPart
    grid: int
    step: cp_model.IntVar
    officers: dict[str, dict[str, cp_model.IntVar]] = field(default_factory=dict)  # agency -> pool
    bays: dict[str, cp_model.IntVar] = field(default_factory=dict)  # bay pool
    out_of_hours: dict[str, cp_model.IntVar] = field(default_factory=dict)
    officer_intervals: list[tuple[str, cp_model.IntervalVar]] = field(default_factory=list)
    bay_intervals: list[tuple[str, cp_model.IntervalVar]] = field(default_factory=list)

    @property
    def start(self) -> cp_model.LinearExprT:
        return self.grid * self.step

    @property
    def domain(self) -> Spans:
        """Every start minute the part's variable can take (a superset of the grid points)."""
        return self.prepared.starts

    def start_within(
        self, model: cp_model.CpModel, starts: Spans, enforcement: Sequence[cp_model.IntVar]
    ) -> None:
        """When all of ``enforcement`` hold, the part starts inside ``starts``."""
        steps = timeline.grid_points(timeline.intersect(starts, self.domain), self.grid)
        if steps == timeline.grid_points(self.domain, self.grid):
            return
        if not steps:
            model.add_bool_or([literal.negated() for literal in enforcement])
            return
        model.add_linear_expression_in_domain(
            self.step, cp_model.Domain.from_intervals([list(r) for r in steps])
        ).only_enforce_if(list(enforcement))


@dataclass
class ModeVars:
    mode: Mode
    chosen: cp_model.IntVar
    parts: tuple[PartVars, ...]


@dataclass
class RequestVars:
    prepared: PreparedRequest
    inspected: cp_model.IntVar
    modes: dict[Mode, ModeVars]
    first_start: cp_model.IntVar
    waiting: cp_model.IntVar

    @property
    def reference(self) -> str:
        return self.prepared.request.reference


class BatchVars:
    def __init__(
        self, model: cp_model.CpModel, problem: InspectionProblem, prepared: PreparedBatch
    ) -> None:
        self.model = model
        self.grid = problem.site.rules.start_grid_minutes
        self.horizon = problem.horizon
        self.prepared = prepared
        self.requests: dict[str, RequestVars] = {
            p.request.reference: self._request(p) for p in prepared.requests
        }

    def _request(self, prepared: PreparedRequest) -> RequestVars:
        model = self.model
        reference = prepared.request.reference
        inspected = model.new_bool_var(f"inspected[{reference}]")
        modes: dict[Mode, ModeVars] = {}
        for prepared_mode in prepared.modes:
            name = f"{prepared_mode.mode}[{reference}]"
            chosen = model.new_bool_var(name)
            parts = tuple(
                self._part(f"{name}.part{i}", part, chosen)
                for i, part in enumerate(prepared_mode.parts)
            )
            modes[prepared_mode.mode] = ModeVars(
                mode=prepared_mode.mode, chosen=chosen, parts=parts
            )
        low, high = self.horizon
        first_start = model.new_int_var(low, high, f"first_start[{reference}]")
        waiting = model.new_int_var(-(high - low), high - prepared.arrival, f"waiting[{reference}]")
        for mode in modes.values():
            first, last = mode.parts[0], mode.parts[-1]
            busy_between = (len(mode.parts) - 1) * prepared.request.duration_minutes
            model.add(first_start == first.start).only_enforce_if(mode.chosen)
            model.add(waiting == last.start - prepared.arrival - busy_between).only_enforce_if(
                mode.chosen
            )
        model.add(waiting == 0).only_enforce_if(inspected.negated())
        if not modes:
            model.add(inspected == 0)
        return RequestVars(
            prepared=prepared,
            inspected=inspected,
            modes=modes,
            first_start=first_start,
            waiting=waiting,
        )

    def _part(self, name: str, prepared: PreparedPart, chosen: cp_model.IntVar) -> PartVars:
        model = self.model
        steps = timeline.grid_points(prepared.starts, self.grid)
        if steps:
            step = model.new_int_var_from_domain(
                cp_model.Domain.from_intervals([list(r) for r in steps]), f"{name}.step"
            )
        else:
            step = model.new_int_var(
                prepared.low // self.grid, prepared.low // self.grid, f"{name}.step"
            )
            model.add(chosen == 0)
        part = PartVars(prepared=prepared, grid=self.grid, step=step)
        size = prepared.duration
        for agency in prepared.agencies:
            part.officers[agency] = {}
            for pool_id in prepared.officer_starts[agency]:
                literal = model.new_bool_var(f"{name}.officer[{agency}={pool_id}]")
                part.officers[agency][pool_id] = literal
                interval = model.new_optional_fixed_size_interval_var(
                    part.start, size, literal, f"{name}.at[{pool_id}]"
                )
                part.officer_intervals.append((pool_id, interval))
            if agency in prepared.out_of_hours:
                part.out_of_hours[agency] = model.new_bool_var(f"{name}.out_of_hours[{agency}]")
        for pool_id in prepared.bay_starts:
            literal = model.new_bool_var(f"{name}.bay[{pool_id}]")
            part.bays[pool_id] = literal
            interval = model.new_optional_fixed_size_interval_var(
                part.start, size, literal, f"{name}.in[{pool_id}]"
            )
            part.bay_intervals.append((pool_id, interval))
        return part

    def parts(self) -> Iterator[tuple[RequestVars, ModeVars, PartVars]]:
        """Every (request, mode, part) triple."""
        for request in self.requests.values():
            for mode in request.modes.values():
                for part in mode.parts:
                    yield request, mode, part

    def officer_intervals(self) -> dict[str, list[cp_model.IntervalVar]]:
        """The intervals each officer pool may hold."""
        found: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
        for _, _, part in self.parts():
            for pool_id, interval in part.officer_intervals:
                found[pool_id].append(interval)
        return found

    def bay_intervals(self) -> dict[str, list[cp_model.IntervalVar]]:
        """The intervals each bay pool may hold."""
        found: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
        for _, _, part in self.parts():
            for pool_id, interval in part.bay_intervals:
                found[pool_id].append(interval)
        return found
