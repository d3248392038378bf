"""The migrations build exactly the schema the models describe, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from models import Base, migrate


def test_migrations_reach_head_and_match_the_models(engine):
    assert migrate.is_current(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": False}), Base.metadata)
    assert differences == []
