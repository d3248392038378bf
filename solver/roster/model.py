"""Build the CP-SAT model of a roster problem from the rule families, and read solutions back."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.cpsat import new_model
from solver.roster.constraints import EXCLUSIONS, FAMILIES
from solver.roster.problem import Assignment, Officer, RosterProblem, Shift
from solver.roster.variables import Penalty, RosterVars, minutes_worked
from solver.rules import Violation


@dataclass(slots=True)
class RosterModel:
    """A built model: the CP-SAT model, its variables and its named penalty terms."""

    problem: RosterProblem
    model: cp_model.CpModel
    vars: RosterVars
    penalties: list[Penalty]

    def assignments(self, values: dict[tuple[str, str], bool]) -> tuple[Assignment, ...]:
        return tuple(sorted(Assignment(officer_id=o, shift_id=s)
                            for (o, s), on in values.items() if on))

    def read_values(self, solver: cp_model.CpSolver) -> dict[tuple[str, str], bool]:
        return {key: bool(solver.boolean_value(var)) for key, var in self.vars.x.items()}

    def read_costs(self, solver: cp_model.CpSolver) -> tuple[Violation, ...]:
        """Every penalty the solution pays, in users' words."""
        costs = []
        for penalty in self.penalties:
            amount = penalty.amount if isinstance(penalty.amount, int) else int(
                solver.value(penalty.amount))
            if amount > 0:
                costs.append(penalty.violation(amount))
        return tuple(costs)


def build_model(problem: RosterProblem, *, explain: bool = False) -> RosterModel:
    """The model of every rule family; in explanation mode hard rules hide behind guards.

    Explanation mode has no objective (it only asks whether the hard rules can hold together)
    and no symmetry breaking (which would make an explanation depend on officer order).
    """
    model = new_model()
    v = RosterVars(model=model, problem=problem, explain=explain,
                   excluded=frozenset() if explain else excluded_pairs(problem))
    penalties: list[Penalty] = []
    for family in FAMILIES:
        penalties += family(model, problem, v)
    if not explain:
        _break_symmetry(model, problem, v)
        model.minimize(penalty_sum(penalties))
    return RosterModel(problem=problem, model=model, vars=v, penalties=penalties)


def penalty_sum(penalties: list[Penalty]) -> cp_model.LinearExprT:
    """What ``penalties`` cost, weighted: the model's objective."""
    terms = [(p.amount, p.weight) for p in penalties if not isinstance(p.amount, int)]
    constant = sum(p.amount * p.weight for p in penalties if isinstance(p.amount, int))
    return cp_model.LinearExpr.weighted_sum([t for t, _ in terms],
                                            [w for _, w in terms]) + constant


def excluded_pairs(problem: RosterProblem) -> frozenset[tuple[str, str]]:
    """(officer, shift) pairs some hard rule rules out unconditionally."""
    by_agency: dict[str, list[Shift]] = defaultdict(list)
    for shift in sorted(problem.shifts, key=lambda s: (s.start, s.end, s.id)):
        by_agency[shift.agency_id].append(shift)

    def candidates(officer: Officer) -> list[Shift]:
        return by_agency.get(officer.agency_id, [])

    pairs: set[tuple[str, str]] = set()
    for rule in EXCLUSIONS:
        pairs |= rule(problem, candidates)
    return frozenset(pairs)


def _personal_facts(problem: RosterProblem) -> set[str]:
    """Officers with anything of their own: leave, requests, history, pins, a published roster."""
    personal = {a.officer_id for a in problem.absences}
    personal |= {r.officer_id for r in problem.requests}
    personal |= {p.officer_id for p in problem.history}
    personal |= {p.officer_id for p in problem.pins}
    if problem.published is not None:
        personal |= {o for o, _ in problem.published.assignments}
    return personal


def interchangeable_officers(problem: RosterProblem) -> list[list[Officer]]:
    """Groups of officers that any roster could swap without changing anything it costs."""
    personal = _personal_facts(problem)
    groups: dict[tuple, list[Officer]] = defaultdict(list)
    for officer in problem.officers:
        if officer.id in personal:
            continue
        fairness = tuple(g.name for g in problem.fair_spread if officer.id in g.officer_ids)
        key = (officer.agency_id, officer.side, officer.zone, officer.skills,
               officer.accredited_sides, officer.rules, fairness)
        groups[key].append(officer)
    return [g for g in groups.values() if len(g) > 1]


def heaviest_first(problem: RosterProblem, groups: list[list[Officer]],
                   values: dict[tuple[str, str], bool]) -> dict[tuple[str, str], bool]:
    """Interchangeable officers' rosters handed round so the heaviest goes first, as the
    whole model's symmetry breaking asks (``_break_symmetry``), for rosters found outside it:
    a window of the search, or the roster built officer by officer. Swapping the rosters of
    officers alike in every respect changes nothing the roster costs; a roster out of order
    is one the model refuses, as start and as what the polish fixes."""
    if not groups:
        return values
    shifts_of: dict[str, set[str]] = defaultdict(set)
    for (officer_id, shift_id), on in values.items():
        if on:
            shifts_of[officer_id].add(shift_id)
    for group in groups:
        rosters = sorted((shifts_of[o.id] for o in group), reverse=True,
                         key=lambda shifts: sum(problem.shift(s).minutes for s in shifts))
        for officer, roster in zip(group, rosters, strict=True):
            shifts_of[officer.id] = roster
    return {key: key[1] in shifts_of[key[0]] for key in values}


def _break_symmetry(model: cp_model.CpModel, problem: RosterProblem, v: RosterVars) -> None:
    """Order interchangeable officers by working minutes, so that search visits one of each
    set of rosters that differ only by who is who."""
    for group in interchangeable_officers(problem):
        loads = [minutes_worked(v, o.id, v.shifts_of(o.id)) for o in group]
        for heavier, lighter in zip(loads, loads[1:], strict=False):
            model.add(heavier >= lighter)
