"""Bulk inserts for the synthetic catalogue: primary keys reserved up front, rows kept
per table in insertion order, and booking references made from ids."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from operator import itemgetter

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import (
    Booking,
    Clinic,
    ClinicAmenity,
    Location,
    Service,
    Therapist,
    TherapistLanguage,
    User,
    UTCDateTime,
    WorkingHours,
    db,
    service_therapists,
    therapist_modalities,
)


class Ids:
    """Primary keys reserved before a bulk insert, handed out one at a time.

    PostgreSQL reserves them in chunks from each table's sequence (safe beside
    other writers; unused values only leave gaps). Elsewhere they continue from
    the current maximum, which is safe because the SQLite transaction holds the
    write lock from its first statement.
    """

    def __init__(self, chunk: int = 4096) -> None:
        self._chunk = chunk
        self._postgres = db.session.get_bind().dialect.name == "postgresql"
        self._pools: dict[str, list[int]] = {}
        self._next: dict[str, int] = {}

    def next(self, table: sa.Table) -> int:
        pool = self._pools.get(table.name)
        if not pool:
            pool = self._pools[table.name] = self._reserve(table)[::-1]
        return pool.pop()

    def _reserve(self, table: sa.Table) -> list[int]:
        if self._postgres:
            return list(db.session.scalars(
                sa.text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                        "FROM generate_series(1, :n)"),
                {"t": table.name, "n": self._chunk},
            ))
        if table.name not in self._next:
            self._next[table.name] = (db.session.scalar(select(func.max(table.c.id))) or 0) + 1
        first = self._next[table.name]
        self._next[table.name] = first + self._chunk
        return list(range(first, first + self._chunk))


class Rows:
    """Rows of one round, per table, in the order they must be inserted."""

    ORDER = (User.__table__, Clinic.__table__, ClinicAmenity.__table__, Location.__table__,
             Therapist.__table__, TherapistLanguage.__table__, therapist_modalities,
             Service.__table__, service_therapists,
             WorkingHours.__table__, Booking.__table__)

    def __init__(self, loader: Loader | None = None) -> None:
        self.by_table: dict[sa.Table, list[dict]] = {t: [] for t in self.ORDER}
        self._loader = loader

    def add(self, table: sa.Table, row: dict) -> None:
        self.by_table[table].append(row)

    def insert_all(self) -> None:
        loader = self._loader or Loader(db.session)
        for table in self.ORDER:
            rows = self.by_table[table]
            if rows:
                loader.load(table, rows)
            rows.clear()


class Loader:
    """Writes rows straight through the driver, converted exactly as SQLAlchemy would
    bind them: ``executemany`` on SQLite, ``COPY ... FROM STDIN`` on PostgreSQL. In the
    session's transaction."""

    def __init__(self, session: Session) -> None:
        connection = session.connection()
        self._dialect = connection.dialect
        self._postgres = self._dialect.name == "postgresql"
        self._driver = connection.connection.driver_connection
        self._plans: dict[tuple[str, tuple[str, ...]], list] = {}

    def load(self, table: sa.Table, rows: list[dict]) -> None:
        keys = tuple(rows[0])
        processors = self._plans.get((table.name, keys))
        if processors is None:
            processors = self._plans[(table.name, keys)] = self._processors(table, keys)
        pick = itemgetter(*keys) if len(keys) > 1 else (lambda row: (row[keys[0]],))
        converted = [list(pick(row)) for row in rows]
        for at, process in enumerate(processors):
            if process is not None:
                for values in converted:
                    values[at] = process(values[at])
        names = ", ".join(f'"{k}"' for k in keys)
        cursor = self._driver.cursor()
        try:
            if self._postgres:
                with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                    for values in converted:
                        copy.write_row(values)
            else:
                marks = ", ".join("?" * len(keys))
                cursor.executemany(
                    f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})',  # noqa: S608
                    converted)
        finally:
            cursor.close()

    def _processors(self, table: sa.Table, keys: tuple[str, ...]) -> list:
        missing = [c.name for c in table.columns if c.name not in keys
                   and not isinstance(c.server_default, sa.Computed)  # the database's own
                   and (c.default is not None or c.server_default is not None)]
        if missing:  # a default SQLAlchemy would fill in: keep the bulk rows complete
            raise ValueError(f"{table.name}: rows lack {', '.join(missing)}")
        processors = []
        for key in keys:
            column_type = table.columns[key].type
            if isinstance(column_type, UTCDateTime) and not self._postgres:
                processors.append(_sqlite_utc)
            else:
                processors.append(column_type._cached_bind_processor(self._dialect))  # noqa: SLF001
        return processors


def _sqlite_utc(value: datetime | None) -> str | None:
    """What ``UTCDateTime`` and SQLite's ``DATETIME`` bind: naive UTC text with
    microseconds ("2026-12-06 15:30:00.000000"), a quicker route to the same text."""
    if value is None:
        return None
    if value.tzinfo is not UTC:
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given for a UTC column")
        value = value.astimezone(UTC)
    text = str(value)[:-6]  # without "+00:00"
    return text if len(text) > 19 else text + ".000000"


@contextmanager
def bulk_load(session: Session, tables: tuple[sa.Table, ...]) -> Iterator[None]:
    """Load ``tables`` without keeping their plain (non-unique) indexes up to date row
    by row: they are dropped, then made again once at the end from their own
    definitions, in the session's transaction (a failure rolls all of it back). On
    SQLite the no-overlap triggers go the same way, and every loaded row is checked
    against the rule once before they return. Keys, unique and check constraints and
    PostgreSQL's exclusion constraint stay in force throughout."""
    connection = session.connection()
    names = [t.name for t in tables]
    postgres = connection.dialect.name == "postgresql"
    deferred = _pg_deferred(connection, names) if postgres else _sqlite_deferred(connection, names)
    if postgres:
        connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
    else:
        previous_cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        connection.exec_driver_sql(f"PRAGMA cache_size = {-128 * 1024}")  # 128 MB of pages
    for drop, _ in deferred:
        connection.exec_driver_sql(drop)
    yield
    checked = postgres  # PostgreSQL's exclusion constraint was never dropped
    for _, create in deferred:
        if not checked and create.startswith("CREATE TRIGGER"):
            _sqlite_check_no_overlap(connection)  # a trigger checks new rows only
            checked = True
        connection.exec_driver_sql(create)
    if not postgres:
        connection.exec_driver_sql(f"PRAGMA cache_size = {previous_cache}")


def _sqlite_deferred(connection: sa.Connection, tables: list[str]) -> list[tuple[str, str]]:
    """(drop, create) for each plain index, then each trigger, of these tables."""
    rows = connection.execute(sa.text(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
        "AND tbl_name IN :tables AND sql IS NOT NULL ORDER BY type, name"
    ).bindparams(sa.bindparam("tables", expanding=True)), {"tables": tables}).all()
    return [(f'DROP {kind.upper()} "{name}"', sql) for kind, name, sql in rows
            if kind == "trigger" or not sql.upper().startswith("CREATE UNIQUE")]


def _sqlite_check_no_overlap(connection: sa.Connection) -> None:
    """What the no-overlap triggers would have refused, asked once of every row."""
    clash = connection.exec_driver_sql(
        "SELECT a.id, b.id FROM bookings AS a JOIN bookings AS b "
        "ON b.therapist_id = a.therapist_id AND b.id > a.id "
        "AND b.blocked_from < a.blocked_until AND a.blocked_from < b.blocked_until "
        "WHERE a.status IN ('held', 'confirmed') AND b.status IN ('held', 'confirmed') "
        "LIMIT 1").first()
    if clash:
        raise sa.exc.IntegrityError("ex_bookings_therapist_no_overlap", clash, None)


def _pg_deferred(connection: sa.Connection, tables: list[str]) -> list[tuple[str, str]]:
    """(drop, create) for each plain index of these tables in the current schema. The
    no-overlap exclusion constraint stays: made again, PostgreSQL would spell its
    condition differently from the migration."""
    indexes = connection.execute(sa.text(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
        "WHERE t.relname = ANY(:tables) AND t.relnamespace = current_schema()::regnamespace "
        "AND NOT x.indisunique AND NOT x.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) "
        "ORDER BY i.relname"), {"tables": tables}).all()
    return [(f'DROP INDEX "{name}"', sql) for name, sql in indexes]


_REF_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def synthetic_reference(booking_id: int) -> str:
    """Eight characters that look random but are unique per id (a bijection mod 36^8)."""
    n = (booking_id * 2_654_435_761 + 0x5EED) % 36**8
    chars = []
    for _ in range(8):
        n, digit = divmod(n, 36)
        chars.append(_REF_ALPHABET[digit])
    return "".join(chars)
