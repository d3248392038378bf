"""Cross-border accreditation for the adjoining state's control zone."""

from __future__ import annotations

from solver.roster import names
from solver.roster.problem import Office
from solver.rules import Enforcement

from .conftest import (
    OFFICE,
    assert_costs,
    assert_infeasible,
    cover,
    make_problem,
    officer,
    solve_checked,
    template,
)

# The Rwandan side of the one-stop border post: Tanzanian officers work there as
# adjoining-state officers, on Kigali time.
RWANDA_ZONE = Office(id="rusumo-rw", name="Rusumo RW", zone="Africa/Kigali", zone_side="RW")
EXIT_DESK = template("exit-desk", 8, 8, office=RWANDA_ZONE)


def problem_with(*officers):  # type: ignore[no-untyped-def]
    return make_problem(officers, templates=(EXIT_DESK,), offices=(OFFICE, RWANDA_ZONE),
                        shift_cover=cover(EXIT_DESK, [0]))


def test_an_officer_without_accreditation_cannot_work_in_the_other_zone():
    assert_infeasible(problem_with(officer("amani")))


def test_an_accredited_officer_can():
    assert solve_checked(problem_with(officer("amani", accredited={"RW"}))).status == "optimal"


def test_soft_accreditation_pays_per_shift():
    assert_costs(problem_with(officer("amani", accreditation=Enforcement.soft(40))), 40,
                 names.ACCREDITATION)
