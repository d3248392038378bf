"""``juxta bench shifts``: the shift-scheduling benchmark from the command line."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from solver.roster.benchmark import benchmark_directory, read_instance
from tests.conftest import make_test_app

DIRECTORY = benchmark_directory()
needs_instances = pytest.mark.skipif(
    not (DIRECTORY / "Instance1.txt").exists(),
    reason=f"benchmark instances not found in {DIRECTORY} (../shared absent; set JUXTA_SHIFT_BENCHMARKS)")


@pytest.fixture
def app(sqlite_url: str) -> Iterator[Flask]:
    app = make_test_app(sqlite_url)
    yield app
    app.extensions["juxta.engine"].dispose()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    from app.cli import cli

    class Runner:
        def invoke(self, *args: str):  # type: ignore[no-untyped-def]
            return app.test_cli_runner().invoke(cli, list(args))

    return Runner()


@needs_instances
def test_bench_shifts_solves_instance_1_and_writes_the_grid(runner, tmp_path):
    result = runner.invoke("bench", "shifts", "Instance1", "--time-limit", "2", "--workers", "2", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output

    lines = result.output.splitlines()
    header = next(line for line in lines if line.startswith("instance "))
    for column in ("instance", "objective", "bound", "best known", "gap", "seconds", "status", "checked"):
        assert column in header
    row = next(line for line in lines if line.startswith("Instance1 ")).split()
    objective, bound, known = int(row[1]), int(row[2]), int(row[3])
    assert known == 607
    assert bound <= objective
    assert row[4:6] == [f"{100 * (objective - known) / known:.1f}", "%"]
    assert float(row[6]) > 0 and row[-1] == "yes"
    assert row[-2] in ("optimal", "feasible")
    assert "| Instance1 |" in result.output and "mean gap" in result.output

    instance = read_instance(DIRECTORY / "Instance1.txt")
    text = (tmp_path / "Instance1.roster.txt").read_text()
    assert text.endswith("\n")
    grid = text.split("\n")[:-1]
    assert len(grid) == len(instance.employees)  # one line per employee, in file order
    shift_ids = {shift.id for shift in instance.shift_types}
    for line in grid:
        cells = line.split("\t")
        assert len(cells) == instance.horizon  # one column per day
        assert set(cells) <= shift_ids | {""}  # an empty cell is a day off
    assert any(cell == "" for line in grid for cell in line.split("\t"))


@needs_instances
def test_an_unknown_instance_exits_with_code_2(runner, tmp_path):
    result = runner.invoke("bench", "shifts", "Instance1", "Instance99", "--out", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert "INSTANCE: no instance 'Instance99'" in result.output
    assert "Instance1 ... Instance24" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "Instance1.roster.txt").exists()  # nothing solved


def test_a_missing_benchmark_directory_exits_with_code_2(runner, tmp_path):
    missing = tmp_path / "nowhere"
    result = runner.invoke("bench", "shifts", "Instance1", "--directory", str(missing), "--out", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert f"--directory: the benchmark directory {missing} does not exist" in result.output
    assert "JUXTA_SHIFT_BENCHMARKS" in result.output
    assert "Traceback" not in result.output
