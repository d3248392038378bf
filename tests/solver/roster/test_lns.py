"""The large-neighbourhood search's neighbourhoods: what a step frees."""

from __future__ import annotations

import importlib
import random
import time

from solver.config import SolverConfig
from solver.roster.model import build_model
from solver.roster.problem import Limit

from .conftest import EARLY, day, make_problem, officer

lns = importlib.import_module("solver.roster.lns")
roster_solve = importlib.import_module("solver.roster.solve")


def _search(max_weekends: Limit | None):  # type: ignore[no-untyped-def]
    staff = [officer(name, max_weekends=max_weekends) for name in ("amani", "baraka")]
    problem = make_problem(staff, templates=(EARLY,), days=28)
    part = roster_solve.Part(problem=problem, built=build_model(problem))
    return problem, lns._Search(part, 1.0, SolverConfig(workers=1, seed=1), lambda: None)


def test_where_weekends_are_limited_a_step_frees_days_around_weekends_far_apart() -> None:
    # Covering one weekend means freeing another of the same officer's allowance: no window
    # of consecutive days holds two weekends three weeks apart, this neighbourhood does.
    problem, search = _search(Limit(value=2))
    neighbourhood = next(k for k in search.kinds if k.kind == "weekends")
    assert search.weekends == [frozenset({4, 5, 6, 7}), frozenset({11, 12, 13, 14}),
                               frozenset({18, 19, 20, 21}), frozenset({25, 26, 27})]
    selection = search._select(neighbourhood, random.Random(3))
    assert selection.days is not None and len(selection.days) in (7, 8)
    freed = search._keys(selection)
    freed_days = {problem.shift(shift_id).day for _, shift_id in freed}
    assert freed_days == {day(index) for index in selection.days}
    assert {officer_id for officer_id, _ in freed} == {"amani", "baraka"}
    assert all(day(index).weekday() in (4, 5, 6, 0) for index in selection.days)


def test_searched_by_windows_a_few_officers_exchange_weekends_some_weeks_apart() -> None:
    # A year is too long for one window to hold two weekends months apart: a few officers
    # get both weekends free and the days between held.
    staff = [officer(f"o{n}", max_weekends=Limit(value=20)) for n in range(12)]
    problem = make_problem(staff, templates=(EARLY,), days=364)
    part = roster_solve.Part(problem=problem, built=build_model(problem))
    search = lns._Search(part, 1.0, SolverConfig(workers=1, seed=1), lambda: None,
                         by_windows=True)
    assert "weekends" not in {k.kind for k in search.kinds}
    neighbourhood = next(k for k in search.kinds if k.kind == "weekend exchange")
    search.day_costs = {103: 500, 104: 500}  # the weekend of days 103-104 is short
    for seed in range(20):
        selection = search._select(neighbourhood, random.Random(seed))
        assert selection.officers is not None and len(selection.officers) == 8
        assert selection.days is not None and {103, 104} <= selection.days
        weekend_days = sorted(d for d in selection.days if d % 7 in (5, 6))
        assert len(weekend_days) == 4
        assert 7 <= weekend_days[-1] - weekend_days[0] <= 7 * lns._EXCHANGE_WEEKS + 1


def test_without_a_weekend_limit_there_is_no_weekend_neighbourhood() -> None:
    _, search = _search(None)
    assert "weekends" not in {k.kind for k in search.kinds}


def test_officers_with_another_weekend_add_theirs() -> None:
    # A Friday-Saturday weekend (as on one side of some borders) is a weekend to free too.
    staff = [officer("amani", max_weekends=Limit(value=2)),
             officer("baraka", max_weekends=Limit(value=2), weekend_days=frozenset({4, 5}))]
    problem = make_problem(staff, templates=(EARLY,), days=7)
    assert lns._weekends_around(problem) == [frozenset({3, 4, 5, 6}), frozenset({4, 5, 6})]


def test_the_search_stops_once_it_stalls_for_the_time_asked() -> None:
    # The engine asks for this to turn to rosters with fewer officers missing once the
    # neighbourhoods stop improving; here nothing can improve (nobody working, nothing asked).
    problem = make_problem([officer("amani")], templates=(EARLY,), days=7)
    part = roster_solve.Part(problem=problem, built=build_model(problem))
    part.offer({key: False for key in part.built.vars.x}, 0)
    started = time.monotonic()
    lns.improve(part, 60.0, SolverConfig(workers=1, seed=1), lambda: None, stall_seconds=0.5)
    assert time.monotonic() - started < 30.0
    assert part.objective == 0
