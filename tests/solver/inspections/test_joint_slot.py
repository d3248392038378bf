"""Joint inspection slot: a qualified officer of every selecting agency and a capable bay."""

from __future__ import annotations

from solver.inspections import InspectionRules, names
from solver.inspections.build import build
from solver.inspections.constraints import add_inspected, add_joint_slot

from .builders import (
    at,
    bay,
    fix_start,
    model_status,
    officer,
    part_vars,
    problem,
    request,
    site,
    solve_checked,
)

NO_FALLBACK = InspectionRules(allow_sequential=False)


def test_joint_slot_waits_until_every_agency_has_an_officer_on_duty() -> None:
    post = site(
        officers=[officer("BG-CUS-1", "BG-CUS"), officer("TR-CUS-1", "TR-CUS", [(3, 12)])],
    )
    solution = solve_checked(problem(post, [request("R1", ["BG-CUS", "TR-CUS"])]))
    (inspection,) = solution.inspections
    assert inspection.mode == "joint"
    assert inspection.first_start == at(3)
    assert {a.officer_id for a in inspection.parts[0].officers} == {"BG-CUS-1", "TR-CUS-1"}


def test_joint_slot_needs_an_officer_on_duty_for_the_whole_slot() -> None:
    # The Turkish officer's shift ends at 1:30, too early for a 60-minute slot at 1:00.
    post = site(
        officers=[
            officer("BG-CUS-1", "BG-CUS", [(1, 12)]),
            officer("TR-CUS-1", "TR-CUS", [(0, 1.5), (4, 12)]),
        ],
        rules=NO_FALLBACK,
    )
    solution = solve_checked(problem(post, [request("R1", ["BG-CUS", "TR-CUS"])]))
    assert solution.inspections[0].first_start == at(4)


def test_joint_slot_needs_the_skill_the_check_requires() -> None:
    post = site(
        officers=[
            officer("BG-CUS-1", "BG-CUS"),
            officer("VET-TRAINEE", "BG-VET"),
            officer("VET-DOCTOR", "BG-VET", [(2, 12)], skills=["veterinarian"]),
        ]
    )
    live = request("R1", ["BG-CUS", "BG-VET"], skills={"BG-VET": "veterinarian"})
    solution = solve_checked(problem(post, [live]))
    (part,) = solution.inspections[0].parts
    assert part.start == at(2)
    assert part.officer_for("BG-VET") == "VET-DOCTOR"


def test_joint_slot_needs_cross_border_accreditation_in_the_neighbours_zone() -> None:
    # Turkish officers act in the Bulgarian control zone only with accreditation.
    post = site(
        officers=[
            officer("BG-CUS-1", "BG-CUS"),
            officer("TR-NEW", "TR-CUS", cross_border=False),
            officer("TR-ACCREDITED", "TR-CUS", [(4, 12)]),
        ]
    )
    solution = solve_checked(problem(post, [request("R1", ["BG-CUS", "TR-CUS"])]))
    assert solution.inspections[0].parts[0].officer_for("TR-CUS") == "TR-ACCREDITED"
    assert solution.inspections[0].first_start == at(4)


def test_joint_slot_needs_a_bay_with_every_capability() -> None:
    post = site(bays=[bay("B1"), bay("COLD", ["cold_chain"]), bay("LAB", ["lab"])])
    chilled = request("R1", capabilities=["cold_chain"])
    sampled = request("R2", capabilities=["cold_chain", "lab"])
    solution = solve_checked(problem(post, [chilled, sampled]))
    assert solution.inspection("R1").parts[0].bay_id == "COLD"  # type: ignore[union-attr]
    (left_out,) = solution.uninspected
    assert left_out.reference == "R2"
    assert any(
        reason.rule == names.JOINT_SLOT and "bays" in reason.subject for reason in left_out.reasons
    )


def test_joint_slot_needs_the_bay_open_for_the_whole_slot() -> None:
    post = site(bays=[bay("PEN", ["livestock"], open_hours=[(0, 0.5), (2, 12)])])
    solution = solve_checked(problem(post, [request("R1", capabilities=["livestock"])]))
    assert solution.inspections[0].first_start == at(2)


def test_add_joint_slot_forbids_an_officer_off_duty() -> None:
    post = site(
        officers=[officer("BG-CUS-1", "BG-CUS", [(0, 2)])],
        agencies=[a for a in site().agencies if a.code == "BG-CUS"],
    )
    instance = problem(post, [request("R1")])
    built = build(instance, tighten=False, families=(add_joint_slot, add_inspected))
    built.model.add(built.vars.requests["R1"].inspected == 1)
    fix_start(built, "R1", 1.0)
    assert model_status(built) == "optimal"

    built = build(instance, tighten=False, families=(add_joint_slot, add_inspected))
    built.model.add(built.vars.requests["R1"].inspected == 1)
    fix_start(built, "R1", 1.5)
    assert model_status(built) == "infeasible"


def test_add_joint_slot_takes_exactly_one_officer_per_agency_and_one_bay() -> None:
    post = site(
        officers=[
            officer("C1", "BG-CUS", [(0, 12)]),
            officer("C2", "BG-CUS", [(0, 24)]),
            officer("T1", "TR-CUS"),
        ]
    )
    instance = problem(post, [request("R1", ["BG-CUS", "TR-CUS"])])

    def status(customs: int, bays: int) -> str:
        built = build(instance, tighten=False, families=(add_joint_slot, add_inspected))
        part = part_vars(built, "R1")
        built.model.add(built.vars.requests["R1"].inspected == 1)
        built.model.add(sum(part.officers["BG-CUS"].values()) == customs)
        built.model.add(sum(part.bays.values()) == bays)
        return model_status(built)

    assert status(customs=1, bays=1) == "optimal"
    assert status(customs=2, bays=1) == "infeasible"
    assert status(customs=1, bays=2) == "infeasible"
