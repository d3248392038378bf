"""`juxta validate` reports every mistake of a scenario at once, each where it can be fixed."""

from __future__ import annotations

import re

from app.cli import INPUT_ERROR


def _break_ten_ways(mini):  # type: ignore[no-untyped-def]
    """Ten different mistakes, and where each must be reported: (source, location, field)."""
    mini.replace("post.toml", 'timezone = "Africa/Dar_es_Salaam"', 'timezone = "Africa/Dar_es_Salam"')
    mini.append("leave.csv", "RW0001,2026-12-05,2026-12-09,annual\n")
    mini.append("officers.csv", "RW0003,Eric Habimana,RW-RSB,RW-RRA-RW,,40,no,yes\n")
    mini.replace("post.toml", '"13:00-17:00"', '"13:00-07:00"')
    mini.replace("demand.csv", "RW>TZ,produce,mon,9,7.5", "RW>TZ,produce,mon,9,-7.5")
    mini.append("officers.csv", "TZ0001,Hamisi Mrema,TZ-TRA,TZ-TRA-TZ,,40,no,yes\n")
    mini.replace("officers.csv", "TZ-PHY-TZ,phytosanitary,40", "TZ-PHY-TZ,,40")
    mini.replace("inspection_requests.csv", "2026-12-07T06:00+02:00", "2026-12-07T12:00+02:00")
    mini.replace("demand.csv", "TZ>RW,produce,mon,8,3", "TZ>RW,produce,mon,24,3")
    mini.replace("post.toml", 'layout = "two_facility"', 'layout = "one_stop"')
    return [
        ("post.toml", mini.line_of("post.toml", "Dar_es_Salam"), "sides[TZ].timezone"),
        ("leave.csv", "line 4", "from"),
        ("officers.csv", mini.line_of("officers.csv", "RW-RSB"), "agency"),
        ("post.toml", mini.line_of("post.toml", "13:00-07:00"), "offices[TZ-PHY-TZ].hours[0].windows"),
        ("demand.csv", mini.line_of("demand.csv", "-7.5"), "trucks"),
        ("officers.csv", mini.line_of("officers.csv", "Hamisi"), "code"),
        ("post.toml", mini.line_of("post.toml", 'skill = "phytosanitary"'), "cargo_categories[produce].checks[0].skill"),
        ("inspection_requests.csv", mini.line_of("inspection_requests.csv", "MINI-0002"), "notified_at"),
        ("demand.csv", mini.line_of("demand.csv", ",24,"), "hour"),
        ("post.toml", mini.line_of("post.toml", "one_stop"), "post.layout"),
    ]


def test_ten_mistakes_are_all_reported_with_file_line_and_field(mini, cli):
    expected = _break_ten_ways(mini)
    result = cli("validate", str(mini.path))
    assert result.exit_code == INPUT_ERROR
    assert "Traceback" not in result.output
    reported = re.findall(r"^  (\S+), (line \d+): (\S+): .+ - .+$", result.output, flags=re.MULTILINE)
    assert sorted(reported) == sorted(expected)
    assert "10 problem(s)" in result.output


def test_a_valid_scenario_passes_with_a_summary(mini, cli):
    result = cli("validate", str(mini.path))
    assert result.exit_code == 0, result.output
    assert "valid" in result.output and "5 officers" in result.output


def test_a_missing_folder_is_refused_without_a_traceback(tmp_path, cli):
    result = cli("validate", str(tmp_path / "nowhere"))
    assert result.exit_code == INPUT_ERROR
    assert "Traceback" not in result.output
