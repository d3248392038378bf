"""The user-facing name of every joint-inspection rule, defined once.

Constraint modules, the independent checker, the offers and the explanations all speak of a
rule by these names, so a cost in a plan, a finding of the checker, a blocker of an offer and a
line of an explanation can be matched by name. Vocabulary only: no modelling code lives here,
which is why the checker may import it.
"""

from __future__ import annotations

from typing import Literal

JOINT_SLOT = "Joint inspection slot"
OFFICE_HOURS = "Within office hours"
SEQUENCE = "Exit controls before entry controls"
NOTICE = "Notice period"
MAX_WAIT = "Maximum wait"
QUEUE_ORDER = "Priority order and quotas"
NO_DOUBLE_BOOKING = "No officer or bay double-booked"
WAITING = "Waiting from arrival"
INSPECTED = "Consignments inspected"
BOOKING_GRID = "Slot on the booking grid"
HORIZON = "Within the planning horizon"

# How the selecting agencies of both sides meet the consignment: all at once, or one side
# after the other ("exit_first" is the legal default order, "entry_first" the reversal of
# controls). "separate" is the uncoordinated practice the baseline reproduces: every agency
# on its own, one after another.
Mode = Literal["joint", "exit_first", "entry_first", "separate"]
SEQUENTIAL_MODES: tuple[Mode, ...] = ("exit_first", "entry_first")
