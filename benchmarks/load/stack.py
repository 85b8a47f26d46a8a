"""The system under load, as it runs in production: a migrated, seeded database
(PostgreSQL, or a SQLite file), localstripe, and gunicorn with its workers.

Used by ``run.py`` (the 60 s benchmark) and by the short version in the test suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import requests
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.servers import (  # noqa: E402
    free_port,
    popen_server,
    start_localstripe,
    stop_process,
    wait_for_port,
)

# A fixed, public key for the load database only: it protects nothing real.
LOAD_INTAKE_KEY = "load:bG9hZC10ZXN0LWludGFrZS1rZXktMzItYnl0ZXMhISE="


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql"))


def app_env(database_url: str, *, stripe_url: str, outbox: Path, workers: int) -> dict:
    """The production settings the load runs with (rate limits off: one client address)."""
    return {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": "load-test-secret-not-for-anything-real",
        "INTAKE_KEYS": LOAD_INTAKE_KEY,
        "DATABASE_URL": database_url,
        "STRIPE_API_BASE": stripe_url,
        # Production refuses the development placeholders; localstripe takes any key.
        "STRIPE_SECRET_KEY": "sk_test_load_benchmark",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_load_benchmark",
        "STRIPE_WEBHOOK_SECRET": "whsec_load_benchmark_not_for_anything_real",
        "RATE_LIMITS": "0",
        "SESSION_COOKIE_SECURE": "0",  # plain HTTP on loopback
        "MAIL_BACKEND": "file",
        "MAIL_OUTBOX_DIR": str(outbox),
        "DEMO_TOOLS": "0",
        "WEB_CONCURRENCY": str(workers),
        "FLASK_APP": "wsgi",
    }


def reset_database(url: str) -> None:
    """An empty database at ``url`` (dropped and created, or the SQLite file removed)."""
    if not is_postgres(url):
        path = Path(make_url(url).database)
        for extra in ("", "-wal", "-shm"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
        return
    parsed = make_url(url).set(drivername="postgresql")
    admin = parsed.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{parsed.database}"')


def database_exists(url: str) -> bool:
    if not is_postgres(url):
        return Path(make_url(url).database).exists()
    parsed = make_url(url).set(drivername="postgresql")
    admin = parsed.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            (parsed.database,)).fetchone() is not None


def seed(url: str, clinics: int) -> float:
    """``flask db upgrade`` and ``flask seed --synthetic N`` (which ends with ANALYZE),
    run in this process through the app's own CLI. Returns seconds."""
    from marketplace import create_app
    from marketplace.models import db

    started = time.monotonic()
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": _sqlalchemy(url),
                      "RATE_LIMITS": False, "MAIL_BACKEND": "file"})
    cli = app.test_cli_runner()
    with app.app_context():  # as the flask command provides
        for args in (["db", "upgrade"], ["seed", "--synthetic", str(clinics)]):
            result = cli.invoke(args=args)
            if result.exit_code != 0:
                raise RuntimeError(f"flask {' '.join(args)} failed: {result.output}"
                                   f"{result.exception!r}")
        db.session.remove()
        db.engine.dispose()
    return time.monotonic() - started


def _sqlalchemy(url: str) -> str:
    if is_postgres(url):
        return make_url(url).set(drivername="postgresql+psycopg").render_as_string(
            hide_password=False)
    return url


@dataclass
class Stack:
    base: str
    stripe_url: str
    database_url: str
    log_path: Path
    pid: int = 0  # gunicorn's master process


@contextmanager
def running(database_url: str, *, workers: int, work_dir: Path,
            extra_env: dict[str, str] | None = None):
    """localstripe, gunicorn (``workers`` workers, the repository's gunicorn.conf.py) and
    the mail relay (``flask send-outbox --watch``) on ``database_url``, as in production.
    gunicorn's stderr (the app's JSON request log) goes to a file."""
    stripe = start_localstripe()
    port = free_port()
    log_path = work_dir / "gunicorn.log"
    env = app_env(database_url, stripe_url=stripe.url, outbox=work_dir / "outbox",
                  workers=workers)
    env["BIND"] = f"127.0.0.1:{port}"
    env.update(extra_env or {})
    with log_path.open("wb") as log:
        server = popen_server(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    relay = popen_server(
        [sys.executable, "-m", "flask", "send-outbox", "--watch", "--interval", "0.5"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, timeout=60)
        base = f"http://127.0.0.1:{port}"
        _wait_healthy(base)
        yield Stack(base=base, stripe_url=stripe.url, database_url=database_url,
                    log_path=log_path, pid=server.pid)
    finally:
        stop_process(relay, grace=10)  # it finishes the message in hand, then exits
        stop_process(server, grace=30)  # the measured workers may still be finishing
        stripe.stop()


def _wait_healthy(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{base}/healthz never answered 200")
