"""Priority order and quotas: consignments are called in the order of the post's queue.

The queue interleaves priority classes by their cyclic quotas (eCherha's 1:1:1:5) within each
queue window of ready times (see ``queue``). Among consignments competing for the same
agencies and equipment, the next turn should not start before the earlier one. Soft: each
minute the earlier turn is overtaken costs the rule's weight. Hard: nobody is overtaken.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from .. import names
from ..penalties import Penalty, arrival_day
from ..problem import InspectionProblem
from ..queue import overtaking_pairs
from ..variables import BatchVars, RequestVars

NAME = names.QUEUE_ORDER


def add_queue_order(
    model: cp_model.CpModel, problem: InspectionProblem, vars: BatchVars
) -> list[Penalty]:
    enforcement = problem.site.rules.queue_order
    low, high = problem.horizon
    penalties = []
    for earlier_ref, later_ref in overtaking_pairs(problem):
        earlier, later = vars.requests[earlier_ref], vars.requests[later_ref]
        if (
            not (earlier.modes and later.modes)
            or _first_start_range(earlier)[1] <= _first_start_range(later)[0]
        ):
            continue  # one is never inspected, or the later turn can never start first
        both = [earlier.inspected, later.inspected]
        if enforcement.hard:
            model.add(earlier.first_start <= later.first_start).only_enforce_if(both)
            continue
        raw = model.new_int_var(0, high - low, f"overtake_gap[{earlier_ref}>{later_ref}]")
        model.add_max_equality(raw, [0, earlier.first_start - later.first_start])
        overtaken = model.new_int_var(0, high - low, f"overtaken[{earlier_ref}>{later_ref}]")
        model.add(overtaken == raw).only_enforce_if(both)
        model.add(overtaken == 0).only_enforce_if(earlier.inspected.negated())
        model.add(overtaken == 0).only_enforce_if(later.inspected.negated())
        penalties.append(
            Penalty(
                rule=NAME,
                subject=earlier_ref,
                message=(
                    f"{earlier_ref} is overtaken by {later_ref}, the next in its queue, "
                    "by {amount} min"
                ),
                weight=enforcement.weight,
                amount=overtaken,
                day=arrival_day(problem.site, earlier.prepared.request),
            )
        )
    return penalties


def _first_start_range(request: RequestVars) -> tuple[int, int]:
    """Earliest and latest minute the consignment's first inspection could start."""
    firsts = [
        mode.parts[0].prepared.starts
        for mode in request.modes.values()
        if mode.parts[0].prepared.starts
    ]
    return (min(starts[0][0] for starts in firsts), max(starts[-1][1] - 1 for starts in firsts))
