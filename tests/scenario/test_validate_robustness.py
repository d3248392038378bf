"""Whatever a person does to a scenario's text, validation answers with problems, never
with an exception (`juxta validate` must not print a traceback)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services.scenario.validate import validate
from tests.scenario.conftest import TABLES, write_mini

FILES = ("post.toml", *TABLES)
# Characters that matter to TOML, CSV, times, windows and lists, plus some that never should.
ALPHABET = st.sampled_from(list('"=[]{},;:>+-.#\n 0123456789abcTZRW_') + ["ü", "\t", "\r"])


@st.composite
def edits(draw: st.DrawFn) -> list[tuple[str, int, int, str]]:
    """A few (file, position, characters removed, text inserted) edits."""
    return draw(st.lists(st.tuples(st.sampled_from(FILES), st.floats(0, 1), st.integers(0, 12), st.text(ALPHABET, max_size=8)), min_size=1, max_size=4))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits())
def test_any_edit_gives_problems_or_a_scenario_never_an_exception(changes):
    with tempfile.TemporaryDirectory() as scratch:
        files = write_mini(Path(scratch) / "mini")
        for name, where, removed, inserted in changes:
            text = files.text(name)
            at = int(where * len(text))
            (files.path / name).write_text(text[:at] + inserted + text[at + removed:], encoding="utf-8")
        scenario, problems = validate(files.path)
        assert (scenario is None) == bool(problems)
        assert all(problem.field and problem.message for problem in problems)
