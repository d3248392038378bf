"""A loaded Kapitan Andreevo style post for the export tests (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from app.services.feeds import FeedSettings
from tests.exports.builders import load_ka

SETTINGS = FeedSettings(refresh_minutes=60, cancelled_grace_days=14, base_url="https://juxta.example.org")


@pytest.fixture
def ka(session):
    post = load_ka(session)
    session.commit()
    return post


@pytest.fixture
def web(sqlite_url):
    """An app on SQLite, for tests whose subject is HTTP, not the database engine."""
    from tests.conftest import make_test_app

    app = make_test_app(sqlite_url, **{"feeds.base_url": SETTINGS.base_url})
    yield app
    app.extensions["juxta.engine"].dispose()


@pytest.fixture
def web_client(web):
    return web.test_client()


@pytest.fixture
def sqlite_session(sqlite_url):
    """A session on SQLite, for tests whose subject is not the database engine."""
    from sqlalchemy.orm import sessionmaker

    from app.db import make_engine

    engine = make_engine(sqlite_url)
    with sessionmaker(engine, expire_on_commit=False)() as session:
        yield session
    engine.dispose()
