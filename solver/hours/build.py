"""Turn an hours problem into a CP-SAT model: variables, every rule family, the objective."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.cpsat import new_model
from solver.hours.baseline import aligned_reference
from solver.hours.constraints import FAMILIES
from solver.hours.penalties import Penalty
from solver.hours.problem import HoursProblem
from solver.hours.variables import HoursVars


@dataclass(frozen=True, slots=True)
class HoursModel:
    model: cp_model.CpModel
    vars: HoursVars
    penalties: tuple[Penalty, ...]


def build_model(
    problem: HoursProblem, *, explain: bool = False, hint: dict[str, tuple[bool, ...]] | None = None
) -> HoursModel:
    """``hint``: the opening of each office the search starts from; by default the reference
    hours widened across counterparts."""
    model = new_model()
    vars = HoursVars(model, problem, explain=explain)
    penalties = tuple(penalty for add in FAMILIES for penalty in add(model, problem, vars))
    if not explain:
        model.minimize(sum(penalty.weight * penalty.expr for penalty in penalties))
        _hint_opening(model, problem, vars, hint or aligned_reference(problem))
    return HoursModel(model=model, vars=vars, penalties=penalties)


def _hint_opening(
    model: cp_model.CpModel, problem: HoursProblem, vars: HoursVars, opening: dict[str, tuple[bool, ...]]
) -> None:
    """Start the search from reference hours (published, else regular), aligned across
    counterparts: usually close to a good plan and, for most posts, feasible."""
    hinted: set[int] = set()
    for office in problem.offices:
        reference = opening[office.id]
        for slot, literal in enumerate(vars.open[office.id]):
            if literal.index not in hinted:
                hinted.add(literal.index)
                model.add_hint(literal, reference[slot])
