"""Named objective terms: what a plan pays, in users' words and units.

The model's objective is an integer: ``OBJECTIVE_SCALE`` objective units make one cost unit
(the unit of the problem's weights). The scale is 4 slots an hour x 100 hundredths of a truck,
so a cost per hour charged on 15-minute slots and a cost per truck-hour charged on backlogs
counted in hundredths of a truck both come out as integers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from ortools.sat.python import cp_model

from solver.hours.problem import CENTI, SLOTS_PER_HOUR
from solver.rules import Violation

OBJECTIVE_SCALE = SLOTS_PER_HOUR * CENTI


@dataclass(frozen=True, slots=True, kw_only=True)
class Penalty:
    """``weight`` objective units per unit of ``expr``; ``per_unit`` units of ``expr`` make
    one ``unit`` of the rule (4 slots make an hour)."""

    rule: str
    subject: str
    day: date | None
    expr: cp_model.LinearExprT
    weight: int
    unit: str
    per_unit: int
    what: str

    def violation(self, value: int) -> Violation:
        amount = Fraction(value, self.per_unit)
        cost = Fraction(value * self.weight, OBJECTIVE_SCALE)
        on_day = f" on {self.day.isoformat()}" if self.day else ""
        return Violation(
            rule=self.rule,
            subject=self.subject,
            message=f"{self.subject}: {self.what}{on_day}: {float(amount):g} {self.unit}",
            day=self.day,
            amount=float(amount),
            cost=float(cost),
        )


def per_hour(
    rule: str, subject: str, day: date | None, slots: cp_model.LinearExprT, cost_per_hour: int,
    what: str, *, unit: str = "hours",
) -> Penalty:
    """A cost per hour on a count of 15-minute slots."""
    return Penalty(
        rule=rule, subject=subject, day=day, expr=slots,
        weight=cost_per_hour * OBJECTIVE_SCALE // SLOTS_PER_HOUR,
        unit=unit, per_unit=SLOTS_PER_HOUR, what=what,
    )


def per_event(
    rule: str, subject: str, day: date | None, count: cp_model.LinearExprT, cost_each: int,
    what: str, *, unit: str,
) -> Penalty:
    return Penalty(
        rule=rule, subject=subject, day=day, expr=count, weight=cost_each * OBJECTIVE_SCALE,
        unit=unit, per_unit=1, what=what,
    )


def per_truck_hour(
    rule: str, subject: str, day: date | None, centi_slots: cp_model.LinearExprT,
    cost_per_truck_hour: int, what: str,
) -> Penalty:
    """A cost per truck-hour on a sum of backlogs (hundredths of a truck) over slots."""
    return Penalty(
        rule=rule, subject=subject, day=day, expr=centi_slots, weight=cost_per_truck_hour,
        unit="truck-hours", per_unit=OBJECTIVE_SCALE, what=what,
    )
