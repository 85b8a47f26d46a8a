"""Engine set-up per database: SQLite needs help to be a safe shared store."""

from __future__ import annotations

import sqlalchemy as sa


def configure_engine(engine: sa.Engine) -> None:
    """Apply the per-dialect settings our invariants rely on."""
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)


def _configure_sqlite(engine: sa.Engine) -> None:
    """WAL, foreign keys, a busy timeout, and BEGIN IMMEDIATE transactions.

    Python's sqlite3 module starts a transaction only at the first write, so a
    check-then-insert lets racing processes through. SQLAlchemy's documented
    recipe takes transaction control away from the driver and emits
    ``BEGIN IMMEDIATE``: every transaction then holds SQLite's single write
    lock from its first statement, which serialises check-and-insert.
    """

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


# Indexes written by hand in the migrations (a GiST expression, descending columns).
HAND_WRITTEN_INDEXES = frozenset({"ix_locations_point", "ix_clinics_status_rank"})


def include_in_migrations(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic filter: full-text and spatial shadow tables, SQLite internals and the
    hand-written indexes are hand-written DDL."""
    if type_ == "index" and name in HAND_WRITTEN_INDEXES:
        return False
    return not (type_ == "table" and name
                and name.startswith(("sqlite_", "search_fts", "locations_rtree")))
