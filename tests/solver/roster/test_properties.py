"""Property tests: whatever the solver returns on random small problems, the checker agrees."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.roster.prepare import absence_for_days
from solver.roster.problem import (
    AverageHours,
    Limit,
    MinutesWindow,
    Overtime,
    ShiftRequest,
    Succession,
)
from solver.rules import HARD, Enforcement

from .conftest import EARLY, LATE, NIGHT, cover, day, make_problem, officer, solve_checked

TEMPLATES = (EARLY, LATE, NIGHT)
enforcements = st.one_of(st.just(HARD), st.integers(1, 20).map(Enforcement.soft))
optional_limit = st.one_of(st.none(), st.builds(lambda v, e: Limit(value=v, enforcement=e),
                                                st.integers(1, 4), enforcements))


@st.composite
def officers_rules(draw, days: int):  # type: ignore[no-untyped-def]
    rules: dict = {
        "one_shift_per_day": draw(enforcements),
        "max_consecutive_days": draw(optional_limit),
        "min_consecutive_days": draw(optional_limit),
        "min_consecutive_days_off": draw(optional_limit),
        "max_weekends": draw(st.one_of(st.none(), st.builds(
            lambda v, e: Limit(value=v, enforcement=e), st.integers(0, 1), enforcements))),
        "max_night_shifts": draw(optional_limit),
        "max_consecutive_nights": draw(optional_limit),
    }
    if draw(st.booleans()):
        rules["min_rest_minutes"] = Limit(value=11 * 60, enforcement=draw(enforcements))
    if draw(st.booleans()):
        rules["forbidden_successions"] = (Succession(first_template="night",
                                                     second_template="early",
                                                     enforcement=draw(enforcements)),)
    if draw(st.booleans()):
        rules["working_time"] = (MinutesWindow(
            first_day=day(0), last_day=day(days - 1),
            min_minutes=Limit(value=draw(st.integers(0, 2)) * 480,
                              enforcement=Enforcement.soft(1)),
            max_minutes=Limit(value=draw(st.integers(2, 5)) * 480,
                              enforcement=draw(enforcements))),)
    if draw(st.booleans()):
        rules["weekly_rest_minutes"] = Limit(value=35 * 60, enforcement=draw(enforcements))
    if draw(st.booleans()):
        rules["average_hours"] = AverageHours(max_minutes_per_week=40 * 60, reference_days=7,
                                              enforcement=draw(enforcements))
    if draw(st.booleans()):
        rules["overtime"] = Overtime(regular_minutes_per_week=32 * 60,
                                     enforcement=Enforcement.soft(1))
    return rules


@st.composite
def small_problems(draw):  # type: ignore[no-untyped-def]
    days = draw(st.integers(3, 8))
    names = ["amani", "baraka", "chausiku"][:draw(st.integers(1, 3))]
    staff = [officer(n, **draw(officers_rules(days))) for n in names]
    covers = []
    for template in TEMPLATES:
        for d in range(days):
            need = draw(st.integers(0, 2))
            if need:
                covers += cover(template, [d], required=need,
                                under=draw(st.one_of(st.just(HARD),
                                                     st.just(Enforcement.soft(100)))),
                                over_weight=draw(st.integers(0, 2)))
    absences = []
    for person in staff:
        if draw(st.booleans()):
            first = draw(st.integers(0, days - 1))
            absences.append(absence_for_days(person, day(first),
                                             day(min(days - 1, first + draw(st.integers(0, 2))))))
    requests = []
    for person in staff:
        for _ in range(draw(st.integers(0, 2))):
            requests.append(ShiftRequest(
                officer_id=person.id, day=day(draw(st.integers(0, days - 1))),
                kind=draw(st.sampled_from(["on", "off"])),
                template_id=draw(st.sampled_from([None, "early", "late", "night"])),
                enforcement=Enforcement.soft(draw(st.integers(1, 3)))))
    return make_problem(staff, templates=TEMPLATES, days=days, shift_cover=tuple(covers),
                        absences=tuple(absences), requests=tuple(requests))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_every_roster_passes_the_checker_with_the_same_objective(problem):  # type: ignore[no-untyped-def]
    solution = solve_checked(problem, seconds=5)
    assert solution.status in ("optimal", "feasible", "infeasible")
    if solution.status == "infeasible":
        assert solution.explanation
