"""Sequential fallback: exit controls finish before entry controls start, or the reverse."""

from __future__ import annotations

from solver.inspections import InspectionRules, PostSite, names
from solver.inspections.build import build
from solver.inspections.constraints import add_inspected, add_joint_slot, add_sequence

from .builders import (
    at,
    fix_start,
    model_status,
    officer,
    offices,
    problem,
    request,
    site,
    solve_checked,
)


def _post(
    tr_agr_open: list[tuple[float, float]],
    bg_vet_open: list[tuple[float, float]],
    rules: InspectionRules | None = None,
) -> PostSite:
    return site(offices=offices(TR_AGR=tr_agr_open, BG_VET=bg_vet_open), rules=rules)


def test_sequence_exit_side_first_when_no_joint_slot_exists() -> None:
    post = _post(tr_agr_open=[(0, 2)], bg_vet_open=[(3, 8)])
    solution = solve_checked(problem(post, [request("R1", ["TR-AGR", "BG-VET"])]))
    (inspection,) = solution.inspections
    assert inspection.mode == "exit_first"
    exit_part, entry_part = inspection.parts
    assert exit_part.agencies == ("TR-AGR",) and exit_part.start == at(0)
    assert entry_part.agencies == ("BG-VET",) and entry_part.start == at(3)
    assert inspection.waiting_minutes == 120
    # Why not joint: the two offices' hours never meet.
    assert any(
        reason.rule == names.OFFICE_HOURS
        and "TR-AGR" in reason.subject
        and "BG-VET" in reason.subject
        for reason in inspection.joint_failure
    )
    (fallback,) = [v for v in solution.violations if v.rule == names.SEQUENCE]
    assert fallback.cost == InspectionRules().sequential_weight


def test_sequence_entry_first_only_where_reversal_is_allowed() -> None:
    post = _post(tr_agr_open=[(3, 8)], bg_vet_open=[(0, 2)])
    solution = solve_checked(problem(post, [request("R1", ["TR-AGR", "BG-VET"])]))
    assert solution.inspections == ()

    reversible = request("R1", ["TR-AGR", "BG-VET"], reversal_allowed=True)
    solution = solve_checked(problem(post, [reversible]))
    (inspection,) = solution.inspections
    assert inspection.mode == "entry_first"
    assert [part.agencies for part in inspection.parts] == [("BG-VET",), ("TR-AGR",)]


def test_sequence_not_used_where_the_post_forbids_it() -> None:
    post = _post(
        tr_agr_open=[(0, 2)], bg_vet_open=[(3, 8)], rules=InspectionRules(allow_sequential=False)
    )
    solution = solve_checked(problem(post, [request("R1", ["TR-AGR", "BG-VET"])]))
    assert solution.inspections == ()
    assert solution.uninspected[0].reasons


def test_sequence_prefers_joint_unless_it_costs_more_than_the_fallback() -> None:
    # Turkish agriculture is free 0:00-2:00 and again later, the vet from 1:30. Exit controls
    # at 0:00 and entry controls at 1:30 wait 30 min, plus the 600 a sequential inspection costs.
    def plan(tr_agr_back: float):  # type: ignore[no-untyped-def]
        officers = [
            officer("TR-AGR-1", "TR-AGR", [(0, 2), (tr_agr_back, 30)]),
            officer("BG-VET-1", "BG-VET", [(1.5, 30)]),
        ]
        return solve_checked(
            problem(site(officers=officers), [request("R1", ["TR-AGR", "BG-VET"])])
        ).inspections[0]

    joint = plan(tr_agr_back=5.0)  # joint at 5:00 waits 300 min: cheaper than 630
    assert (joint.mode, joint.first_start) == ("joint", at(5))
    sequential = plan(tr_agr_back=12.0)  # joint at 12:00 would wait 720 min
    assert sequential.mode == "exit_first"
    assert [part.start for part in sequential.parts] == [at(0), at(1.5)]


def test_add_sequence_forbids_entry_controls_before_exit_controls_end() -> None:
    post = _post(tr_agr_open=[(0, 2)], bg_vet_open=[(0, 8)])
    instance = problem(post, [request("R1", ["TR-AGR", "BG-VET"])])

    def status(entry_start: float) -> str:
        built = build(
            instance, tighten=False, families=(add_joint_slot, add_sequence, add_inspected)
        )
        built.model.add(built.vars.requests["R1"].modes["exit_first"].chosen == 1)
        fix_start(built, "R1", 0.5, mode="exit_first", index=0)
        fix_start(built, "R1", entry_start, mode="exit_first", index=1)
        return model_status(built)

    assert status(1.25) == "infeasible"
    assert status(1.5) == "optimal"
