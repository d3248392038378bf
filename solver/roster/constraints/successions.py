"""Forbidden shift successions: a shift type that may not be followed the next day by another.

The classic case is a night shift followed by an early shift. Days are the local days the
shifts start on; a shift of the history's last day counts against the horizon's first day.

When one shift a day is hard, the forbidden pairs of two days form bicliques: every second
type forbidden after the same set of first types, together with those first types, can hold
at most one shift over the two days. One at-most-one per such group and day replaces dozens of
pairwise clauses, and is what the LP relaxation needs to see the rule.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.roster import names
from solver.roster.problem import Officer, RosterProblem, Succession
from solver.roster.variables import Guard, Penalty, RosterVars, day_of

NAME = names.SUCCESSIONS


def add_successions(model: cp_model.CpModel, problem: RosterProblem,
                    v: RosterVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for officer in problem.officers:
        rules = officer.rules.forbidden_successions
        if not rules:
            continue
        guard = Guard(rule=NAME, subject=officer.name, officer_ids=(officer.id,),
                      message=f"{officer.name} may not work the forbidden shift successions")
        hard = [r for r in rules if r.enforcement.hard]
        if hard and v.one_a_day_is_hard(officer.id):
            _add_hard_bicliques(model, v, officer, hard)
        else:
            for rule in hard:
                _add_pairs(model, problem, v, officer, rule, guard)
        for rule in rules:
            if not rule.enforcement.hard:
                penalties += _add_pairs(model, problem, v, officer, rule, guard)
    return penalties


def _of_template(v: RosterVars, officer_id: str, index: int, templates: set[str]) -> list:  # type: ignore[type-arg]
    """Literals of the officer's shifts of ``templates`` on a day; ``None`` for a past one."""
    if index < 0:
        day = v.problem.start.toordinal() + index
        return [None for p in v.history_of(officer_id)
                if p.template_id in templates and p.day.toordinal() == day]
    by_template = v.on_day_by_template(officer_id, index)
    return [literal for t in templates for literal in by_template.get(t, ())]


def _add_hard_bicliques(model: cp_model.CpModel, v: RosterVars, officer: Officer,
                        rules: list[Succession]) -> None:
    before: dict[str, set[str]] = defaultdict(set)
    for rule in rules:
        before[rule.second_template].add(rule.first_template)
    groups: dict[frozenset[str], set[str]] = defaultdict(set)
    for second, firsts in before.items():
        groups[frozenset(firsts)].add(second)
    for index in range(-1, v.problem.days - 1):
        today = v.on_day_by_template(officer.id, index) if index >= 0 else None
        tomorrow = v.on_day_by_template(officer.id, index + 1)
        for firsts, seconds in groups.items():
            later = [lit for t in seconds for lit in tomorrow.get(t, ())]
            if not later:
                continue
            if today is None:
                if _of_template(v, officer.id, index, set(firsts)):
                    model.add_bool_and([~lit for lit in later])
                continue
            earlier = [lit for t in firsts for lit in today.get(t, ())]
            if earlier:
                model.add_at_most_one(earlier + later)


def _add_pairs(model: cp_model.CpModel, problem: RosterProblem, v: RosterVars,
               officer: Officer, rule: Succession, guard: Guard) -> list[Penalty]:
    penalties: list[Penalty] = []
    first_name = problem.template(rule.first_template).name
    second_name = problem.template(rule.second_template).name
    scope = officer.id
    for index in range(-1, problem.days - 1):
        firsts = _of_template(v, officer.id, index, {rule.first_template})
        seconds = _of_template(v, officer.id, index + 1, {rule.second_template})
        for first in firsts:
            for second in seconds:
                pair = [second] if first is None else [first, second]
                if rule.enforcement.hard:
                    v.forbid_together(pair, NAME, scope, guard)
                    continue
                paid = model.new_bool_var(f"{NAME}: {scope} day {index}")
                model.add_bool_or([~lit for lit in pair] + [paid])
                day = day_of(problem, index + 1)
                penalties.append(Penalty(
                    NAME, officer.name, day, paid, rule.enforcement.weight,
                    f"{officer.name} works {second_name} on {day.isoformat()} right after "
                    f"{first_name}"))
    return penalties
