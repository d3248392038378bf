"""Vocabulary every engine uses to name its rules, their weights and what they cost.

A rule is enforced either hard (never broken; if it cannot hold, the plan is infeasible and
the explanation names it) or soft (it may be broken at ``weight`` per unit, and the
solution lists every unit it paid). Names are what users read, so they are written in
users' words: "Minimum rest between shifts", not "rest_ct".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True, kw_only=True)
class Enforcement:
    """How strongly a rule holds: hard, or soft at ``weight`` per unit of violation."""

    hard: bool = True
    weight: int = 0

    def __post_init__(self) -> None:
        if self.weight < 0:
            raise ValueError("a rule's weight cannot be negative")
        if not self.hard and self.weight == 0:
            raise ValueError("a soft rule needs a positive weight, or it means nothing")

    @classmethod
    def soft(cls, weight: int) -> Enforcement:
        return cls(hard=False, weight=weight)


HARD = Enforcement()


@dataclass(frozen=True, slots=True, kw_only=True)
class Violation:
    """One thing a plan pays for, or one reason it cannot exist, in users' words.

    ``rule`` is the rule's user-facing name; ``subject`` who or what it concerns (an officer,
    an office, a bay); ``day`` the local day it concerns, if any; ``amount`` the size of the
    violation in the rule's unit (minutes, shifts, trucks) and ``cost`` what it added to the
    objective (0 for explanations of infeasibility).
    """

    rule: str
    subject: str
    message: str
    day: date | None = None
    amount: float = 0
    cost: float = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "subject": self.subject,
            "message": self.message,
            "day": self.day.isoformat() if self.day else None,
            "amount": self.amount,
            "cost": self.cost,
        }
