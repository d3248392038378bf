"""One kind of mistake at a time: the validator reports exactly that one problem, at the
file, line and field to edit, with a fix that says what to write instead."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from app.services.scenario.validate import validate


@dataclass(frozen=True)
class Mistake:
    name: str
    make: Callable  # (mini) -> None: breaks the scenario
    source: str
    where: str | None  # a fragment of the reported line, or None for a header/structure problem
    field: str
    message: str  # a fragment of the message
    fix: str  # a fragment of the fix

    def __str__(self) -> str:
        return self.name


def _replace(name: str, old: str, new: str) -> Callable:
    return lambda mini: mini.replace(name, old, new)


def _append(name: str, text: str) -> Callable:
    return lambda mini: mini.append(name, text)


OVERRIDE = '\n[[hours_overrides]]\nname = "Christmas"\nscope = "agency:TZ-PHY"\nfrom = 2026-12-24\nto = 2026-12-26\nwindows = []\nconfirmed = "false"\n'

MISTAKES = [
    Mistake("unknown time zone", _replace("post.toml", '"Africa/Dar_es_Salaam"', '"Africa/Dar es Salaam"'), "post.toml", "Dar es Salaam", "sides[TZ].timezone", "unknown time zone", "IANA zone name"),
    Mistake("fixed offset instead of a zone", _replace("post.toml", '"Africa/Kigali"', '"UTC+02:00"'), "post.toml", "UTC+02:00", "sides[RW].timezone", "unknown time zone", "never a fixed offset"),
    Mistake("overlapping leave", _append("leave.csv", "RW0001,2026-12-05,2026-12-09,annual\n"), "leave.csv", "2026-12-05", "from", "overlaps leave 2026-12-01..2026-12-07", "merge the two periods"),
    Mistake("leave ending before it starts", _append("leave.csv", "TZ0001,2026-12-09,2026-12-05,sick\n"), "leave.csv", "2026-12-09", "to", "ends on 2026-12-05 before it starts", "swap from and to"),
    Mistake("officer of an agency that does not exist", _append("officers.csv", "RW0003,Eric Habimana,RW-RSB,RW-RRA-RW,,40,no,yes\n"), "officers.csv", "RW-RSB", "agency", "agency 'RW-RSB' does not exist", "use one of RW-RRA"),
    Mistake("officer in another agency's office", _append("officers.csv", "RW0003,Eric Habimana,RW-RRA,TZ-PHY-TZ,,40,no,yes\n"), "officers.csv", "RW0003", "office", "belongs to 'TZ-PHY'", "office of their own agency"),
    Mistake("window ending before it starts", _replace("post.toml", '"13:00-17:00"', '"13:00-07:00"'), "post.toml", "13:00-07:00", "offices[TZ-PHY-TZ].hours[0].windows", "ends before it starts", "+1"),
    Mistake("overlapping windows", _replace("post.toml", '"13:00-17:00"', '"11:00-17:00"'), "post.toml", "11:00-17:00", "offices[TZ-PHY-TZ].hours", "windows overlap on mon", "merge the overlapping windows"),
    Mistake("negative demand", _replace("demand.csv", "mon,9,7.5", "mon,9,-7.5"), "demand.csv", "-7.5", "trucks", "negative demand", "zero or a positive number"),
    Mistake("demand hour out of range", _replace("demand.csv", "TZ>RW,produce,mon,8,3", "TZ>RW,produce,mon,24,3"), "demand.csv", ",24,", "hour", "not an hour", "exit side's clock"),
    Mistake("demand given twice", _append("demand.csv", "RW>TZ,produce,mon,8,2\n"), "demand.csv", "mon,8,2", "hour", "duplicate demand row (first at line 2)", "one row per direction"),
    Mistake("demand that is not a number", _replace("demand.csv", "mon,9,7.5", "mon,9,nan"), "demand.csv", ",nan", "trucks", "'nan' is not a number", "trucks expected in that hour"),
    Mistake("an infinite number in post.toml", _replace("post.toml", "max_weekly_hours = 45.0", "max_weekly_hours = inf"), "post.toml", "inf", "sides[TZ].labour.max_weekly_hours", "not a number to plan with", "max_weekly_hours = a number"),
    Mistake("a direction that is not one", _replace("demand.csv", "TZ>RW,produce,mon,8,3", "TZ-RW,produce,mon,8,3"), "demand.csv", "TZ-RW", "direction", "not a direction", "EXIT>ENTRY"),
    Mistake("duplicate officer id", _append("officers.csv", "TZ0001,Hamisi Mrema,TZ-TRA,TZ-TRA-TZ,,40,no,yes\n"), "officers.csv", "Hamisi", "code", "duplicate id 'TZ0001' (first at line 4)", "their own staff number"),
    Mistake("duplicate code in post.toml", _append("post.toml", '\n[[skills]]\ncode = "phytosanitary"\nname = "Plant inspector, again"\n'), "post.toml", None, "skills[phytosanitary].code", "duplicate id 'phytosanitary'", "its own code"),
    Mistake("a skill nobody has", _replace("officers.csv", "TZ-PHY-TZ,phytosanitary,40", "TZ-PHY-TZ,,40"), "post.toml", 'skill = "phytosanitary"', "cargo_categories[produce].checks[0].skill", "no officer of TZ-PHY has the skill 'phytosanitary'", "give the skill to qualified TZ-PHY officers"),
    Mistake("a skill held only by another agency", _replace("officers.csv", "TZ0003,Rehema Mushi,TZ-PHY,TZ-PHY-TZ,phytosanitary", "TZ0003,Rehema Mushi,TZ-PHY,TZ-PHY-TZ,\nTZ0004,Salim Komba,TZ-TRA,TZ-TRA-TZ,phytosanitary"), "post.toml", 'skill = "phytosanitary"', "cargo_categories[produce].checks[0].skill", "no officer of TZ-PHY", "qualified TZ-PHY officers"),
    Mistake("a skill that is not declared", _replace("officers.csv", "TZ-PHY-TZ,phytosanitary,40", "TZ-PHY-TZ,phytosanitary;botany,40"), "officers.csv", "botany", "skills", "skill 'botany' does not exist", "declare it under [[skills]]"),
    Mistake("notified after arrival", _replace("inspection_requests.csv", "2026-12-07T06:00+02:00", "2026-12-07T12:00+02:00"), "inspection_requests.csv", "MINI-0002", "notified_at", "notified after the expected arrival", "notification comes before arrival"),
    Mistake("a time that is not one", _replace("inspection_requests.csv", "2026-12-07T09:30", "07/12/2026 09:30"), "inspection_requests.csv", "07/12/2026", "expected_arrival", "not a date and time", "exit side's local time"),
    Mistake("unknown layout", _replace("post.toml", '"two_facility"', '"one_stop"'), "post.toml", "one_stop", "post.layout", "not one of the choices", "two_facility"),
    Mistake("counterparts that do not name each other", _replace("post.toml", 'counterpart = "TZ-TRA-TZ"\n', ""), "post.toml", 'counterpart = "RW-RRA-TZ"', "offices[TZ-TRA-TZ].counterpart", "'RW-RRA-TZ' names no counterpart", 'counterpart = "TZ-TRA-TZ" in office RW-RRA-TZ'),
    Mistake("joint controls on one side only", _replace("post.toml", 'counterpart = "RW-RRA-RW"\njoint_controls = true', 'counterpart = "RW-RRA-RW"\njoint_controls = false'), "post.toml", None, "offices[RW-RRA-RW].joint_controls", "at its counterpart 'TZ-TRA-RW'", "set the same value in both"),
    Mistake("own office hosted across the border", _replace("post.toml", 'host_side = "TZ"\n\n[[offices.hours]]', 'host_side = "RW"\n\n[[offices.hours]]'), "post.toml", None, "offices[TZ-PHY-TZ].facility", "is not the agency's own office", 'facility = "juxtaposed"'),
    Mistake("juxtaposed officer without accreditation", _replace("officers.csv", "RW-RRA-TZ,,40,yes", "RW-RRA-TZ,,40,no"), "officers.csv", "RW0002", "cross_border", "only cross-border accredited officers", "cross_border = yes"),
    Mistake("an agency with no office where the truck is inspected", _append("inspection_requests.csv", "MINI-0003,TZ>RW,produce,TZ-PHY,60,2026-12-08T10:00,2026-12-08T06:00,\n"), "inspection_requests.csv", "MINI-0003", "agencies", "no office at the facility hosted by RW", 'host_side = \\"RW\\"'.replace("\\", "")),
    Mistake("a capability no bay offers where the truck is inspected", _append("inspection_requests.csv", "MINI-0003,TZ>RW,produce,TZ-TRA,60,2026-12-08T10:00,2026-12-08T06:00,cold_chain\n"), "inspection_requests.csv", "MINI-0003", "capabilities", "no bay at the facility offers cold_chain", "resource hosted where the truck is inspected"),
    Mistake("both countries in one request at a separate post", _replace("post.toml", '"two_facility"', '"separate"'), "inspection_requests.csv", "MINI-0001", "agencies", "agencies of both countries cannot inspect the truck together", "one request per side"),
    Mistake("a rule the engine does not have", _replace("post.toml", '"correlation_share"', '"correlation_shares"'), "post.toml", "correlation_shares", "rules[0].rule", "has no rule 'correlation_shares'", "correlation_share"),
    Mistake("a yes/no written as text", _append("post.toml", OVERRIDE), "post.toml", 'confirmed = "false"', "hours_overrides[0].confirmed", "is not true or false", "confirmed = true or false"),
    Mistake("night flag written as text", _replace("post.toml", "night = true", 'night = "yes"'), "post.toml", 'night = "yes"', "shift_templates[TZ-N12].night", "is not true or false", "night = true or false"),
    Mistake("a code longer than the database keeps", _append("officers.csv", f"{'X' * 41},Long Code,TZ-TRA,TZ-TRA-TZ,,40,no,yes\n"), "officers.csv", "XXXX", "code", "41 characters long", "at most 40 characters"),
    Mistake("a currency that is not one", _replace("post.toml", 'name = "Plant health"\n', 'name = "Plant health"\ncurrency = "shilling"\n'), "post.toml", "shilling", "agencies[TZ-PHY].currency", "not an ISO 4217 currency code", "three capital letters"),
    Mistake("a preference for another agency's shift", _append("preferences.csv", "TZ0003,off,,mon,TZ-N12,1\n"), "preferences.csv", "TZ0003", "shift", "never works shift 'TZ-N12'", "officer's own agency"),
    Mistake("a preference with both a date and a weekday", _append("preferences.csv", "TZ0003,off,2026-12-24,thu,,1\n"), "preferences.csv", "TZ0003", "weekday", "not both", "empty one of the two"),
    Mistake("a misspelt holidays key", _replace("post.toml", 'timezone = "Africa/Dar_es_Salaam"\n', 'timezone = "Africa/Dar_es_Salaam"\n\n[sides.holidays]\ncountri = "TZ"\n'), "post.toml", "countri", "sides[1].holidays.countri", "unknown key", "use only country, subdivision"),
    Mistake("a holiday calendar the package lacks", _replace("post.toml", 'timezone = "Africa/Dar_es_Salaam"\n', 'timezone = "Africa/Dar_es_Salaam"\n\n[sides.holidays]\ncountry = "XX"\n'), "post.toml", None, "sides[TZ].holidays.country", "no calendar for 'XX'", "holidays package supports"),
    Mistake("an unknown key", _replace("post.toml", 'name = "Mini crossing"\n', 'name = "Mini crossing"\ncolour = "red"\n'), "post.toml", "colour", "post.colour", "unknown key", "use only code, description"),
    Mistake("an unknown section", _append("post.toml", "\n[[bridges]]\ncode = \"B1\"\n"), "post.toml", "[[bridges]]", "bridges", "unknown section", "use only agencies"),
    Mistake("broken TOML", _replace("post.toml", 'name = "Mini crossing"', 'name = "Mini crossing'), "post.toml", 'name = "Mini crossing', "post.toml", "not valid TOML", "fix the syntax"),
    Mistake("a required column missing", _replace("officers.csv", "code,name,agency,office,", "code,name,agency,"), "officers.csv", "code,name,agency,skills", "office", "required column is missing", "add a column named 'office'"),
    Mistake("an unknown column", _replace("officers.csv", ",night_work\n", ",night_wrk\n"), "officers.csv", "night_wrk", "night_wrk", "unknown column", "night_work"),
    Mistake("a mandatory table missing", lambda mini: (mini.path / "demand.csv").unlink(), "demand.csv", None, "demand.csv", "file is missing", "add demand.csv with the columns direction"),
]


@pytest.mark.parametrize("mistake", MISTAKES, ids=str)
def test_each_mistake_is_reported_once_where_it_is_made(mini, mistake):
    mistake.make(mini)
    scenario, problems = validate(mini.path)
    assert scenario is None
    assert len(problems) == 1, "\n".join(map(str, problems))
    problem = problems[0]
    assert (problem.source, problem.field) == (mistake.source, mistake.field)
    if mistake.where is not None:
        assert problem.location == mini.line_of(mistake.source, mistake.where)
    else:
        assert problem.location.startswith("line ") or mistake.source.endswith(".csv")
    assert mistake.message in problem.message
    assert mistake.fix in problem.fix


def test_every_kind_of_mistake_above_is_different(mini):
    assert len({m.name for m in MISTAKES}) == len(MISTAKES)
    assert len({(m.source, m.field, m.message) for m in MISTAKES}) == len(MISTAKES)


def test_the_unbroken_scenario_has_no_problem(mini):
    scenario, problems = validate(mini.path)
    assert problems == []
    assert scenario is not None and scenario.post.code == "mini"


def test_a_broken_office_is_reported_once_not_at_every_officer(mini):
    """One rejected office must not turn into a "does not exist" line per officer."""
    mini.replace("post.toml", 'name = "TRA at home"\nhost_side = "TZ"', 'name = "TRA at home"\nhost_side = "UG"')
    _, problems = validate(mini.path)
    assert [p.field for p in problems] == ["offices[TZ-TRA-TZ].host_side"]


def test_a_table_with_an_unusable_header_does_not_condemn_the_rows_that_refer_to_it(mini):
    mini.replace("officers.csv", "code,name,agency,office,", "kode,name,agency,office,")
    _, problems = validate(mini.path)
    assert sorted(p.field for p in problems) == ["code", "kode"]
    assert all(p.source == "officers.csv" for p in problems)
