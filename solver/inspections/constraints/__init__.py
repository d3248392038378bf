"""The joint-inspection rules, one module per family, all with the same signature.

``add_<family>(model, problem, vars) -> list[Penalty]``: hard parts go into the model, soft
parts come back as named penalties. ``FAMILIES`` lists them in the order the model is built;
the objective is the value of the consignments inspected minus every penalty.
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from ..penalties import Penalty
from ..problem import InspectionProblem
from ..variables import BatchVars
from .double_booking import add_no_double_booking
from .inspected import add_inspected
from .joint_slot import add_joint_slot
from .max_wait import add_max_wait
from .notice import add_notice
from .office_hours import add_office_hours
from .queue_order import add_queue_order
from .sequence import add_sequence
from .waiting import add_waiting

Family = Callable[[cp_model.CpModel, InspectionProblem, BatchVars], list[Penalty]]

FAMILIES: tuple[Family, ...] = (
    add_joint_slot,
    add_no_double_booking,
    add_office_hours,
    add_notice,
    add_sequence,
    add_max_wait,
    add_queue_order,
    add_waiting,
    add_inspected,
)

__all__ = [
    "FAMILIES",
    "Family",
    "add_inspected",
    "add_joint_slot",
    "add_max_wait",
    "add_no_double_booking",
    "add_notice",
    "add_office_hours",
    "add_queue_order",
    "add_sequence",
    "add_waiting",
]
