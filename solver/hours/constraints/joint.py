"""Juxtaposed offices that carry out joint controls open and close together (RKC Transitional
Standard 3.4): hard, by sharing one literal per slot, or soft per hour one is open alone."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.hours import names
from solver.hours.penalties import Penalty, per_hour
from solver.hours.problem import HoursProblem
from solver.hours.variables import HardRule, HoursVars

NAME = "Joint controls open and close together"


def add_joint_controls(
    model: cp_model.CpModel, problem: HoursProblem, vars: HoursVars
) -> list[Penalty]:
    penalties: list[Penalty] = []
    for first, second in problem.counterpart_pairs():
        if not first.joint_controls or frozenset((first.id, second.id)) in vars.merged:
            continue
        rule = problem.joint_rule_of(first, second)
        subject = f"{first.name} / {second.name}"
        mismatches = []
        for a, b in zip(vars.open[first.id], vars.open[second.id], strict=True):
            if a.index == b.index:
                continue
            if rule.hard:
                vars.require(
                    model.add(a == b),
                    HardRule(names.JOINT_CONTROLS, subject, None,
                             f"{first.name} and {second.name} carry out joint controls and "
                             "open and close together"),
                )
            else:
                alone = model.new_bool_var(f"alone[{first.id}][{second.id}][{len(mismatches)}]")
                model.add(a - b <= alone)
                model.add(b - a <= alone)
                mismatches.append(alone)
        if mismatches:
            penalties.append(per_hour(names.JOINT_CONTROLS, subject, None, sum(mismatches),
                                      rule.weight, "one open without the other"))
    return penalties
