"""Declarative base, shared column types and the naming convention Alembic relies on."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Annotated, Any

from sqlalchemy import JSON, DateTime, MetaData, String, TypeDecorator, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, mapped_column

# Stable constraint names, so migrations written on SQLite apply unchanged on PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An instant, always handed back as an aware UTC ``datetime``.

    PostgreSQL keeps ``timestamptz``; SQLite has no zone type, so instants are stored there
    as naive UTC. Naive datetimes are refused on the way in: a wall-clock time without its
    zone is ambiguous, and only the service layer knows the office's zone.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store instants as aware UTC datetimes")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class JSONDocument(TypeDecorator[Any]):
    """JSON everywhere, stored as ``jsonb`` on PostgreSQL (indexable, compact)."""

    impl = JSON()
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(JSON())


JSONValue = JSONDocument()


def utcnow() -> datetime:
    return datetime.now(UTC)


intpk = Annotated[int, mapped_column(primary_key=True)]
code = Annotated[str, mapped_column(String(40))]
name = Annotated[str, mapped_column(String(200))]
instant = Annotated[datetime, mapped_column(UTCDateTime())]
created = Annotated[
    datetime, mapped_column(UTCDateTime(), default=utcnow, server_default=func.now())
]


def str_enum(enum_class: type[enum.Enum]) -> Any:
    """Enum stored as its value in a VARCHAR with a CHECK, portable across SQLite and PostgreSQL."""
    from sqlalchemy import Enum

    return Enum(
        enum_class,
        native_enum=False,
        length=40,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
        create_constraint=True,
        name=enum_class.__name__.lower(),
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSONValue, list[Any]: JSONValue}

    def __repr__(self) -> str:
        key = getattr(self, "code", None) or getattr(self, "username", None)
        return f"{type(self).__name__}(id={getattr(self, 'id', None)!r}, {key!r})"
