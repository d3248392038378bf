"""Maximum shifts of each type over the horizon."""

from __future__ import annotations

from solver.roster import names
from solver.roster.problem import Limit, TemplateLimit
from solver.rules import Enforcement

from .conftest import (
    EARLY,
    NIGHT,
    assert_costs,
    assert_infeasible,
    cover,
    make_problem,
    officer,
    solve_checked,
    works,
)


def nights_at_most(value: int, enforcement: Enforcement | None = None) -> tuple[TemplateLimit]:
    limit = Limit(value=value) if enforcement is None else Limit(value=value,
                                                                 enforcement=enforcement)
    return (TemplateLimit(template_id="night", limit=limit),)


def test_more_nights_than_allowed_is_infeasible():
    problem = make_problem([officer("amani", max_shifts_per_template=nights_at_most(2))],
                           templates=(NIGHT,), shift_cover=cover(NIGHT, [0, 2, 4]))
    assert_infeasible(problem)


def test_zero_means_never_that_type():
    amani = officer("amani", max_shifts_per_template=nights_at_most(0))
    baraka = officer("baraka")
    problem = make_problem([amani, baraka], templates=(EARLY, NIGHT),
                           shift_cover=cover(NIGHT, [0, 2]) + cover(EARLY, [1]))
    solution = solve_checked(problem)
    assert solution.status == "optimal"
    assert not any(s.startswith("night") for s in works(solution, "amani"))


def test_soft_limit_pays_per_extra_shift():
    amani = officer("amani", max_shifts_per_template=nights_at_most(1, Enforcement.soft(6)))
    problem = make_problem([amani], templates=(NIGHT,), shift_cover=cover(NIGHT, [0, 2, 4]))
    assert_costs(problem, 12, names.SHIFT_TYPE_LIMITS)
