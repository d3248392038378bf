"""Within office hours of every agency involved, or out of hours at the agency's fee."""

from __future__ import annotations

from solver.inspections import InspectionRules, names
from solver.inspections.build import build
from solver.inspections.constraints import add_inspected, add_joint_slot, add_office_hours

from .builders import (
    at,
    fix_start,
    model_status,
    offices,
    part_vars,
    problem,
    request,
    site,
    solve_checked,
)

VET_FROM_2H = offices(BG_VET=[(2, 10)])


def test_office_hours_hold_the_slot_until_every_office_opens() -> None:
    post = site(offices=VET_FROM_2H)
    solution = solve_checked(problem(post, [request("R1", ["BG-CUS", "BG-VET"])]))
    (inspection,) = solution.inspections
    assert inspection.first_start == at(2)
    assert not inspection.out_of_hours


def test_office_hours_out_of_hours_service_charges_every_started_hour() -> None:
    post = site(offices=VET_FROM_2H)
    perishable = request(
        "R1", ["BG-CUS", "BG-VET"], duration=90, priority="perishable", accepts_out_of_hours=True
    )
    solution = solve_checked(problem(post, [perishable]))
    (inspection,) = solution.inspections
    # Waiting two hours would cost 120 min x 3; the vet's 40 EUR/h for two started hours costs 80.
    assert inspection.first_start == at(0)
    assert inspection.fees == {"EUR": 80}
    (charge,) = [v for v in solution.violations if v.rule == names.OFFICE_HOURS]
    assert (charge.subject, charge.cost) == ("BG-VET", 80)


def test_office_hours_waiting_wins_when_the_fee_weighs_more() -> None:
    post = site(offices=VET_FROM_2H, rules=InspectionRules(out_of_hours_fee_weight=2))
    regular = request("R1", ["BG-CUS", "BG-VET"], duration=90, accepts_out_of_hours=True)
    solution = solve_checked(problem(post, [regular]))
    assert solution.inspections[0].first_start == at(2)
    assert solution.inspections[0].fees == {}


def test_office_hours_no_out_of_hours_service_where_the_trader_did_not_ask() -> None:
    post = site(offices=VET_FROM_2H)
    solution = solve_checked(
        problem(post, [request("R1", ["BG-CUS", "BG-VET"], priority="perishable")])
    )
    assert solution.inspections[0].first_start == at(2)


def test_office_hours_no_out_of_hours_service_where_the_agency_offers_none() -> None:
    # Bulgarian customs quotes no out-of-hours fee, so its hours are hard even on request.
    post = site(offices=offices(BG_CUS=[(3, 10)]))
    solution = solve_checked(
        problem(post, [request("R1", ["BG-CUS"], priority="perishable", accepts_out_of_hours=True)])
    )
    assert solution.inspections[0].first_start == at(3)


def test_add_office_hours_flags_out_of_hours_exactly() -> None:
    post = site(offices=VET_FROM_2H)
    instance = problem(post, [request("R1", ["BG-VET"], accepts_out_of_hours=True)])
    families = (add_joint_slot, add_office_hours, add_inspected)

    def status(start: float, served_out: int) -> str:
        built = build(instance, tighten=False, families=families)
        built.model.add(built.vars.requests["R1"].inspected == 1)
        fix_start(built, "R1", start)
        built.model.add(part_vars(built, "R1").out_of_hours["BG-VET"] == served_out)
        return model_status(built)

    assert status(0.0, served_out=1) == "optimal"
    assert status(0.0, served_out=0) == "infeasible"
    assert status(3.0, served_out=0) == "optimal"
    assert status(3.0, served_out=1) == "infeasible"
