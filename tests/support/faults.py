"""Fault injection for the fault tests: an app on a database of its own (real commits,
shared with other processes), a database that drops in the middle of a request, and
a mail server that accepts connections and never answers.

``DatabaseDrop`` breaks the connection at the n-th statement (or COMMIT) the app
runs. On PostgreSQL it is the real thing: the server terminates that connection's
backend (``pg_terminate_backend``), so the statement fails in the driver exactly as
it does when the database restarts or the network drops. SQLite has no server to
lose; there the statement is swapped for one that fails with the driver's own
``OperationalError`` (what a disk or locking failure raises), and a COMMIT raises it.
"""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import threading
from collections.abc import Iterator

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from marketplace import create_app
from marketplace.models import db
from tests.conftest import CSRFClient, base_config, migrate
from tests.support.databases import drop_database, fresh_database_url, is_postgres
from tests.support.servers import free_port


@contextlib.contextmanager
def committed_app(tmp_path, purpose: str, **overrides) -> Iterator[tuple]:
    """An app on a fresh database of its own (migrated), for tests that commit for real
    or share the database with other processes. Yields ``(app, database_url)``."""
    url = fresh_database_url(tmp_path, purpose)
    app = create_app(base_config(url, tmp_path, **overrides))
    app.test_client_class = CSRFClient
    migrate(app)
    try:
        yield app, url
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        drop_database(url)


def _terminate(backend_pid: int, url: str) -> None:
    admin = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        # Wait (up to 5 s) until the backend is gone, so the next statement surely fails.
        conn.execute("SELECT pg_terminate_backend(%s, 5000)", (backend_pid,))


class DatabaseDrop:
    """While installed, the database connection breaks at statement number ``at``
    (COMMITs count as statements). ``fired`` says whether the request got that far."""

    def __init__(self, app, at: int) -> None:
        self.engine = None
        self.app, self.at, self.steps, self.fired = app, at, 0, False
        self.statement = ""  # the statement that failed, for messages
        self.url = app.config["SQLALCHEMY_DATABASE_URI"]

    def __enter__(self) -> DatabaseDrop:
        with self.app.app_context():
            self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._before, retval=True)
        event.listen(self.engine, "commit", self._commit)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "commit", self._commit)

    def _now(self) -> bool:
        self.steps += 1
        if self.steps == self.at:
            self.fired = True
            return True
        return False

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        if self._now():
            self.statement = " ".join(statement.split())[:120]
            if is_postgres():
                _terminate(cursor.connection.info.backend_pid, self.url)
            else:
                statement = "SELECT * FROM database_unreachable"  # no such table: the driver fails
        return statement, parameters

    def _commit(self, conn) -> None:
        if not self._now():
            return
        self.statement = "COMMIT"
        if is_postgres():
            _terminate(conn.connection.dbapi_connection.info.backend_pid, self.url)
        else:
            raise OperationalError("COMMIT", None, sqlite3.OperationalError("disk I/O error"))


class SilentSMTP:
    """A TCP server on a free port that accepts connections and never says a word:
    a mail server that hangs (a black-holed relay, a stuck process)."""

    def __init__(self) -> None:
        self.port = free_port()
        self._sock = socket.create_server(("127.0.0.1", self.port))
        self._open: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        self._sock.settimeout(0.2)
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                conn, _ = self._sock.accept()
                self._open.append(conn)

    @property
    def connections(self) -> int:
        """How many connections were made to it."""
        return len(self._open)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        for conn in self._open:
            conn.close()
        self._sock.close()
