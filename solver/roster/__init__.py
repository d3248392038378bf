"""Staff rostering: officers of every agency at a post, on both sides, under labour law.

Entry points:

* ``solve(problem, config, on_progress=None) -> RosterSolution``
* ``check(problem, solution) -> CheckReport`` (the independent checker)
* ``explain_infeasible(problem, config) -> Explanation``
* ``replan(problem, disruption, config) -> (RosterSolution, RosterDiff)``

The problem and solution types live in ``problem``; ``prepare`` turns local, wall-clock
descriptions (templates, leave days, demand profiles) into the UTC facts a problem holds.
"""

from solver.roster.checker import CheckReport, check, check_assignments
from solver.roster.explain import Explanation, explain_infeasible, feasible_without
from solver.roster.problem import (
    Absence,
    Agency,
    Assignment,
    AverageHours,
    FairSpread,
    Holiday,
    IntervalCover,
    Limit,
    MinutesWindow,
    Office,
    Officer,
    OfficerRules,
    Overtime,
    PastShift,
    Pin,
    PublishedRoster,
    RosterProblem,
    RosterSolution,
    Shift,
    ShiftCover,
    ShiftRequest,
    ShiftTemplate,
    Succession,
    TemplateLimit,
)
from solver.roster.replan import (
    AssignmentChange,
    DemandChange,
    OfficerUnavailable,
    RosterDiff,
    replan,
)
from solver.roster.solve import solve

__all__ = [
    "Absence", "Agency", "Assignment", "AssignmentChange", "AverageHours", "CheckReport",
    "DemandChange", "Explanation", "FairSpread", "Holiday", "IntervalCover", "Limit",
    "MinutesWindow", "Office", "Officer", "OfficerRules", "OfficerUnavailable", "Overtime",
    "PastShift", "Pin", "PublishedRoster", "RosterDiff", "RosterProblem", "RosterSolution",
    "Shift", "ShiftCover", "ShiftRequest", "ShiftTemplate", "Succession", "TemplateLimit",
    "check", "check_assignments", "explain_infeasible", "feasible_without", "replan", "solve",
]
