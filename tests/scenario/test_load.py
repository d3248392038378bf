"""`juxta load` is all or nothing, on SQLite and on PostgreSQL: a scenario that fails, early or
halfway through, leaves the database exactly as it was; --replace and --skip-existing do
what they say and nothing more."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from app.cli import INPUT_ERROR
from tests.conftest import table_counts


def _post_names(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        return dict(connection.execute(text("SELECT code, name FROM border_post")).all())


def _officer_count(engine: Engine, post: str) -> int:
    query = text("SELECT COUNT(*) FROM officer JOIN border_post ON border_post.id = officer.post_id WHERE border_post.code = :code")
    with engine.connect() as connection:
        return connection.execute(query, {"code": post}).scalar_one()


def _load(runner, mini, *options: str):  # type: ignore[no-untyped-def]
    return runner.invoke("load", str(mini.path), *options)


@pytest.fixture
def other_post(runner, tmp_path, engine):  # type: ignore[no-untyped-def]
    """A second post already in the database, so "unchanged" covers rows that were there."""
    from tests.scenario.conftest import write_mini

    other = write_mini(tmp_path / "other")
    other.replace("post.toml", 'code = "mini"', 'code = "other"')
    result = runner.invoke("load", str(other.path))
    assert result.exit_code == 0, result.output
    return other


def test_a_scenario_that_does_not_validate_loads_nothing(runner, engine, mini, other_post):
    mini.replace("demand.csv", "mon,9,7.5", "mon,9,-7.5")
    before = table_counts(engine)
    result = _load(runner, mini)
    assert result.exit_code == INPUT_ERROR
    assert "negative demand" in result.output and "Traceback" not in result.output
    assert table_counts(engine) == before


def test_a_post_that_is_already_loaded_is_refused_and_nothing_changes(runner, engine, mini, other_post):
    assert _load(runner, mini).exit_code == 0
    mini.replace("post.toml", 'name = "Mini crossing"', 'name = "Mini crossing, second attempt"')
    before = table_counts(engine)
    result = _load(runner, mini)
    assert result.exit_code == INPUT_ERROR
    assert "already loaded" in result.output and "--replace" in result.output
    assert table_counts(engine) == before
    assert _post_names(engine)["mini"] == "Mini crossing"


class DemandRefusal:
    """Makes the database refuse demand rows: a load then fails after the post, its offices
    and its officers are already written in the transaction, as a constraint violation would."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        if not self.sqlite:
            with engine.begin() as connection:
                connection.execute(text("CREATE OR REPLACE FUNCTION refuse_demand() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'forced failure' USING ERRCODE = 'check_violation'; END $$ LANGUAGE plpgsql"))

    def on(self) -> None:
        statement = (
            "CREATE TRIGGER refuse_demand BEFORE INSERT ON demand BEGIN SELECT RAISE(ABORT, 'forced failure'); END"
            if self.sqlite
            else "CREATE TRIGGER refuse_demand BEFORE INSERT ON demand FOR EACH ROW EXECUTE FUNCTION refuse_demand()"
        )
        with self.engine.begin() as connection:
            connection.execute(text(statement))

    def off(self) -> None:
        with self.engine.begin() as connection:
            connection.execute(text("DROP TRIGGER IF EXISTS refuse_demand" + ("" if self.sqlite else " ON demand")))

    def remove(self) -> None:
        self.off()
        if not self.sqlite:
            with self.engine.begin() as connection:
                connection.execute(text("DROP FUNCTION IF EXISTS refuse_demand()"))


@pytest.fixture
def refusal(engine: Engine) -> Iterator[DemandRefusal]:
    refusal = DemandRefusal(engine)
    yield refusal
    refusal.remove()


def test_a_database_error_halfway_through_a_load_rolls_all_of_it_back(runner, engine, mini, other_post, refusal):
    refusal.on()
    before = table_counts(engine)
    result = _load(runner, mini)
    assert result.exit_code == INPUT_ERROR
    assert "forced failure" in result.output and "nothing was loaded" in result.output
    assert "Traceback" not in result.output
    assert table_counts(engine) == before


def test_a_failing_replace_keeps_the_post_it_would_have_replaced(runner, engine, mini, other_post, refusal):
    assert _load(runner, mini).exit_code == 0
    refusal.on()
    before = table_counts(engine)
    result = _load(runner, mini, "--replace")
    assert result.exit_code == INPUT_ERROR
    assert table_counts(engine) == before
    assert _officer_count(engine, "mini") == 5


def test_replace_swaps_the_post_for_the_new_scenario_and_leaves_other_posts(runner, engine, mini, other_post):
    assert _load(runner, mini).exit_code == 0
    once = table_counts(engine)
    mini.replace("post.toml", 'name = "Mini crossing"', 'name = "Mini crossing (revised)"')
    mini.replace("officers.csv", "TZ0002,Juma Kimaro,TZ-TRA,TZ-TRA-RW,,30,yes,no\n", "")
    result = _load(runner, mini, "--replace")
    assert result.exit_code == 0, result.output
    assert "replaced post mini" in result.output
    assert _post_names(engine) == {"mini": "Mini crossing (revised)", "other": "Mini crossing"}
    assert _officer_count(engine, "mini") == 4
    assert _officer_count(engine, "other") == 5
    after = table_counts(engine)
    assert after["officer"] == once["officer"] - 1
    assert {name: count for name, count in after.items() if name != "officer"} == {name: count for name, count in once.items() if name != "officer"}


def test_skip_existing_leaves_a_loaded_post_untouched(runner, engine, mini):
    assert _load(runner, mini).exit_code == 0
    before = table_counts(engine)
    mini.replace("post.toml", 'name = "Mini crossing"', 'name = "Mini crossing (revised)"')
    result = _load(runner, mini, "--skip-existing")
    assert result.exit_code == 0, result.output
    assert "already loaded; skipped" in result.output
    assert table_counts(engine) == before
    assert _post_names(engine) == {"mini": "Mini crossing"}


def test_skip_existing_loads_a_post_that_is_not_there(runner, engine, mini):
    result = _load(runner, mini, "--skip-existing")
    assert result.exit_code == 0, result.output
    assert _officer_count(engine, "mini") == 5
