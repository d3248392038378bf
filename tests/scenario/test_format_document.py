"""docs/scenario-format.md documents exactly what the validator accepts, and its worked
example is a valid scenario."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.services.scenario.source import TABLES
from app.services.scenario.validate import ENGINES, KEYS, SECTIONS, validate
from models.enums import (
    AgencyKind,
    Facility,
    HolidayPolicy,
    LeaveKind,
    NoticePolicy,
    PostLayout,
    ResourceKind,
    WindowKind,
)

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md"
TEXT = DOCUMENT.read_text(encoding="utf-8")


def _sections() -> dict[str, str]:
    """Each heading's text (without the #s) mapped to the body under it."""
    parts = re.split(r"^(#{2,4} .+)$", TEXT, flags=re.MULTILINE)
    return {heading.lstrip("#").strip(): body for heading, body in zip(parts[1::2], parts[2::2], strict=True)}


def _body(*names: str) -> str:
    """The body of the heading that names every one of ``names`` in a code span."""
    for heading, body in _sections().items():
        if all(f"`{name}`" in heading for name in names):
            return body
    raise AssertionError(f"no heading names {names} in {DOCUMENT.name}")


def _rows(body: str) -> dict[str, list[str]]:
    """Table rows of ``body`` keyed by the code span in their first cell."""
    rows = {}
    for line in body.splitlines():
        match = re.match(r"^\|\s*`([^`]+)`\s*\|(.*)\|\s*$", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split("|")]
    return rows


def _heading_of(section: str) -> str:
    """How the document heads a post.toml section: ``[post]``, ``[[offices.hours]]``."""
    return f"[{section}]" if section in ("post", "sides.holidays", "sides.labour") else f"[[{section}]]"


@pytest.mark.parametrize("section", sorted(KEYS))
def test_every_key_of_every_section_is_documented_and_nothing_else(section):
    names = [_heading_of(section)]
    if section in ("offices.hours", "resources.hours"):
        names = ["[[offices.hours]]", "[[resources.hours]]"]
    assert set(_rows(_body(*names))) == set(KEYS[section])


def test_every_top_level_section_and_the_format_key_are_documented():
    top = _body("post.toml") + _sections()["Top level"]
    for section in SECTIONS:
        if section == "format":
            assert "format" in _rows(_sections()["Top level"])
        else:
            assert f"`{_heading_of(section)}`" in top


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_column_is_documented_with_its_requirement_and_default(table):
    rows = _rows(_body(table.file_name))
    assert set(rows) == set(table.columns)
    for column in table.required:
        assert rows[column][0] == "yes", column
    for column, default in table.optional.items():
        required, documented = rows[column][0], rows[column][1]
        assert required == "no", column
        assert documented == (f"`{default}`" if default else "(empty)"), column


@pytest.mark.parametrize("values", [PostLayout, Facility, HolidayPolicy, NoticePolicy, WindowKind, ResourceKind, LeaveKind, AgencyKind, ENGINES], ids=lambda v: getattr(v, "__name__", "engines"))
def test_every_allowed_value_is_documented(values):
    missing = [str(value) for value in values if f"`{value}`" not in TEXT]
    assert missing == []


def test_the_worked_example_is_a_valid_scenario(tmp_path):
    example = TEXT[TEXT.index("## Worked example"):]
    files = re.findall(r"^File: `([^`]+)`\n\n```\w+\n(.*?)^```", example, flags=re.MULTILINE | re.DOTALL)
    assert {name for name, _ in files} >= {"post.toml", "officers.csv", "demand.csv"}
    for name, content in files:
        (tmp_path / name).write_text(content, encoding="utf-8")
    scenario, problems = validate(tmp_path)
    assert problems == []
    assert scenario is not None and len(scenario.requests) == 2
