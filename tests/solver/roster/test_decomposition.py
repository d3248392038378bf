"""Agencies are solved as independent parts unless a rule couples them."""

from __future__ import annotations

import importlib

from solver.config import SolverConfig
from solver.roster.checker import check_assignments
from solver.roster.prepare import interval_cover
from solver.roster.problem import Agency, FairSpread
from solver.roster.solve import split_problem
from solver.rules import Enforcement

from .conftest import (
    AGENCY,
    EARLY,
    OFFICE,
    START,
    assert_costs,
    cover,
    make_problem,
    officer,
    template,
)

# The module, not the ``solve`` function the package exports under the same name.
engine = importlib.import_module("solver.roster.solve")

IMMIGRATION = Agency(id="immigration-tz", name="Immigration TZ", side="TZ")
PASSPORTS = template("passports", 6, 8, agency=IMMIGRATION)


def two_agencies(**extra):  # type: ignore[no-untyped-def]
    staff = [officer("amani"), officer("baraka", agency=IMMIGRATION)]
    return make_problem(staff, templates=(EARLY, PASSPORTS), agencies=(AGENCY, IMMIGRATION),
                        **extra)


def test_independent_agencies_are_separate_parts():
    parts = split_problem(two_agencies(shift_cover=cover(EARLY, [0]) + cover(PASSPORTS, [0])))
    assert sorted(len(p.officers) for p in parts) == [1, 1]
    assert {p.agencies[0].id for p in parts} == {AGENCY.id, IMMIGRATION.id}
    for part in parts:
        assert all(s.agency_id == part.agencies[0].id for s in part.shifts)


def test_demand_at_a_shared_office_couples_the_agencies():
    demand = interval_cover(OFFICE, None, START, 7, lambda d, m: 1 if 8 * 60 <= m < 9 * 60 else 0)
    assert len(split_problem(two_agencies(interval_cover=demand))) == 1


def test_a_fair_spread_across_agencies_couples_them():
    fair = (FairSpread(name="both", officer_ids=("amani", "baraka"), measure="nights",
                       enforcement=Enforcement.soft(1)),)
    assert len(split_problem(two_agencies(fair_spread=fair))) == 1


def test_the_parts_add_up_to_the_whole():
    problem = two_agencies(shift_cover=cover(EARLY, [0, 1], required=2,
                                             under=Enforcement.soft(10))
                           + cover(PASSPORTS, [0], required=2, under=Enforcement.soft(7)))
    solution = assert_costs(problem, 10 + 10 + 7)
    assert len(solution.parts) == 2
    assert sum(p.objective for p in solution.parts) == solution.objective


def test_parts_left_without_a_roster_share_half_the_time_limit_to_be_rescued(monkeypatch):
    # Whatever the number of parts CP-SAT leaves without a roster, their rescue together takes
    # half the time limit more, shared by size: not half the limit each.
    problem = two_agencies(shift_cover=cover(EARLY, [0], under=Enforcement.soft(10))
                           + cover(PASSPORTS, [0], under=Enforcement.soft(7)))
    rescued: list[float] = []
    monkeypatch.setattr(engine, "_search_parts", lambda *args: None)
    monkeypatch.setattr(engine, "improve", lambda part, seconds, config, report, **_: rescued.append(seconds))
    solution = engine.solve(problem, SolverConfig(time_limit_seconds=8, workers=1, seed=1))
    assert len(rescued) == 2 and abs(sum(rescued) - 4) < 1e-9
    # Each part starts from nobody working, which the checker finds keeps every hard rule.
    assert solution.assignments == ()
    report = check_assignments(problem, frozenset())
    assert report.feasible and solution.objective == report.objective == 10 + 7


THIRD = Agency(id="police-tz", name="Police TZ", side="TZ")
PATROL = template("patrol", 6, 8, agency=THIRD)


def _shares(monkeypatch, limit: float, spent: dict[int, float] | None = None) -> list[float]:  # type: ignore[no-untyped-def]
    """The seconds round one gives parts of 8, 9 and 8,000 assignments (three agencies' parts
    whose sizes are set): each part's search is only recorded, taking ``spent`` seconds of
    the clock by size."""
    staff = [officer("amani"), officer("baraka", agency=IMMIGRATION), officer("chausiku", agency=THIRD)]
    problem = make_problem(staff, templates=(EARLY, PASSPORTS, PATROL), agencies=(AGENCY, IMMIGRATION, THIRD))
    parts = [engine.Part(problem=p, built=engine.build_model(p)) for p in split_problem(problem)]
    sizes = dict(zip((id(part) for part in parts), (8, 9, 8_000), strict=True))
    monkeypatch.setattr(engine.Part, "size", property(lambda part: sizes[id(part)]))
    clock = [1000.0]
    monkeypatch.setattr(engine.time, "monotonic", lambda: clock[0])
    given: list[float] = []

    def optimise(part, seconds, config, progress):  # type: ignore[no-untyped-def]
        given.append(seconds)
        part.status = "optimal"  # settled: no second round
        clock[0] += (spent or {}).get(part.size, 0.0)

    monkeypatch.setattr(engine, "_optimise", optimise)
    config = SolverConfig(time_limit_seconds=limit, workers=1, seed=1)
    engine._search_parts(parts, config, clock[0] + limit, engine._Progress(parts, clock[0], None))
    return given


def test_small_parts_get_a_few_seconds_beyond_their_size_share_within_a_cap(monkeypatch):
    # By size, 8 of 8,017 assignments would get 0.06 s of the 60 s (less the 3 s reserve).
    small, smaller_still, large = _shares(monkeypatch, 60.0)
    assert small == smaller_still == engine.SMALL_PART_SECONDS
    assert abs(large - (60.0 - 3.0)) < 1e-9
    # The first small part spends 10 s beyond its share, more than the tenth of the limit
    # the small parts may: the next gets its size's share alone.
    _, next_small, _ = _shares(monkeypatch, 60.0, spent={8: 10.0})
    assert abs(next_small - (60.0 - 3.0 - 10.0) * 9 / 8_009) < 1e-9


def test_under_a_minute_the_shares_go_by_size_alone(monkeypatch):
    small, _, _ = _shares(monkeypatch, 30.0)
    assert abs(small - (30.0 - 0.05 * 30.0) * 8 / 8_017) < 1e-9
