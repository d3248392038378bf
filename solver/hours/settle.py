"""Whole plans from openings: every variable of an hours model valued for a given opening of
its offices, to start a search from or to cost a plan the search found."""

from __future__ import annotations

import dataclasses

from ortools.sat.python import cp_model

from solver.config import SolverConfig
from solver.cpsat import CpSatRun, clone_model, hint_everything, run_cpsat
from solver.hours.build import HoursModel
from solver.hours.checker import CheckReport

ENGINE = "hours"

# With every opening and queue fixed, what is left (the measures of soft rules) settles in
# presolve and the first LP.
SETTLE_SECONDS = 10.0


def new_solver() -> cp_model.CpSolver:
    """The solver an hours model is searched with."""
    solver = cp_model.CpSolver()
    # The model's own valid inequalities are what makes its relaxation tight; loading them all
    # at the root lets the first LP reach the bound at once instead of over many cut rounds.
    solver.parameters.add_lp_constraints_lazily = False
    # Presolve walks each queue's chain of backlogs one link per fix-point loop: on a month
    # of a busy post it spent 8-10 s before the search started, then left the model little
    # smaller than the propagation finds it at once.
    solver.parameters.cp_model_presolve = False
    return solver


def settle_hint(
    built: HoursModel, rows: dict[str, tuple[bool, ...]], evaluation: CheckReport, config: SolverConfig
) -> bool:
    """Hint every variable of ``built`` with the plan that opens ``rows`` (``evaluation`` is
    the checker's report on it), so that a search starts from a whole plan; whether it could."""
    run = settled(built, rows, evaluation, config)
    if run.has_solution:
        hint_everything(built.model, run.solver)
    return run.has_solution


def settled(
    built: HoursModel,
    rows: dict[str, tuple[bool, ...]],
    evaluation: CheckReport,
    config: SolverConfig,
    incumbent: cp_model.CpSolver | None = None,
) -> CpSatRun:
    """A solve of ``built`` with every office opening as ``rows`` say and every queue as the
    checker's replay of them (``evaluation``) measures it, for at most ``SETTLE_SECONDS``.

    Fixing the openings alone is not enough: the queues are then a chain of backlogs that
    CP-SAT took 7 s to settle on a month of the Kapitan Andreevo sample's plant health
    offices; the replay gives every backlog at once (0.7 s for the whole solve).
    """
    model = clone_model(built.model)
    for office_id, row in rows.items():
        for literal, value in zip(built.vars.open[office_id], row, strict=True):
            if not isinstance(literal, int):
                model.add(model.get_bool_var_from_proto_index(literal.index) == int(value))
    for flow_id, groups in built.vars.queues.items():
        backlog = evaluation.replays[flow_id].backlog
        for group in groups:
            for measure, value in ((group.end, backlog[group.last]),
                                   (group.waiting, sum(backlog[group.first : group.last + 1]))):
                if isinstance(measure, cp_model.IntVar):
                    model.add(model.get_int_var_from_proto_index(measure.index) == value)
    if incumbent is not None:
        hint_everything(model, incumbent)
    fixed_config = dataclasses.replace(config, time_limit_seconds=min(SETTLE_SECONDS, config.time_limit_seconds))
    # Unlike the search's, this model's presolve has nothing left to walk: it folds it away.
    return run_cpsat(model, fixed_config, engine=ENGINE, solver=cp_model.CpSolver())
