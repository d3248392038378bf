"""A soft rule's price in the model: a named amount, paid at a weight per unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model

from solver.rules import Violation
from solver.timeutil import utc_to_local

from .problem import InspectionRequest, PostSite


@dataclass(frozen=True, slots=True)
class Penalty:
    """``weight`` per unit of ``amount`` (an expression of the model's variables).

    ``message`` is what the plan says when the amount is positive, with ``{amount}`` standing
    for its value, so every point of the objective can be read back in users' words.
    """

    rule: str
    subject: str
    message: str
    weight: int
    amount: cp_model.LinearExprT
    day: date | None = None

    def violation(self, amount: int) -> Violation:
        return Violation(
            rule=self.rule,
            subject=self.subject,
            message=self.message.format(amount=amount),
            day=self.day,
            amount=amount,
            cost=self.weight * amount,
        )


def arrival_day(site: PostSite, request: InspectionRequest) -> date:
    """The local day at the facility a consignment's penalties are filed under."""
    return utc_to_local(request.expected_arrival, site.side(request.facility).zone).date()
