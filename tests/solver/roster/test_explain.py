"""Explanations of infeasible rosters: the rules, officers and days in conflict."""

from __future__ import annotations

from datetime import date

from solver.config import SolverConfig
from solver.roster import names
from solver.roster.explain import explain_infeasible, feasible_without, format_days, plural
from solver.roster.prepare import absence_for_days
from solver.roster.problem import Limit

from .conftest import NIGHT, assert_infeasible, cover, make_problem, officer, solve_checked

START = date(2025, 5, 1)
CONFIG = SolverConfig(time_limit_seconds=20, workers=1)


def scanner_nights(*, leave: bool = True, exempt: bool = True):  # type: ignore[no-untyped-def]
    """Four scanner officers needed on the nights of 3-5 May; six hold the skill, two of them
    are on leave and one may not work nights."""
    staff = [officer(name, skills={"scanner"}) for name in ("amani", "baraka", "dalila",
                                                           "eliya", "faraja")]
    staff.insert(2, officer("chausiku", skills={"scanner"},
                            max_night_shifts=Limit(value=0 if exempt else 7)))
    staff.append(officer("gasana"))  # no scanner skill: cannot help
    absences = tuple(absence_for_days(o, date(2025, 5, 2), date(2025, 5, 6))
                     for o in staff[:2]) if leave else ()
    return make_problem(staff, templates=(NIGHT,), start=START,
                        shift_cover=cover(NIGHT, [2, 3, 4], required=4, skill="scanner",
                                          start=START),
                        absences=absences)


def test_the_explanation_names_rules_officers_and_days():
    problem = scanner_nights()
    explanation = explain_infeasible(problem, CONFIG)
    assert not explanation.feasible
    assert explanation.minimal
    rules = {v.rule for v in explanation.conflicts}
    assert rules == {names.COVER_UNDER, names.LEAVE, names.MAX_NIGHTS}
    subjects = {v.subject for v in explanation.conflicts if v.rule != names.COVER_UNDER}
    assert subjects == {"Amani", "Baraka", "Chausiku"}
    assert explanation.summary.startswith("Customs TZ, 3-5 May: 4 officers with the scanner "
                                          "skill are needed on the Night")
    assert "Amani and Baraka are on leave" in explanation.summary
    assert "Chausiku works at most 0 night shift(s)" in explanation.summary


def test_dropping_any_named_rule_makes_the_roster_possible():
    problem = scanner_nights()
    explanation = explain_infeasible(problem, CONFIG)
    for scope in explanation.scopes:
        if scope[0] != names.COVER_UNDER:
            assert feasible_without(problem, {scope}, CONFIG) is True
    assert feasible_without(problem, set(), CONFIG) is False


def test_removing_the_named_conflict_from_the_data_makes_it_feasible():
    assert_infeasible(scanner_nights())
    assert solve_checked(scanner_nights(exempt=False)).status == "optimal"
    assert solve_checked(scanner_nights(leave=False)).status == "optimal"


def test_solve_attaches_the_explanation_to_an_infeasible_roster():
    solution = assert_infeasible(scanner_nights())
    assert {v.subject for v in solution.explanation} >= {"Amani", "Baraka", "Chausiku"}


def test_a_feasible_problem_needs_no_explanation():
    assert explain_infeasible(scanner_nights(leave=False), CONFIG).feasible


def test_days_and_verbs_read_naturally():
    assert format_days([date(2025, 5, 3), date(2025, 5, 5), date(2025, 5, 4)]) == "3-5 May"
    assert format_days([date(2025, 4, 30), date(2025, 5, 1)]) == "30 Apr-1 May"
    assert format_days([date(2025, 5, 3), date(2025, 5, 9)]) == "3 May, 9 May"
    assert plural("is on leave") == "are on leave"
    assert plural("works at most 5 days in a row") == "work at most 5 days in a row"
    assert plural("lacks scanner") == "lack scanner"
