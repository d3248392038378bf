"""`juxta generate`: the same seed writes the same scenario, which validates and loads; the
Excel variants read back to the same scenario as the CSV one."""

from __future__ import annotations

import filecmp
from datetime import date

import openpyxl
import pytest

from app.cli import INPUT_ERROR
from app.services.scenario.generate import GeneratorSettings, synthetic_scenario
from app.services.scenario.validate import read_scenario
from app.services.scenario.write import write_standalone_workbook

SMALL = ("--officers", "40", "--days", "7", "--trucks-per-day", "300", "--start", "2026-12-07")


def test_the_same_seed_gives_the_same_scenario_and_another_seed_another():
    settings = GeneratorSettings(officers=60, days=7, trucks_per_day=400, seed=7, start=date(2026, 12, 7))
    first = synthetic_scenario(settings)
    assert synthetic_scenario(settings) == first
    other = synthetic_scenario(GeneratorSettings(officers=60, days=7, trucks_per_day=400, seed=8, start=date(2026, 12, 7)))
    assert other.officers != first.officers and other.requests != first.requests


def test_the_same_seed_writes_the_same_files(cli, tmp_path):
    for name in ("a", "b"):
        assert cli("generate", *SMALL, "--seed", "3", str(tmp_path / name)).exit_code == 0
    comparison = filecmp.dircmp(tmp_path / "a", tmp_path / "b")
    assert comparison.left_list == comparison.right_list and "officers.csv" in comparison.left_list
    assert comparison.diff_files == []


@pytest.mark.parametrize("officers", [8, 13, 120])
def test_the_generated_size_is_the_one_asked_for(officers):
    settings = GeneratorSettings(officers=officers, days=14, trucks_per_day=900, seed=1, start=date(2026, 12, 7))
    scenario = synthetic_scenario(settings)
    assert len(scenario.officers) == officers
    assert sum(d.trucks for d in scenario.demand) / 7 == pytest.approx(900, abs=1)
    assert len(scenario.requests) == round(900 * 14 * 0.05)
    first, last = min(r.expected_arrival for r in scenario.requests), max(r.expected_arrival for r in scenario.requests)
    assert (last - first).days <= 14


def test_a_generated_scenario_validates_and_loads(runner, tmp_path, engine):
    out = tmp_path / "generated"
    result = runner.invoke("generate", *SMALL, str(out))
    assert result.exit_code == 0, result.output
    assert runner.invoke("validate", str(out)).exit_code == 0
    loaded = runner.invoke("load", str(out))
    assert loaded.exit_code == 0, loaded.output
    assert "40 officers" in loaded.output


def test_the_excel_variant_reads_back_as_the_csv_variant(cli, tmp_path):
    assert cli("generate", *SMALL, str(tmp_path / "csv")).exit_code == 0
    assert cli("generate", *SMALL, "--xlsx", str(tmp_path / "xlsx")).exit_code == 0
    assert (tmp_path / "xlsx" / "scenario.xlsx").exists() and not (tmp_path / "xlsx" / "officers.csv").exists()
    assert read_scenario(tmp_path / "xlsx") == read_scenario(tmp_path / "csv")


def test_a_standalone_workbook_with_a_post_toml_sheet_is_a_scenario(cli, tmp_path):
    assert cli("generate", *SMALL, str(tmp_path / "csv")).exit_code == 0
    scenario = read_scenario(tmp_path / "csv")
    book = tmp_path / "post.xlsx"
    write_standalone_workbook(scenario, book, header_comment="one file for the whole post")
    assert openpyxl.load_workbook(book, read_only=True).sheetnames[0] == "post.toml"
    assert read_scenario(book) == scenario
    assert cli("validate", str(book)).exit_code == 0


def test_too_few_officers_for_the_agencies_is_refused(cli, tmp_path):
    result = cli("generate", "--officers", "5", "--days", "7", "--trucks-per-day", "300", str(tmp_path / "tiny"))
    assert result.exit_code == INPUT_ERROR
    assert "--officers" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "tiny").exists()
