"""Changes to the published roster."""

from __future__ import annotations

from solver.roster import names
from solver.roster.prepare import absence_for_days
from solver.roster.problem import PublishedRoster
from solver.rules import Enforcement

from .conftest import (
    EARLY,
    assert_costs,
    assert_infeasible,
    cover,
    day,
    make_problem,
    officer,
    sid,
    works,
)

AMANI_DAYS_0_TO_2 = frozenset(("amani", sid(EARLY, d)) for d in range(3))


def published(weight: int = 100) -> PublishedRoster:
    return PublishedRoster(assignments=AMANI_DAYS_0_TO_2, first_day=day(0), last_day=day(6),
                           change=Enforcement.soft(weight))


def test_the_published_roster_is_kept_when_nothing_changed():
    problem = make_problem([officer("amani"), officer("baraka")],
                           shift_cover=cover(EARLY, range(3)), published=published())
    solution = assert_costs(problem, 0)
    assert works(solution, "amani") == {sid(EARLY, d) for d in range(3)}


def test_a_shift_handed_over_is_two_changes():
    amani = officer("amani")
    problem = make_problem([amani, officer("baraka")], shift_cover=cover(EARLY, range(3)),
                           published=published(),
                           absences=(absence_for_days(amani, day(1), day(1)),))
    solution = assert_costs(problem, 200, names.PUBLISHED_CHANGES)
    assert works(solution, "baraka") == {sid(EARLY, 1)}


def test_a_hard_published_roster_cannot_change():
    amani = officer("amani")
    problem = make_problem([amani, officer("baraka")], shift_cover=cover(EARLY, range(3)),
                           published=PublishedRoster(assignments=AMANI_DAYS_0_TO_2,
                                                     first_day=day(0), last_day=day(6),
                                                     change=Enforcement()),
                           absences=(absence_for_days(amani, day(1), day(1)),))
    assert_infeasible(problem)
