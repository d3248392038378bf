"""The shift-scheduling benchmark on the engine: reading, checking, writing, solving."""

from __future__ import annotations

import pytest

from solver.roster.benchmark import (
    assignments_of,
    benchmark_directory,
    format_grid,
    grid_of,
    parse_grid,
    peak_memory_mb,
    read_instance,
    read_reference_rosters,
    run_shift_benchmark,
    to_problem,
)
from solver.roster.checker import check_assignments

DIRECTORY = benchmark_directory()
needs_instances = pytest.mark.skipif(
    not (DIRECTORY / "Instance1.txt").exists(),
    reason=f"benchmark instances not found in {DIRECTORY} (set JUXTA_SHIFT_BENCHMARKS)")

REFERENCE = [(n, k) for n in range(1, 11) for k in range(2)]


@needs_instances
@pytest.mark.parametrize(("number", "which"), REFERENCE)
def test_the_checker_agrees_with_every_reference_roster(number: int, which: int):
    instance = read_instance(DIRECTORY / f"Instance{number}.txt")
    rosters = read_reference_rosters(
        DIRECTORY / "reference-rosters" / f"strandmark_Instance{number}.txt.out")
    assert len(rosters) == 2
    roster = rosters[which]
    report = check_assignments(to_problem(instance), assignments_of(roster.grid))
    assert report.hard_violations == ()
    assert report.objective == roster.objective


@needs_instances
def test_an_instance_reads_into_the_engines_problem():
    instance = read_instance(DIRECTORY / "Instance3.txt")
    problem = to_problem(instance)
    assert (problem.days, len(problem.officers), len(problem.templates)) == (14, 20, 3)
    assert len(problem.shifts) == 14 * 3
    assert len(problem.shift_cover) == 14 * 3
    assert problem.start.weekday() == 0
    assert problem.history_days == 0


@needs_instances
def test_a_broken_roster_is_caught():
    instance = read_instance(DIRECTORY / "Instance1.txt")
    roster = read_reference_rosters(
        DIRECTORY / "reference-rosters" / "strandmark_Instance1.txt.out")[0]
    grid = {e: list(days) for e, days in roster.grid.items()}
    grid["A"] = ["D"] * instance.horizon  # 14 days in a row, far over every limit
    report = check_assignments(to_problem(instance), assignments_of(grid))
    assert {v.rule for v in report.hard_violations} >= {
        "Maximum consecutive working days", "Working time per period", "Leave and absences"}


@needs_instances
def test_the_grid_round_trips():
    instance = read_instance(DIRECTORY / "Instance2.txt")
    roster = read_reference_rosters(
        DIRECTORY / "reference-rosters" / "strandmark_Instance2.txt.out")[0]
    text = format_grid(instance, roster.grid)
    lines = text.splitlines()
    assert len(lines) == len(instance.employees)
    assert all(len(line.split("\t")) == instance.horizon for line in lines)
    assert parse_grid(instance, text) == roster.grid
    assert grid_of(instance, assignments_of(roster.grid)) == roster.grid


@needs_instances
def test_the_harness_solves_checks_and_writes_instance_1(tmp_path):
    [result] = run_shift_benchmark([DIRECTORY / "Instance1.txt"], time_limit=10, workers=2,
                                   out_dir=tmp_path)
    assert result.feasible
    assert result.best_known == 607
    assert result.objective == 607  # proven optimal within seconds
    assert result.gap == 0
    assert result.grid is not None and result.grid.exists()
    assert result.peak_rss_mb > 0


def test_an_instance_process_reports_its_own_peak_memory_not_its_parents():
    # Each instance runs in a freshly spawned process so that its peak memory is its own;
    # under `make bench` the parent had grown to 1.4 GB and every instance reported that.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    held = bytearray(400 * 1024 * 1024)
    held[::4096] = b"\x01" * len(held[::4096])  # touched: resident, not merely reserved
    with ProcessPoolExecutor(max_workers=1,
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        child = pool.submit(peak_memory_mb).result()
    assert peak_memory_mb() >= 400
    assert child < 200
