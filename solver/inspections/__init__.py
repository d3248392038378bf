"""Joint inspections (issue 5): one slot for every selecting agency of both countries.

Public entry points:

* ``plan_batch(problem, config, on_progress=None) -> BatchSolution``: a day's or a week's
  requests planned with CP-SAT (interval variables, no overlap per officer and bay).
* ``find_offers(request, availability, now, max_offers=3) -> OffersResult``: the best few
  joint slots for one request, by interval sweep (the booking service's hot path), with what
  blocks and what would unblock when there is none.
* ``check_booking(request, inspection, availability, now=...)`` and ``check(problem,
  solution)``: the independent checker.
* ``uncoordinated_plan(problem)``: the first-come-first-served, agency-by-agency baseline.
* ``add_working_days(...)``: the working-day calculator behind notice periods.
"""

from .checker import CheckReport, check, check_booking
from .greedy import ListPlan, greedy_plan, uncoordinated_plan
from .offers import OffersResult, Remedy, find_offers
from .problem import (
    Agency,
    Attendance,
    Availability,
    BatchSolution,
    Bay,
    ExistingBooking,
    FieldError,
    InspectionProblem,
    InspectionRequest,
    InspectionRules,
    InvalidInput,
    KpiReport,
    NoticeRule,
    Office,
    Officer,
    OutOfHoursCharge,
    PlannedInspection,
    PlannedPart,
    PostSite,
    PriorityClass,
    Selection,
    Side,
    StageTimes,
    Statistic,
    UninspectedRequest,
    Window,
)
from .solve import plan_batch, solve
from .workdays import add_working_days, is_working_day

__all__ = [
    "Agency",
    "Attendance",
    "Availability",
    "BatchSolution",
    "Bay",
    "CheckReport",
    "ExistingBooking",
    "FieldError",
    "InspectionProblem",
    "InspectionRequest",
    "InspectionRules",
    "InvalidInput",
    "KpiReport",
    "ListPlan",
    "NoticeRule",
    "OffersResult",
    "Office",
    "Officer",
    "OutOfHoursCharge",
    "PlannedInspection",
    "PlannedPart",
    "PostSite",
    "PriorityClass",
    "Remedy",
    "Selection",
    "Side",
    "StageTimes",
    "Statistic",
    "UninspectedRequest",
    "Window",
    "add_working_days",
    "check",
    "check_booking",
    "find_offers",
    "greedy_plan",
    "is_working_day",
    "plan_batch",
    "solve",
    "uncoordinated_plan",
]
