"""Each booking test starts from the mini post of ``builders``: on SQLite when the subject
does not depend on the database, on SQLite and PostgreSQL when it does (claims, races)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from app.db import make_engine
from tests.booking.builders import build_post


def _sessions(url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    with sessions() as session:
        build_post(session)
        session.commit()
    yield sessions
    engine.dispose()


@pytest.fixture
def sessions(sqlite_url: str) -> Iterator[sessionmaker[Session]]:
    yield from _sessions(sqlite_url)


@pytest.fixture
def any_database(database_url: str) -> Iterator[sessionmaker[Session]]:
    yield from _sessions(database_url)


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as session:
        yield session
