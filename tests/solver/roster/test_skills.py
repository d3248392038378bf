"""Skills and qualifications required by a shift type."""

from __future__ import annotations

from solver.roster import names
from solver.rules import Enforcement

from .conftest import (
    assert_costs,
    assert_infeasible,
    cover,
    make_problem,
    officer,
    solve_checked,
    template,
    works,
)

SCANNER = template("scanner", 8, 8, skills={"scanner"})


def test_an_officer_without_the_skill_cannot_work_the_shift():
    assert_infeasible(make_problem([officer("amani")], templates=(SCANNER,),
                                   shift_cover=cover(SCANNER, [0])))


def test_the_qualified_officer_is_chosen():
    problem = make_problem([officer("amani"), officer("baraka", skills={"scanner"})],
                           templates=(SCANNER,), shift_cover=cover(SCANNER, [0, 1]))
    solution = solve_checked(problem)
    assert solution.status == "optimal"
    assert works(solution, "amani") == set()
    assert len(works(solution, "baraka")) == 2


def test_a_soft_qualification_pays_per_shift_worked_without_it():
    amani = officer("amani", qualification=Enforcement.soft(30))
    assert_costs(make_problem([amani], templates=(SCANNER,), shift_cover=cover(SCANNER, [0, 1])),
                 60, names.SKILLS)
