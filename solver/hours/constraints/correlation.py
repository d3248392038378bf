"""Correlated hours of counterpart offices across the border (RKC Standard 3.3, WTO TFA
8.2(a)): on every local day of the pair's first office, the two are open together for at
least a share of each one's open time, and, on a day either of them opens, for at least a
minimum overlap (capped at the length of that day)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.hours import names
from solver.hours.constraints.common import distinct, weighted_count
from solver.hours.penalties import Penalty, per_hour
from solver.hours.problem import SLOT_MINUTES, HoursProblem, Office
from solver.hours.variables import HardRule, HoursVars

NAME = "Counterpart offices open together"


def add_correlation(model: cp_model.CpModel, problem: HoursProblem, vars: HoursVars) -> list[Penalty]:
    penalties: list[Penalty] = []
    for first, second in problem.counterpart_pairs():
        rule = problem.correlation_of(first, second)
        if rule is None or (rule.min_share_percent == 0 and rule.min_overlap_minutes == 0):
            continue
        together = _together(model, vars, first, second)
        a, b = vars.open[first.id], vars.open[second.id]
        subject = f"{first.name} / {second.name}"
        for day in problem.office_days[first.id]:
            slots = range(day.first_slot, day.end_slot)
            if not slots:
                continue
            overlap = weighted_count(together[slot] for slot in slots)
            share = rule.min_share_percent
            if share:
                opened = [weighted_count(row[slot] for slot in slots) for row in (a, b)]
                penalties += _at_least(
                    model, vars, 100 * overlap, [share * count for count in opened], 100,
                    rule.share.hard, rule.share.weight, len(slots),
                    HardRule(names.CORRELATION_SHARE, subject, day.day,
                             f"{first.name} and {second.name} are open together for at "
                             f"least {share}% of their hours on {day.day.isoformat()}"),
                )
            minimum = min(rule.min_overlap_minutes // SLOT_MINUTES, len(slots))
            if minimum:
                active = model.new_bool_var(f"pair_active[{first.id}][{second.id}][{day.day}]")
                for literal in distinct([a[slot] for slot in slots] + [b[slot] for slot in slots]):
                    model.add_implication(literal, active)
                penalties += _at_least(
                    model, vars, overlap, [minimum * active], 1, rule.overlap.hard,
                    rule.overlap.weight, len(slots),
                    HardRule(names.CORRELATION_OVERLAP, subject, day.day,
                             f"{first.name} and {second.name} are open together at least "
                             f"{rule.min_overlap_minutes} minutes on {day.day.isoformat()}"),
                )
    return penalties


def _together(
    model: cp_model.CpModel, vars: HoursVars, first: Office, second: Office
) -> list[cp_model.IntVar]:
    result = []
    made: dict[tuple[int, int], cp_model.IntVar] = {}
    for slot, (a, b) in enumerate(zip(vars.open[first.id], vars.open[second.id], strict=True)):
        if a.index == b.index:
            result.append(a)
            continue
        both = made.get((a.index, b.index))
        if both is None:
            both = model.new_bool_var(f"together[{first.id}][{second.id}][{slot}]")
            model.add_implication(both, a)
            model.add_implication(both, b)
            made[a.index, b.index] = both
        result.append(both)
    return result


def _at_least(
    model: cp_model.CpModel,
    vars: HoursVars,
    have: cp_model.LinearExprT,
    needs: list[cp_model.LinearExprT],
    scale: int,
    hard: bool,
    weight: int,
    max_short: int,
    rule: HardRule,
) -> list[Penalty]:
    """``have >= need`` for every need (all in ``scale`` x slots); soft: the largest
    shortfall, rounded up to whole slots."""
    if hard:
        for need in needs:
            vars.require(model.add(have >= need), rule)
        return []
    short = model.new_int_var(0, max_short, f"short[{rule.rule}][{rule.subject}][{rule.day}]")
    for need in needs:
        model.add(have + scale * short >= need)
    return [per_hour(rule.rule, rule.subject, rule.day, short, weight, "hours open together missing")]

