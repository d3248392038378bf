"""The user-facing name of every opening-hours rule and cost, defined once.

Constraint modules, the independent checker, the explanations and the service's rule
settings all speak of a rule by these names, so a cost in a solution, a finding of the
checker and a line of an infeasibility explanation match by name. Vocabulary only: no
modelling code, which is why the checker may import it.
"""

from __future__ import annotations

MANDATORY = "Mandatory opening window"
NEVER_OPEN = "Never-open window"
NEIGHBOUR_CLOSURE = "Neighbour's published closure"
NEIGHBOUR_REDUCED = "Neighbour's reduced hours"
CLOSED_ON_HOLIDAYS = "Closed on public holidays"
CLOSED_ON_WEEKENDS = "Closed on weekends"
DATE_RANGED_HOURS = "Date-ranged hours"
MAX_BLOCKS = "Opening blocks per day"
MIN_BLOCK = "Minimum opening block"
MIN_FRAGMENT = "No fragment shorter than an hour"
STAFFING_DAY = "Staffing capacity per day"
STAFFING_WEEK = "Staffing capacity per week"
STAFFING_PLAN = "Staffing capacity over the plan"
STAFF_BUDGET = "Staff-hour budget"
JOINT_CONTROLS = "Joint controls open and close together"
CORRELATION_SHARE = "Counterparts open together (share)"
CORRELATION_OVERLAP = "Counterparts open together (daily overlap)"
DEPENDENCY = "Agencies a category needs open with customs"
NOTICE = "Changes to published hours need notice"
PAST = "Published hours already in the past"
STAFF_HOURS = "Staff hours"
OUT_OF_HOURS = "Out-of-hours premium"
FRAGMENTATION = "Opening blocks (fragmentation)"
WAITING = "Expected truck waiting"
MAX_WAIT = "Maximum wait"

# Stable keys for configuration rows (the service's rule settings); values are the names above.
RULE_KEYS: dict[str, str] = {
    "mandatory": MANDATORY,
    "never_open": NEVER_OPEN,
    "neighbour_closure": NEIGHBOUR_CLOSURE,
    "neighbour_reduced": NEIGHBOUR_REDUCED,
    "closed_on_holidays": CLOSED_ON_HOLIDAYS,
    "closed_on_weekends": CLOSED_ON_WEEKENDS,
    "date_ranged_hours": DATE_RANGED_HOURS,
    "max_blocks": MAX_BLOCKS,
    "min_block": MIN_BLOCK,
    "min_fragment": MIN_FRAGMENT,
    "staffing_day": STAFFING_DAY,
    "staffing_week": STAFFING_WEEK,
    "staffing_plan": STAFFING_PLAN,
    "staff_budget": STAFF_BUDGET,
    "joint_controls": JOINT_CONTROLS,
    "correlation_share": CORRELATION_SHARE,
    "correlation_overlap": CORRELATION_OVERLAP,
    "dependency": DEPENDENCY,
    "notice": NOTICE,
    "staff_hours": STAFF_HOURS,
    "out_of_hours": OUT_OF_HOURS,
    "fragmentation": FRAGMENTATION,
    "waiting": WAITING,
    "max_wait": MAX_WAIT,
}
