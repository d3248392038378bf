"""Minimum rest between shifts, measured in real time (across midnight, DST and zones)."""

from __future__ import annotations

from datetime import date

from solver.roster import names
from solver.roster.prepare import past_shift
from solver.roster.problem import Agency, Limit, Office
from solver.rules import Enforcement

from .conftest import (
    EARLY,
    LATE,
    NIGHT,
    OFFICE,
    assert_costs,
    assert_infeasible,
    cover,
    day,
    make_problem,
    officer,
    solve_checked,
    template,
)

ELEVEN_HOURS = Limit(value=11 * 60)


def test_late_then_early_next_day_breaks_eleven_hours_rest():
    problem = make_problem([officer("amani", min_rest_minutes=ELEVEN_HOURS)],
                           templates=(EARLY, LATE),
                           shift_cover=cover(LATE, [0]) + cover(EARLY, [1]))
    assert_infeasible(problem)  # 22:00 to 06:00 is 8 h


def test_a_night_ending_as_the_early_shift_starts_leaves_no_rest():
    # The night of day 0 ends at 06:00 on day 1, when day 1's early shift starts.
    amani = officer("amani", min_rest_minutes=ELEVEN_HOURS)
    back_to_back = make_problem([amani], templates=(EARLY, NIGHT),
                                shift_cover=cover(NIGHT, [0]) + cover(EARLY, [1]))
    assert_infeasible(back_to_back)
    a_day_apart = make_problem([amani], templates=(EARLY, NIGHT),
                               shift_cover=cover(NIGHT, [0]) + cover(EARLY, [2]))
    assert solve_checked(a_day_apart).status == "optimal"


def test_soft_rest_pays_per_pair_too_close():
    amani = officer("amani", min_rest_minutes=Limit(value=660, enforcement=Enforcement.soft(5)))
    problem = make_problem([amani], templates=(EARLY, LATE),
                           shift_cover=cover(LATE, [0, 2]) + cover(EARLY, [1, 3]))
    assert_costs(problem, 10, names.MIN_REST)


def test_rest_counts_real_hours_across_the_spring_dst_change():
    # Sofia moves clocks forward on Sunday 30 March 2025: 22:00 Saturday to 06:00 Sunday is
    # 7 real hours that night, 8 hours a week earlier.
    bulgaria = Agency(id="customs-bg", name="Customs BG", side="BG")
    sofia = Office(id="kapitan-andreevo", name="Kapitan Andreevo", zone="Europe/Sofia",
                   zone_side="BG")
    late = template("late", 14, 8, office=sofia, agency=bulgaria)
    early = template("early", 6, 8, office=sofia, agency=bulgaria)
    eight_hours = Limit(value=8 * 60)

    def weekend(start: date) -> object:
        ivan = officer("ivan", agency=bulgaria, side="BG", zone="Europe/Sofia",
                       min_rest_minutes=eight_hours)
        return make_problem([ivan], templates=(late, early), start=start, days=2,
                            offices=(sofia,), agencies=(bulgaria,),
                            shift_cover=cover(late, [0], start=start)
                            + cover(early, [1], start=start))

    assert solve_checked(weekend(date(2025, 3, 22))).status == "optimal"
    assert_infeasible(weekend(date(2025, 3, 29)))


def test_rest_reaches_back_into_the_history():
    history = (past_shift("amani", LATE, OFFICE, day(-1)),)
    problem = make_problem([officer("amani", min_rest_minutes=ELEVEN_HOURS)],
                           templates=(EARLY, LATE), shift_cover=cover(EARLY, [0]),
                           history=history, history_days=1)
    assert_infeasible(problem)
