"""Test databases: one per xdist worker (and purpose), SQLite or PostgreSQL.

With ``DATABASE_URL`` set (PostgreSQL), each worker gets its own fresh
database named after that URL's database, e.g. ``ci_gw0`` or ``ci_gw1_live``.
Without it, each worker gets SQLite files in a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url


def worker_id() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def is_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql"))


def fresh_database_url(tmp_dir: Path, purpose: str = "") -> str:
    """An empty database for this worker and purpose, as a SQLAlchemy URL."""
    suffix = f"_{purpose}" if purpose else ""
    if not is_postgres():
        path = tmp_dir / f"test-{worker_id()}{suffix}.db"
        for extra in ("", "-wal", "-shm"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    base = make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql+psycopg")
    name = f"{base.database}_{worker_id()}{suffix}"[:63]
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return base.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Remove a PostgreSQL database made by ``fresh_database_url`` (SQLite files go with tmp)."""
    if not url.startswith("postgresql"):
        return
    parsed = make_url(url)
    base = make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql")
    with psycopg.connect(base.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
