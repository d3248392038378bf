"""The checker stands on its own: it imports no model code and catches broken rosters."""

from __future__ import annotations

import ast
from pathlib import Path

import solver.roster.checker as checker_module
from solver.roster import names
from solver.roster.checker import check_assignments
from solver.rules import Enforcement

from .conftest import EARLY, LATE, cover, make_problem, officer, sid, template

FORBIDDEN_IMPORTS = ("ortools", "solver.roster.constraints", "solver.roster.model",
                     "solver.roster.solve", "solver.roster.variables", "solver.roster.lns",
                     "solver.cpsat")


def test_the_checker_imports_nothing_of_the_model():
    tree = ast.parse(Path(checker_module.__file__).read_text())
    imported = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names]
    assert not [m for m in imported if m and m.startswith(FORBIDDEN_IMPORTS)]


def test_an_assignment_to_another_agencys_shift_is_a_hard_violation():
    problem = make_problem([officer("amani")])
    report = check_assignments(problem, [("amani", "no-such-shift")])
    assert not report.feasible


def test_overlapping_shifts_are_caught():
    midday = template("midday", 10, 8)
    problem = make_problem([officer("amani")], templates=(EARLY, midday))
    report = check_assignments(problem, [("amani", sid(EARLY, 0)), ("amani", sid(midday, 0))])
    assert names.NO_OVERLAP in {v.rule for v in report.hard_violations}


def test_costs_are_recomputed_from_the_roster_alone():
    problem = make_problem([officer("amani")], templates=(EARLY, LATE),
                           shift_cover=cover(EARLY, [0], required=2, under=Enforcement.soft(100),
                                             over_weight=1)
                           + cover(LATE, [0], required=0, over_weight=3))
    late = check_assignments(problem, [("amani", sid(LATE, 0))])
    assert late.feasible
    assert late.cost_by_rule() == {names.COVER_UNDER: 200, names.COVER_OVER: 3}
    early = check_assignments(problem, [("amani", sid(EARLY, 0))])
    assert early.feasible
    assert early.cost_by_rule() == {names.COVER_UNDER: 100}
    assert early.objective == 100
