"""A small valid scenario that tests break one mistake at a time, and a CLI runner that
needs no database of its own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result

from app import create_app

POST_TOML = """\
format = 1

[post]
code = "mini"
name = "Mini crossing"
layout = "two_facility"

[[sides]]
code = "RW"
country = "RW"
name = "Rwanda"
timezone = "Africa/Kigali"

[[sides]]
code = "TZ"
country = "TZ"
name = "Tanzania"
timezone = "Africa/Dar_es_Salaam"

[sides.labour]
min_daily_rest_hours = 12.0
max_weekly_hours = 45.0

[[skills]]
code = "phytosanitary"
name = "Phytosanitary inspector"

[[agencies]]
code = "RW-RRA"
side = "RW"
kind = "customs"
name = "Rwanda Revenue Authority"
lead = true

[[agencies]]
code = "TZ-TRA"
side = "TZ"
kind = "customs"
name = "Tanzania Revenue Authority"
lead = true

[[agencies]]
code = "TZ-PHY"
side = "TZ"
kind = "plant_health"
name = "Plant health"

[[offices]]
code = "RW-RRA-RW"
agency = "RW-RRA"
name = "RRA at home"
host_side = "RW"
counterpart = "TZ-TRA-RW"
joint_controls = true
always_open = true

[[offices]]
code = "TZ-TRA-RW"
agency = "TZ-TRA"
name = "TRA in the Rwandan facility"
host_side = "RW"
facility = "juxtaposed"
counterpart = "RW-RRA-RW"
joint_controls = true
always_open = true

[[offices]]
code = "TZ-TRA-TZ"
agency = "TZ-TRA"
name = "TRA at home"
host_side = "TZ"
counterpart = "RW-RRA-TZ"
always_open = true

[[offices]]
code = "RW-RRA-TZ"
agency = "RW-RRA"
name = "RRA in the Tanzanian facility"
host_side = "TZ"
facility = "juxtaposed"
counterpart = "TZ-TRA-TZ"
always_open = true

[[offices]]
code = "TZ-PHY-TZ"
agency = "TZ-PHY"
name = "Plant health desk"
host_side = "TZ"

[[offices.hours]]
days = "mon-fri"
windows = ["08:00-12:00", "13:00-17:00"]

[[shift_templates]]
code = "TZ-D12"
side = "TZ"
name = "Day 07-19"
start = "07:00"
hours = 12.0
agencies = ["TZ-TRA"]

[[shift_templates]]
code = "TZ-N12"
side = "TZ"
name = "Night 19-07"
start = "19:00"
hours = 12.0
night = true
agencies = ["TZ-TRA"]

[[resources]]
code = "TZ-COLD"
name = "Cold bay"
host_side = "TZ"
kind = "cold_room"
capabilities = ["cold_chain"]
always_open = true

[[priority_classes]]
code = "perishable"
name = "Perishable"
rank = 1
max_wait_hours = 4.0

[[cargo_categories]]
code = "produce"
name = "Fresh produce"
priority = "perishable"
capabilities = ["cold_chain"]

[[cargo_categories.checks]]
agency = "TZ-PHY"
selection_rate = 0.08
inspection_minutes = 90
skill = "phytosanitary"

[[cargo_categories.checks]]
agency = "RW-RRA"
selection_rate = 0.03
inspection_minutes = 30

[[rules]]
engine = "hours"
rule = "correlation_share"
hard = false
weight = 40
value = { min_share_percent = 80 }
"""

TABLES = {
    "officers.csv": """\
code,name,agency,office,skills,contract_hours,cross_border,night_work
RW0001,Aline Uwase,RW-RRA,RW-RRA-RW,,40,no,yes
RW0002,Eric Mugisha,RW-RRA,RW-RRA-TZ,,40,yes,yes
TZ0001,Neema Msuya,TZ-TRA,TZ-TRA-TZ,,40,no,yes
TZ0002,Juma Kimaro,TZ-TRA,TZ-TRA-RW,,30,yes,no
TZ0003,Rehema Mushi,TZ-PHY,TZ-PHY-TZ,phytosanitary,40,no,yes
""",
    "leave.csv": """\
officer,from,to,kind
RW0001,2026-12-01,2026-12-07,annual
TZ0003,2026-12-21,2026-12-27,annual
""",
    "preferences.csv": """\
officer,want,date,weekday,shift,weight
TZ0001,off,,sun,TZ-N12,2
""",
    "demand.csv": """\
direction,category,day,hour,trucks
RW>TZ,produce,mon,8,6
RW>TZ,produce,mon,9,7.5
TZ>RW,produce,mon,8,3
""",
    "inspection_requests.csv": """\
reference,direction,category,agencies,duration_minutes,expected_arrival,notified_at,capabilities
MINI-0001,RW>TZ,produce,RW-RRA;TZ-PHY,90,2026-12-07T09:30,2026-12-06T15:00,cold_chain
MINI-0002,RW>TZ,produce,TZ-PHY,60,2026-12-07T10:45+02:00,2026-12-07T06:00+02:00,
""",
}


@dataclass
class ScenarioFiles:
    """A scenario folder on disk that a test edits by exact text, so each edit is visible."""

    path: Path

    def text(self, name: str) -> str:
        return (self.path / name).read_text(encoding="utf-8")

    def replace(self, name: str, old: str, new: str) -> None:
        text = self.text(name)
        assert text.count(old) == 1, f"{old!r} must occur once in {name}"
        (self.path / name).write_text(text.replace(old, new, 1), encoding="utf-8")

    def append(self, name: str, text: str) -> None:
        (self.path / name).write_text(self.text(name) + text, encoding="utf-8")

    def line_of(self, name: str, fragment: str) -> str:
        """``"line N"`` of the one line containing ``fragment``."""
        numbers = [n for n, line in enumerate(self.text(name).splitlines(), start=1) if fragment in line]
        assert len(numbers) == 1, f"{fragment!r} is on lines {numbers} of {name}"
        return f"line {numbers[0]}"


def write_mini(folder: Path) -> ScenarioFiles:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "post.toml").write_text(POST_TOML, encoding="utf-8")
    for name, text in TABLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return ScenarioFiles(folder)


@pytest.fixture
def mini(tmp_path: Path) -> ScenarioFiles:
    return write_mini(tmp_path / "mini")


@pytest.fixture
def cli(sqlite_url: str) -> Iterator[Callable[..., Result]]:
    """``juxta`` for commands that never touch the database (validate, generate)."""
    from app.cli import cli as juxta

    app = create_app({"database.url": sqlite_url, "security.secret_key": "test", "TESTING": True})

    def invoke(*args: str) -> Result:
        return app.test_cli_runner().invoke(juxta, list(args))

    yield invoke
    app.extensions["juxta.engine"].dispose()
