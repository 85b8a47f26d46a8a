"""The declarative base, the ``db`` extension and the column types every model shares."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC and always returned timezone-aware.

    PostgreSQL keeps it as ``timestamptz``; SQLite has no zone support, so the
    value is stored as naive UTC text (which still sorts and compares right).
    Naive datetimes are refused on the way in: they are a bug waiting to happen.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given for a UTC column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_type(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """A portable enum stored as its string values, guarded by a named CHECK."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


db = SQLAlchemy(model_class=Base)


def among(column, ids) -> sa.ColumnElement[bool]:
    """``column IN (ids)`` for a long list of integer ids (search asks about thousands of
    therapists). On PostgreSQL it is ``column = ANY(:ids)`` with one array parameter:
    psycopg and the planner handle that far faster than a parameter per id."""
    ids = list(ids)
    if db.session.get_bind().dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(None, ids, type_=ARRAY(sa.Integer)))
    return column.in_(ids)


def link_table(name: str, owner: tuple[str, str], other: tuple[str, str]) -> sa.Table:
    """A many-to-many table: ``(column, "table.id")`` for each side, together the primary
    key; deleting either side deletes the link; ``other`` is indexed for lookups from it."""
    return sa.Table(
        name,
        db.metadata,
        sa.Column(owner[0], sa.ForeignKey(owner[1], ondelete="CASCADE"), primary_key=True),
        sa.Column(other[0], sa.ForeignKey(other[1], ondelete="CASCADE"), primary_key=True,
                  index=True),
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
