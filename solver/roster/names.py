"""The user-facing name of every rostering rule, defined once.

The model's constraint modules, the independent checker and the explanations all speak of a
rule by these names, so a cost in a solution, a finding of the checker and a line of an
infeasibility explanation can be matched by name. This module is vocabulary only: it holds no
modelling code, which is why the checker may import it.
"""

from __future__ import annotations

ONE_SHIFT_PER_DAY = "One shift per day"
NO_OVERLAP = "No overlapping shifts"
MIN_REST = "Minimum rest between shifts"
SUCCESSIONS = "Forbidden shift successions"
SHIFT_TYPE_LIMITS = "Maximum shifts of each type"
WORKING_TIME = "Working time per period"
MAX_CONSECUTIVE_DAYS = "Maximum consecutive working days"
MIN_CONSECUTIVE_DAYS = "Minimum consecutive working days"
MIN_DAYS_OFF = "Minimum consecutive days off"
WEEKENDS = "Maximum weekends worked"
WEEKLY_REST = "Weekly rest"
AVERAGE_HOURS = "Average weekly hours"
MAX_NIGHTS = "Maximum night shifts"
MAX_CONSECUTIVE_NIGHTS = "Maximum consecutive night shifts"
NIGHT_SHIFT_LENGTH = "Maximum night shift length"
SKILLS = "Skills and qualifications"
LEAVE = "Leave and absences"
ACCREDITATION = "Cross-border accreditation"
PINS = "Pinned shifts"
REQUESTS = "Shift on and off requests"
FAIR_SPREAD = "Fair spread"
OVERTIME = "Overtime"
PUBLISHED_CHANGES = "Changes to the published roster"
COVER_UNDER = "Staffing below demand"
COVER_OVER = "Staffing above demand"
