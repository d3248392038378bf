"""What every engine shares: how a solve is configured and what it reports about itself."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

SolveStatus = Literal["optimal", "feasible", "infeasible", "unknown", "model_invalid"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SolverConfig:
    """Reproducibility knobs recorded with every plan.

    The same problem, seed, workers and a deterministic time budget give the same plan, so
    ``deterministic`` asks CP-SAT to interleave its workers deterministically (slower, but
    replayable); production solves leave it off and record the seed anyway.
    """

    time_limit_seconds: float = 30.0
    workers: int = 2
    seed: int = 1
    deterministic: bool = False
    log_search_progress: bool = False

    def __post_init__(self) -> None:
        if not self.time_limit_seconds > 0:
            raise ValueError("time_limit_seconds must be positive")
        if self.workers < 1:
            raise ValueError("workers must be at least 1")


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgressPoint:
    """One improving solution seen during search; the plan page draws these."""

    seconds: float
    objective: float
    bound: float


ProgressCallback = Callable[[ProgressPoint], None]


@dataclass(frozen=True, slots=True, kw_only=True)
class SolveStats:
    """What a plan records about the solve that made it."""

    engine: str
    status: SolveStatus
    objective: float | None
    best_bound: float | None
    seed: int
    time_limit_seconds: float
    workers: int
    wall_seconds: float
    progress: tuple[ProgressPoint, ...] = field(default=())

    @property
    def gap(self) -> float | None:
        """Relative gap between objective and bound, 0 for a proven optimum."""
        return relative_gap(self.objective, self.best_bound)

    def as_dict(self) -> dict[str, object]:
        return {
            "engine": self.engine,
            "status": self.status,
            "objective": self.objective,
            "best_bound": self.best_bound,
            "gap": self.gap,
            "seed": self.seed,
            "time_limit_seconds": self.time_limit_seconds,
            "workers": self.workers,
            "wall_seconds": self.wall_seconds,
            "progress": [
                {"seconds": p.seconds, "objective": p.objective, "bound": p.bound}
                for p in self.progress
            ],
        }


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None or math.isnan(objective) or math.isnan(bound):
        return None
    if objective == bound:
        return 0.0
    return abs(objective - bound) / max(abs(objective), 1e-9)
