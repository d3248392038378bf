"""Fixtures shared by every test: databases (SQLite and a real PostgreSQL), the app, clients.

Database tests run once on SQLite and once on PostgreSQL (the server on 127.0.0.1:5432,
database created per test session). Without a reachable PostgreSQL the PostgreSQL runs
skip with the reason printed; CI sets JUXTA_REQUIRE_POSTGRES=1 and then they fail instead.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app import create_app
from app.db import make_engine
from models import Base, migrate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared"
POSTGRES_ADMIN_URL = os.environ.get("JUXTA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def postgres_required() -> bool:
    return os.environ.get("JUXTA_REQUIRE_POSTGRES") == "1"


def _skip_or_fail(reason: str) -> None:
    if postgres_required():
        pytest.fail(f"PostgreSQL is required here (JUXTA_REQUIRE_POSTGRES=1): {reason}")
    pytest.skip(f"PostgreSQL not available: {reason}")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies, so migrations run once per session."""
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url(worker_id: str) -> Iterator[str]:
    """A fresh PostgreSQL database for this test session (and xdist worker), migrated to head."""
    name = f"juxta_test_{worker_id}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001  (any connection failure means: no server here)
        admin.dispose()
        _skip_or_fail(f"cannot create a database at {POSTGRES_ADMIN_URL} ({type(exc).__name__}: {exc})")
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """Each database test runs on SQLite and on PostgreSQL, starting from an empty schema."""
    if request.param == "sqlite":
        path = tmp_path / "juxta.sqlite"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_url")
    yield url
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """For tests whose subject does not depend on the database engine."""
    path = tmp_path / "juxta.sqlite"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with sessionmaker(engine, expire_on_commit=False)() as session:
        yield session


def make_test_app(url: str, **overrides: object):  # type: ignore[no-untyped-def]
    config = {
        "database.url": url,
        "security.secret_key": "test-secret",
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app(database_url: str):  # type: ignore[no-untyped-def]
    app = make_test_app(database_url)
    yield app
    app.extensions["juxta.engine"].dispose()


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def runner(app):  # type: ignore[no-untyped-def]
    from app.cli import cli

    class Runner:
        def invoke(self, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
            return app.test_cli_runner().invoke(cli, list(args), input=input)

    return Runner()


def table_counts(engine: Engine) -> dict[str, int]:
    """Rows in every table: compare before and after to prove an operation changed nothing."""
    with engine.connect() as connection:
        return {table.name: connection.execute(text(f'SELECT COUNT(*) FROM "{table.name}"')).scalar_one() for table in Base.metadata.sorted_tables}
