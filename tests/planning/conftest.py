"""A web app over a fresh copy of the migrated SQLite template, for the planning services."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import make_test_app


@pytest.fixture
def app(tmp_path: Path, sqlite_template: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "juxta.sqlite"
    shutil.copy(sqlite_template, path)
    web_app = make_test_app(f"sqlite:///{path}")
    yield web_app
    web_app.extensions["juxta.engine"].dispose()
