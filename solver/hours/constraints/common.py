"""Small helpers every rule family uses to address slots and literals."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from ortools.sat.python import cp_model

from solver.hours.penalties import Penalty, per_hour
from solver.hours.present import clock_label
from solver.hours.problem import HoursProblem, Office
from solver.hours.variables import HardRule, HoursVars


def plan_range(problem: HoursProblem, start: datetime, end: datetime) -> range:
    return problem.slot_range(start, end, limit=problem.plan_slots)


def weighted_count(literals: Iterable[cp_model.IntVar], weight: int = 1) -> cp_model.LinearExprT:
    """``weight`` x the number of true entries, a literal shared by several slots counted
    once per slot but entered once, with its multiplicity as coefficient."""
    terms: dict[int, list] = {}
    for literal in literals:
        entry = terms.setdefault(literal.index, [literal, 0])
        entry[1] += weight
    if not terms:
        return 0
    return cp_model.LinearExpr.weighted_sum(
        [literal for literal, _ in terms.values()], [count for _, count in terms.values()]
    )


def distinct(literals: Iterable[cp_model.IntVar]) -> list[cp_model.IntVar]:
    """Each literal once (slots that move together share one)."""
    seen: dict[int, cp_model.IntVar] = {}
    for literal in literals:
        seen.setdefault(literal.index, literal)
    return list(seen.values())


def fix_slots(
    model: cp_model.CpModel,
    vars: HoursVars,
    office: Office,
    slots: Sequence[int],
    *,
    open_: bool,
    rule: HardRule,
) -> None:
    """Hard: the office is open (or closed) in every one of ``slots``."""
    literals = distinct(vars.open[office.id][slot] for slot in slots)
    if not literals:
        return
    if open_:
        constraint = model.add_bool_and(literals)
    else:
        constraint = model.add_bool_and([literal.Not() for literal in literals])
    vars.require(constraint, rule)


def slots_in_wrong_state(
    vars: HoursVars, office: Office, slots: Sequence[int], *, open_: bool
) -> cp_model.LinearExprT:
    """How many of ``slots`` the office is not in the required state."""
    opened = weighted_count(vars.open[office.id][slot] for slot in slots)
    return len(slots) - opened if open_ else opened


def window_rule(
    model: cp_model.CpModel,
    problem: HoursProblem,
    vars: HoursVars,
    office: Office,
    *,
    rule: str,
    enforcement_hard: bool,
    weight: int,
    start: datetime,
    end: datetime,
    open_: bool,
    why: str,
    excluded: frozenset[int] = frozenset(),
    day: date | None = None,
) -> list[Penalty]:
    """An office must be open (or closed) over [start, end) but for ``excluded`` slots; hard,
    or soft at ``weight`` per hour in the wrong state."""
    slots = [slot for slot in plan_range(problem, start, end) if slot not in excluded]
    if not slots:
        return []
    when = clock_label(start, end, office.zone)
    state = "open" if open_ else "closed"
    if enforcement_hard:
        fix_slots(
            model, vars, office, slots, open_=open_,
            rule=HardRule(rule, office.name, day, f"{office.name} must be {state} {when} ({why})"),
        )
        return []
    return [
        per_hour(
            rule, office.name, day, slots_in_wrong_state(vars, office, slots, open_=open_),
            weight, f"not {state} {when} ({why})",
        )
    ]
