"""Bad input, reported so that a person can fix it: where, which field, what is wrong, what to do."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One problem with one value. ``location`` is ``line 12`` / ``row 5`` / a JSON pointer."""

    field: str
    message: str
    fix: str = ""
    source: str = ""
    location: str = ""

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.source, self.location) if part)
        text = f"{where}: " if where else ""
        text += f"{self.field}: {self.message}"
        if self.fix:
            text += f" - {self.fix}"
        return text

    def as_dict(self) -> dict[str, str]:
        return {
            "source": self.source,
            "location": self.location,
            "field": self.field,
            "message": self.message,
            "fix": self.fix,
        }


class InvalidInput(ValueError):
    """Raised by services when input cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[InputProblem], summary: str = "") -> None:
        self.problems = tuple(problems)
        self.summary = summary or f"{len(self.problems)} problem(s) in the input"
        super().__init__(self.summary + "".join(f"\n  {problem}" for problem in self.problems))


class NotFound(LookupError):
    """A named object (post, plan, officer ...) does not exist, or the user may not see it."""


class Conflict(RuntimeError):
    """The request collides with the current state (a slot just taken, a stale version)."""

    def __init__(self, message: str, detail: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.detail = detail or {}
