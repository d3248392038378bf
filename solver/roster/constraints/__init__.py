"""One module per rule family, all with the signature ``add_<family>(model, problem, vars)``.

Each returns the soft penalty terms it created; hard parts go straight into the model (and,
in explanation mode, behind a named guard literal per rule and scope). The order is the order
in which rules are listed to users: the hard backbone first, then what usually is soft.
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from solver.roster.constraints import (
    accreditation,
    leave,
    night_work,
    pins,
    shift_type_limits,
    skills,
)
from solver.roster.constraints.accreditation import add_accreditation
from solver.roster.constraints.average_hours import add_average_hours
from solver.roster.constraints.consecutive_days import add_consecutive_days
from solver.roster.constraints.coverage import add_coverage
from solver.roster.constraints.days_off import add_days_off
from solver.roster.constraints.fairness import add_fair_spread
from solver.roster.constraints.leave import add_leave
from solver.roster.constraints.night_work import add_night_work
from solver.roster.constraints.one_shift_per_day import add_one_shift_per_day
from solver.roster.constraints.overtime import add_overtime
from solver.roster.constraints.pins import add_pins
from solver.roster.constraints.published import add_published
from solver.roster.constraints.requests import add_requests
from solver.roster.constraints.rest import add_min_rest
from solver.roster.constraints.shift_type_limits import add_shift_type_limits
from solver.roster.constraints.skills import add_skills
from solver.roster.constraints.successions import add_successions
from solver.roster.constraints.weekends import add_weekends
from solver.roster.constraints.weekly_rest import add_weekly_rest
from solver.roster.constraints.working_time import add_working_time
from solver.roster.problem import RosterProblem
from solver.roster.variables import Candidates, Penalty, RosterVars

Family = Callable[[cp_model.CpModel, RosterProblem, RosterVars], list[Penalty]]
Exclusion = Callable[[RosterProblem, Candidates], set[tuple[str, str]]]

# Hard rules that rule an (officer, shift) pair out whatever else happens: outside explanation
# mode the model leaves those pairs out altogether rather than create and fix them, which on
# the year-long benchmark instances removes most of the variables.
EXCLUSIONS: tuple[Exclusion, ...] = (
    skills.excluded,
    accreditation.excluded,
    leave.excluded,
    shift_type_limits.excluded,
    night_work.excluded,
    pins.excluded,
)

FAMILIES: tuple[Family, ...] = (
    add_one_shift_per_day,
    add_skills,
    add_accreditation,
    add_leave,
    add_pins,
    add_min_rest,
    add_successions,
    add_shift_type_limits,
    add_working_time,
    add_consecutive_days,
    add_days_off,
    add_weekends,
    add_weekly_rest,
    add_average_hours,
    add_night_work,
    add_coverage,
    add_requests,
    add_fair_spread,
    add_overtime,
    add_published,
)
