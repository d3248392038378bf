"""Maximum wait: perishables and live animals each within their class's maximum wait."""

from __future__ import annotations

from solver.inspections import InspectionRules, names
from solver.inspections.build import build
from solver.inspections.constraints import add_inspected, add_joint_slot, add_max_wait
from solver.rules import Enforcement

from .builders import (
    at,
    fix_start,
    model_status,
    office,
    officer,
    problem,
    request,
    site,
    solve_checked,
)

VET_FROM_3H = [officer("BG-CUS-1", "BG-CUS"), officer("BG-VET-1", "BG-VET", [(3, 30)])]


def test_max_wait_hard_leaves_out_what_cannot_make_it_and_says_why() -> None:
    animals = request("R1", ["BG-CUS", "BG-VET"], priority="live_animals", category="live_animals")
    solution = solve_checked(problem(site(officers=VET_FROM_3H), [animals]))
    assert solution.inspections == ()
    (left_out,) = solution.uninspected
    assert any(
        reason.subject == "BG-VET" and "officer" in reason.message for reason in left_out.reasons
    )
    (forgone,) = [v for v in solution.violations if v.rule == names.INSPECTED]
    assert forgone.cost == 6000


def test_max_wait_of_the_class_applies_to_each_consignment() -> None:
    regular = request("R1", ["BG-CUS", "BG-VET"])
    solution = solve_checked(problem(site(officers=VET_FROM_3H), [regular]))
    assert solution.inspections[0].first_start == at(3)


def test_max_wait_given_on_the_request_overrides_the_class() -> None:
    impatient = request("R1", ["BG-CUS", "BG-VET"], max_wait_minutes=150)
    assert solve_checked(problem(site(officers=VET_FROM_3H), [impatient])).inspections == ()


def test_max_wait_soft_pays_per_minute_beyond_the_maximum() -> None:
    post = site(officers=VET_FROM_3H, rules=InspectionRules(max_wait=Enforcement.soft(5)))
    animals = request("R1", ["BG-CUS", "BG-VET"], priority="live_animals", category="live_animals")
    solution = solve_checked(problem(post, [animals]))
    assert solution.inspections[0].first_start == at(3)
    (late,) = [v for v in solution.violations if v.rule == names.MAX_WAIT]
    assert (late.amount, late.cost) == (60, 300)


def test_max_wait_counts_the_wait_between_the_two_sides() -> None:
    def plan(vet_opens: float):  # type: ignore[no-untyped-def]
        post = site(
            offices=[office("BG-VET", [(vet_opens, 8)]), office("TR-AGR", [(0, 2)])],
            agencies=[a for a in site().agencies if a.code in ("BG-VET", "TR-AGR")],
            officers=[officer("V", "BG-VET"), officer("A", "TR-AGR")],
        )
        animals = request(
            "R1", ["TR-AGR", "BG-VET"], priority="live_animals", category="live_animals"
        )
        return solve_checked(problem(post, [animals]))

    assert plan(vet_opens=3.0).inspections[0].waiting_minutes == 120
    assert plan(vet_opens=3.5).inspections == ()


def test_add_max_wait_forbids_a_longer_wait() -> None:
    instance = problem(site(), [request("R1", priority="live_animals")])

    def status(start: float) -> str:
        built = build(
            instance, tighten=False, families=(add_joint_slot, add_max_wait, add_inspected)
        )
        built.model.add(built.vars.requests["R1"].inspected == 1)
        fix_start(built, "R1", start)
        return model_status(built)

    assert status(2.0) == "optimal"
    assert status(2.25) == "infeasible"
