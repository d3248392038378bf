"""Writing a scenario and reading it back gives the same scenario, in every variant."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services.scenario.validate import read_scenario
from app.services.scenario.write import write_scenario, write_standalone_workbook

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.mark.parametrize("code", ["rusumo", "kapitan-andreevo"])
def test_a_sample_reads_back_equal_after_writing(code, tmp_path):
    scenario = read_scenario(DATA / code)
    write_scenario(scenario, tmp_path / code)
    assert read_scenario(tmp_path / code) == scenario


def test_the_excel_folder_and_the_standalone_workbook_read_back_equal(mini, tmp_path):
    scenario = read_scenario(mini.path)
    write_scenario(scenario, tmp_path / "excel", excel=True)
    write_standalone_workbook(scenario, tmp_path / "mini.xlsx")
    assert read_scenario(tmp_path / "excel") == scenario
    assert read_scenario(tmp_path / "mini.xlsx") == scenario


def test_a_round_trip_keeps_what_defaults_would_hide(mini, tmp_path):
    """Values that differ from the defaults (a night flag, an offset time, an empty override)
    must survive, not be rewritten as the default."""
    mini.append("post.toml", '\n[[hours_overrides]]\nname = "Eid (estimated)"\nscope = "agency:TZ-PHY"\nfrom = 2027-03-10\nto = 2027-03-11\nwindows = []\nconfirmed = false\n')
    scenario = read_scenario(mini.path)
    write_scenario(scenario, tmp_path / "again")
    again = read_scenario(tmp_path / "again")
    assert again == scenario
    assert again.hours_overrides[0].confirmed is False and again.hours_overrides[0].windows == ()
    assert [o.night_work for o in again.officers].count(False) == 1
