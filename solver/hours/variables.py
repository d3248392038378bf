"""The decision variables of the hours model, and the hard rules they are bound by.

Each office has one open/closed literal per plan slot. Slots that must move together share
one literal: the slots of one step of an office that opens and closes on whole half hours or
hours of its local clock, and the slots of two juxtaposed offices with hard joint controls.
Sharing literals instead of linking them keeps the model small and its relaxation tight.

When the model is built to explain an infeasibility, every hard rule is guarded by an
assumption literal named after the rule and its subject, and no literals are shared, so that
CP-SAT can name a small set of rules that cannot hold together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ortools.sat.python import cp_model

from solver.hours.problem import SLOT, SLOT_MINUTES, HoursProblem, Office
from solver.timeutil import local_grid

Literal = cp_model.IntVar | int


@dataclass(frozen=True, slots=True)
class HardRule:
    """A hard rule as an explanation names it."""

    rule: str
    subject: str
    day: date | None
    message: str


class _Groups:
    """Union-find over (office, slot) positions."""

    def __init__(self, size: int) -> None:
        self._parent = list(range(size))

    def find(self, node: int) -> int:
        parent = self._parent
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union_all(self, nodes: range) -> None:
        root = self.find(nodes[0])
        parent = self._parent
        for node in nodes:
            other = self.find(node)
            if other != root:
                low, high = min(root, other), max(root, other)
                parent[high] = low
                root = low

    def union(self, first: int, second: int) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self._parent[max(a, b)] = min(a, b)


class HoursVars:
    def __init__(self, model: cp_model.CpModel, problem: HoursProblem, *, explain: bool = False):
        self.model = model
        self.problem = problem
        self.explain = explain
        self.hard_rules: dict[HardRule, cp_model.IntVar] = {}
        self._transitions: dict[tuple[int, int], tuple[Literal, Literal]] = {}
        self.merged: frozenset[frozenset[str]] = frozenset()
        # Filled by the waiting family: per flow, its queue groups (see constraints.waiting).
        self.queues: dict[str, list] = {}
        self.open: dict[str, tuple[cp_model.IntVar, ...]] = self._make_open()

    def _make_open(self) -> dict[str, tuple[cp_model.IntVar, ...]]:
        problem = self.problem
        slots = problem.plan_slots
        index = {office.id: position for position, office in enumerate(problem.offices)}
        groups = _Groups(len(problem.offices) * slots)
        for office in problem.offices:
            base = index[office.id] * slots
            for slot, shared in enumerate(shares_step(problem, office)):
                if shared:
                    groups.union(base + slot - 1, base + slot)
        if not self.explain:
            for office in problem.offices:
                if open_throughout(problem, office):
                    base = index[office.id] * slots
                    groups.union_all(range(base, base + slots))
        merged = set()
        if not self.explain:
            for first, second in problem.counterpart_pairs():
                if first.joint_controls and problem.joint_rule_of(first, second).hard:
                    merged.add(frozenset((first.id, second.id)))
                    for slot in range(slots):
                        groups.union(index[first.id] * slots + slot, index[second.id] * slots + slot)
        self.merged = frozenset(merged)
        literals: dict[int, cp_model.IntVar] = {}
        result = {}
        for office in problem.offices:
            row = []
            for slot in range(slots):
                root = groups.find(index[office.id] * slots + slot)
                if root not in literals:
                    literals[root] = self.model.new_bool_var(f"open[{office.id}][{slot}]")
                row.append(literals[root])
            result[office.id] = tuple(row)
        return result

    def state(self, office_id: str, slot: int) -> Literal:
        """Open or closed at any slot of the grid: a literal in the plan, a constant after."""
        if slot < self.problem.plan_slots:
            return self.open[office_id][slot]
        return int(self.problem.runout_open[office_id][slot - self.problem.plan_slots])

    def require(self, constraint: cp_model.Constraint, rule: HardRule) -> None:
        """Keep ``constraint`` hard; when explaining, guard it by the rule's assumption."""
        if not self.explain:
            return
        literal = self.hard_rules.get(rule)
        if literal is None:
            literal = self.model.new_bool_var(f"assume[{rule.rule}][{rule.subject}][{rule.day}]")
            self.hard_rules[rule] = literal
        constraint.only_enforce_if(literal)

    def transitions(self, office_id: str) -> tuple[list[Literal], list[Literal]]:
        """Per plan slot, whether a block starts (opens after being closed) or stops there.

        Nothing starts in the first slot: a block open when the plan begins continues from
        before it.
        """
        row = self.open[office_id]
        starts: list[Literal] = [0]
        stops: list[Literal] = [0]
        for slot in range(1, len(row)):
            before, now = row[slot - 1], row[slot]
            if before.index == now.index:
                starts.append(0)
                stops.append(0)
                continue
            key = (before.index, now.index)
            if key not in self._transitions:
                start = self.model.new_bool_var(f"start[{office_id}][{slot}]")
                stop = self.model.new_bool_var(f"stop[{office_id}][{slot}]")
                self.model.add(now - before == start - stop)
                self.model.add(start + stop <= 1)
                self._transitions[key] = (start, stop)
            start, stop = self._transitions[key]
            starts.append(start)
            stops.append(stop)
        return starts, stops

    def values(self, solver: cp_model.CpSolver) -> dict[str, tuple[bool, ...]]:
        return {
            office_id: tuple(bool(solver.boolean_value(literal)) for literal in row)
            for office_id, row in self.open.items()
        }


def open_throughout(problem: HoursProblem, office: Office) -> bool:
    """Open 24/7 by a hard rule, and nothing that could close it: one literal suffices."""
    return (
        office.always_open
        and office.mandatory_rule.hard
        and not office.never_open
        and not any(closure.applies_to(office) for closure in problem.neighbour_closures)
    )


def shares_step(problem: HoursProblem, office: Office) -> list[bool]:
    """Per plan slot, whether it belongs to the same decision step as the slot before: an
    office that opens on whole half hours or hours of its local clock cannot change there."""
    slots = problem.plan_slots
    if office.step_minutes == SLOT_MINUTES:
        return [False] * slots
    clock = local_grid(problem.grid_start, slots, SLOT, office.zone)
    keys = [_step_key(local, office.step_minutes) for local in clock]
    return [slot > 0 and keys[slot] == keys[slot - 1] for slot in range(slots)]


def _step_key(local: datetime, step_minutes: int) -> tuple[object, ...]:
    minute = local.hour * 60 + local.minute
    return (local.date(), minute // step_minutes, local.utcoffset())
