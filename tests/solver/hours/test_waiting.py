"""Expected truck waiting from a first-in-first-out queue per flow, and the maximum wait."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from solver.hours import evaluate, names
from solver.hours.baseline import regular_hours_plan
from solver.hours.problem import SLOTS_PER_HOUR, AgencyCheck
from solver.rules import HARD, Enforcement

from .builders import (
    arrivals,
    flow,
    local,
    named,
    office,
    opened,
    problem,
    solve_infeasible,
    solve_optimally,
    window,
)

# The office opens 10:00-14:00 in Sofia and at no other time of the day.
FIXED_HOURS = {
    "mandatory": (window("10:00-14:00"),),
    "never_open": (window("00:00-10:00"), window("14:00-24:00")),
}


def test_waiting_is_the_fifo_replay_to_the_truck_slot() -> None:
    # Four trucks at 08:00, 08:15, 08:30 and 08:45 are all cleared in the 10:00 slot: they
    # wait 8 + 7 + 6 + 5 quarter hours, 6.5 truck-hours, at 10 a truck-hour.
    customs = office("customs-BG", **FIXED_HOURS)
    trucks = flow("customs-BG", arriving=arrivals(local("08:00"), [1, 1, 1, 1]))
    solution, report = solve_optimally(problem(customs, flows=[trucks]))
    assert report.costs == {names.WAITING: 65}
    assert solution.model_waiting_truck_hours == {"general": 6.5}
    kpis = report.kpis.flows[0]
    assert (kpis.trucks, kpis.mean_wait_minutes, kpis.max_wait_minutes) == (4, 97.5, 120)
    assert kpis.served_without_waiting_share == 0
    assert report.replays["general"].waits == ((8, 100), (7, 100), (6, 100), (5, 100))


def test_a_queue_longer_than_the_capacity_clears_one_slot_at_a_time() -> None:
    # Four trucks an hour is one a quarter hour: three arriving together wait 0, 1 and 2 slots.
    customs = office("customs-BG", **FIXED_HOURS)
    trucks = flow("customs-BG", arriving=arrivals(local("10:00"), [3]), throughput=4,
                  waiting_cost=20)
    solution, report = solve_optimally(problem(customs, flows=[trucks]))
    replayed = Fraction(sum(report.replays["general"].backlog), SLOTS_PER_HOUR * 100)
    assert replayed == Fraction(3, 4)
    assert solution.model_waiting_truck_hours["general"] == float(replayed)
    assert report.costs == {names.WAITING: 15}


def test_capacity_comes_from_the_crew_and_the_minutes_each_truck_takes() -> None:
    # Two officers at 15 minutes a truck clear eight trucks an hour, two a quarter hour.
    customs = office("customs-BG", crew=2, **FIXED_HOURS)
    trucks = dataclasses.replace(
        flow("customs-BG", arriving=arrivals(local("10:00"), [4]), waiting_cost=20),
        checks=(AgencyCheck(office_id="customs-BG", document_minutes=15),),
    )
    post = problem(customs, flows=[trucks])
    assert post.capacity_centi["general"] == 200
    solution, report = solve_optimally(post)
    assert report.costs == {names.WAITING: 10}


def _shared_crew_post(crew: int):  # type: ignore[no-untyped-def]
    """Customs 24/7 checks a busy and a rare flow at 15 minutes a truck."""
    customs = office("customs-BG", always_open=True, crew=crew)

    def cargo(ident: str, per_hour: float):  # type: ignore[no-untyped-def]
        return dataclasses.replace(
            flow("customs-BG", ident=ident, waiting_cost=20,
                 arriving=arrivals(local("00:00"), [per_hour] * 24)),
            checks=(AgencyCheck(office_id="customs-BG", document_minutes=15),),
        )

    return problem(customs, flows=[cargo("busy", 6), cargo("rare", 0.25)])


def test_a_crews_spare_officers_help_every_flow_it_checks() -> None:
    # The busy flow keeps 1.5 officers busy and the rare one 1/16; of a crew of 4, 2 7/16
    # are spare, and each flow is credited its own load plus all of them.
    post = _shared_crew_post(crew=4)
    spare = 4 - 1.5 - 1 / 16
    assert post.check_officers["busy", "customs-BG"] == 1.5 + spare
    assert post.check_officers["rare", "customs-BG"] == 1 / 16 + spare
    assert post.capacity_centi["rare"] == int((1 / 16 + spare) * 4 * 100 / SLOTS_PER_HOUR)


def test_a_crew_below_its_average_load_is_split_by_workload() -> None:
    # 1 officer for 1 9/16 officers' work: no spare hands, each flow gets its share of one.
    post = _shared_crew_post(crew=1)
    total = 1.5 + 1 / 16
    assert post.check_officers["busy", "customs-BG"] == 1.5 / total
    assert post.check_officers["rare", "customs-BG"] == (1 / 16) / total


def test_opening_more_cuts_waiting_against_the_regular_hours() -> None:
    # Eight trucks arrive 18:00-20:00, after the regular 08:00-16:00; waiting at 100 a
    # truck-hour pays for two evening hours of staff at 10.
    customs = office("customs-BG", officer_hour_cost=10)
    evening = flow("customs-BG", arriving=arrivals(local("18:00"), [1] * 8), waiting_cost=100)
    post = problem(customs, flows=[evening])
    solution, report = solve_optimally(post)
    baseline = evaluate(post, regular_hours_plan(post))
    assert baseline.errors == ()
    assert report.kpis.waiting_truck_hours == 0
    assert baseline.kpis.waiting_truck_hours == 105  # cleared at 08:00 next day, in the run-out
    assert opened(solution, "customs-BG") == [(local("18:00"), local("20:00"))]
    assert report.objective == 20 < baseline.objective


def test_when_staff_cost_more_than_the_waiting_the_trucks_wait() -> None:
    # Even a last quarter hour open at 23:45 (continued by the next plan) costs 250 in staff;
    # waiting until 08:00 costs 105.
    customs = office("customs-BG", officer_hour_cost=1000)
    evening = flow("customs-BG", arriving=arrivals(local("18:00"), [1] * 8), waiting_cost=1)
    solution, report = solve_optimally(problem(customs, flows=[evening]))
    assert opened(solution, "customs-BG") == []
    assert report.costs == {names.WAITING: 105}


def test_trucks_still_waiting_when_the_run_out_ends_count_as_uncleared() -> None:
    # A truck at 22:00 meets a closed office until the run-out ends six hours after midnight.
    customs = office("customs-BG", never_open=(window("20:00-24:00"),))
    late = flow("customs-BG", arriving=arrivals(local("22:00"), [1]))
    solution, report = solve_optimally(problem(customs, flows=[late], runout_hours=6))
    kpis = report.kpis.flows[0]
    assert kpis.uncleared_trucks == 1
    assert kpis.waiting_truck_hours == 8
    assert report.costs == {names.WAITING: 80}


def test_hard_maximum_wait_makes_the_office_open_within_the_hour() -> None:
    customs = office("customs-BG", officer_hour_cost=10)
    truck = flow("customs-BG", arriving=arrivals(local("18:00"), [1]), waiting_cost=0,
                 max_wait_minutes=60)
    solution, report = solve_optimally(problem(customs, flows=[truck]))
    assert report.kpis.flows[0].max_wait_minutes <= 60
    (start, end), = opened(solution, "customs-BG")
    # Cleared at 19:00 at the latest: a wait of exactly the hour is allowed.
    assert local("18:00") - (end - start) < start <= local("19:00")
    assert report.kpis.office_hours == 2
    assert report.objective == 20


def test_hard_maximum_wait_against_a_closed_office_is_infeasible_and_names_the_flow() -> None:
    customs = office("customs-BG", **FIXED_HOURS)
    truck = flow("customs-BG", arriving=arrivals(local("08:00"), [1]), max_wait_minutes=60,
                 max_wait=HARD)
    solution = solve_infeasible(problem(customs, flows=[truck]))
    lines = named(solution.explanation, names.MAX_WAIT)
    assert lines and lines[0].subject == "general TR->BG"


def test_soft_maximum_wait_pays_per_truck_hour_beyond_it() -> None:
    # A truck at 08:00 waits two hours for the 10:00 opening: one hour beyond the limit.
    customs = office("customs-BG", **FIXED_HOURS)
    truck = flow("customs-BG", arriving=arrivals(local("08:00"), [1]), waiting_cost=0,
                 max_wait_minutes=60, max_wait=Enforcement.soft(8))
    solution, report = solve_optimally(problem(customs, flows=[truck]))
    assert report.costs == {names.MAX_WAIT: 8}


def test_a_queue_moves_only_when_every_checking_office_is_open() -> None:
    # Customs opens 10:00-14:00; plant health, needed by the same trucks, only from 12:00.
    customs = office("customs-BG", **FIXED_HOURS)
    plant = office("plant-BG", mandatory=(window("12:00-14:00"),),
                   never_open=(window("00:00-12:00"), window("14:00-24:00")))
    produce = flow("customs-BG", "plant-BG", arriving=arrivals(local("10:00"), [1]))
    solution, report = solve_optimally(problem(customs, plant, flows=[produce]))
    assert report.replays["general"].waits == ((8, 100),)
    assert report.costs == {names.WAITING: 20}
