"""Why no plan exists, in users' words: a small set of hard rules that cannot hold together.

The model is rebuilt with every hard rule guarded by an assumption literal (one per rule,
subject and day, see ``HoursVars.require``) and solved for feasibility only; CP-SAT returns a
set of assumptions that is already infeasible, which a deletion pass then shrinks while time
allows, so that each rule left is needed for the conflict.
"""

from __future__ import annotations

import time

from solver.config import SolverConfig
from solver.cpsat import run_cpsat
from solver.hours.build import build_model
from solver.hours.problem import HoursProblem
from solver.hours.variables import HardRule
from solver.rules import Violation

# Explanations come from a feasibility search with assumptions, which CP-SAT answers from
# its single-worker core search; more workers would not make the core smaller.
_WORKERS = 1


def explain_infeasibility(problem: HoursProblem, config: SolverConfig) -> tuple[Violation, ...]:
    built = build_model(problem, explain=True)
    by_index = {literal.index: rule for rule, literal in built.vars.hard_rules.items()}
    literals = {rule: literal for rule, literal in built.vars.hard_rules.items()}
    deadline = time.monotonic() + config.time_limit_seconds
    core = _core(built.model, list(literals.values()), config, deadline)
    if core is None:
        return (Violation(rule="Explanation", subject=problem.post,
                          message="no plan satisfies every hard rule, and the conflicting rules "
                                  "could not be isolated within the time limit"),)
    rules = [by_index[index] for index in core]
    rules = _shrink(built.model, rules, literals, config, deadline)
    return tuple(_violation(rule) for rule in sorted(rules, key=_order))


def _core(model, assumptions, config: SolverConfig, deadline: float) -> list[int] | None:
    model.clear_assumptions()
    model.add_assumptions(assumptions)
    remaining = max(0.5, deadline - time.monotonic())
    run = run_cpsat(
        model,
        SolverConfig(time_limit_seconds=remaining, workers=_WORKERS, seed=config.seed),
        engine="hours-explain",
    )
    if run.stats.status != "infeasible":
        return None
    return list(run.solver.sufficient_assumptions_for_infeasibility())


def _shrink(model, rules: list[HardRule], literals, config: SolverConfig, deadline: float) -> list[HardRule]:
    """Drop each rule whose removal keeps the rest infeasible (deletion filter)."""
    kept = list(rules)
    for rule in list(rules):
        if time.monotonic() >= deadline or len(kept) <= 1:
            break
        trial = [other for other in kept if other != rule]
        if _core(model, [literals[other] for other in trial], config, deadline) is not None:
            kept = trial
    return kept


def _order(rule: HardRule) -> tuple[str, str, str]:
    return (rule.rule, rule.subject, rule.day.isoformat() if rule.day else "")


def _violation(rule: HardRule) -> Violation:
    return Violation(rule=rule.rule, subject=rule.subject, message=rule.message, day=rule.day)
