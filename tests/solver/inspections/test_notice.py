"""Notice periods per agency, counted in that agency's working days, calendar and zone."""

from __future__ import annotations

from datetime import UTC, datetime

from solver.inspections import InspectionRules, names
from solver.inspections.build import build
from solver.inspections.constraints import add_inspected, add_joint_slot, add_notice
from solver.rules import Enforcement

from .builders import at, fix_start, model_status, problem, request, site, solve_checked

# T0 is Tuesday 08:00 in Sofia; hour -26 is Monday 06:00 Sofia, hour -80 is the Saturday before.


def test_notice_one_working_day_for_the_veterinary_check() -> None:
    post = site()
    late_notice = request("R1", ["BG-CUS", "BG-VET"], notified=-20.0)  # Monday 12:00 Sofia
    solution = solve_checked(problem(post, [late_notice]))
    assert solution.inspections[0].first_start == at(4)  # Tuesday 12:00 Sofia


def test_notice_working_days_skip_the_weekend_of_the_agencys_side() -> None:
    post = site()
    # Notified Saturday 11 January 10:00 Sofia: the working day is Monday, so Tuesday 00:00.
    saturday = request("R1", ["BG-VET"], notified=-70.0, arrival=-18.0)
    solution = solve_checked(problem(post, [saturday], horizon=(-18.0, 24.0)))
    assert solution.inspections[0].first_start == datetime(2025, 1, 13, 22, 0, tzinfo=UTC)


def test_notice_derogation_shortens_to_four_hours() -> None:
    post = site()
    derogated = request("R1", ["BG-VET"], notified=-1.0, notice_derogation=True)
    solution = solve_checked(problem(post, [derogated]))
    assert solution.inspections[0].first_start == at(3)


def test_notice_no_derogation_for_live_animals() -> None:
    post = site()
    animals = request(
        "R1",
        ["BG-VET"],
        notified=-1.0,
        notice_derogation=True,
        category="live_animals",
        priority="live_animals",
    )
    solution = solve_checked(problem(post, [animals]))
    # Monday 07:00 UTC + 1 working day: Wednesday 07:00 UTC, past the 2-hour maximum wait.
    assert solution.inspections == ()
    assert any(reason.rule == names.NOTICE for reason in solution.uninspected[0].reasons)


def test_notice_48_hours_for_wildlife() -> None:
    post = site()
    wildlife = request("R1", ["BG-CITES"], notified=-40.0, arrival=0.0)
    solution = solve_checked(problem(post, [wildlife]))
    assert solution.inspections[0].first_start == at(8)


def test_notice_soft_pays_per_minute_short() -> None:
    post = site(rules=InspectionRules(notice=Enforcement.soft(2)))
    late = request(
        "R1", ["BG-VET"], notified=-23.0, priority="live_animals", category="live_animals"
    )
    solution = solve_checked(problem(post, [late]))
    # Waiting costs 5/min for live animals, a minute short of notice 2: inspect at arrival.
    assert solution.inspections[0].first_start == at(0)
    (short,) = [v for v in solution.violations if v.rule == names.NOTICE]
    assert (short.amount, short.cost) == (60, 120)


def test_add_notice_forbids_a_start_before_the_deadline() -> None:
    post = site()
    instance = problem(post, [request("R1", ["BG-VET"], notified=-20.0)])

    def status(start: float) -> str:
        built = build(instance, tighten=False, families=(add_joint_slot, add_notice, add_inspected))
        built.model.add(built.vars.requests["R1"].inspected == 1)
        fix_start(built, "R1", start)
        return model_status(built)

    assert status(3.75) == "infeasible"
    assert status(4.0) == "optimal"
