"""Every rule family of the hours engine, in the order the model adds them.

Each module has a ``NAME`` in users' words and one function with the shared signature
``add_<family>(model, problem, vars) -> list[Penalty]``: hard parts go into the model (guarded
by named assumptions when explaining), soft parts and costs come back as named terms.
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from solver.hours.constraints.blocks import add_blocks
from solver.hours.constraints.calendar import add_calendar
from solver.hours.constraints.capacity import add_capacity
from solver.hours.constraints.correlation import add_correlation
from solver.hours.constraints.costs import add_costs
from solver.hours.constraints.dependency import add_dependency
from solver.hours.constraints.joint import add_joint_controls
from solver.hours.constraints.neighbour import add_neighbour
from solver.hours.constraints.notice import add_notice
from solver.hours.constraints.waiting import add_waiting
from solver.hours.constraints.windows import add_windows
from solver.hours.penalties import Penalty
from solver.hours.problem import HoursProblem
from solver.hours.variables import HoursVars

Family = Callable[[cp_model.CpModel, HoursProblem, HoursVars], list[Penalty]]

FAMILIES: tuple[Family, ...] = (
    add_windows,
    add_neighbour,
    add_calendar,
    add_notice,
    add_joint_controls,
    add_correlation,
    add_dependency,
    add_blocks,
    add_capacity,
    add_costs,
    add_waiting,
)
