"""Shared fixtures: the app, per-test transactions, a CSRF-sending client,
factories, a query counter, and real peer servers (localstripe, SMTP, the app).

The schema is built once per worker by running the migrations; each test then
runs inside an outer transaction that is rolled back at its end (SQLAlchemy's
"joining a Session into an external transaction" recipe), so tests can call
``commit()`` freely and still leave nothing behind.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
import time_machine
from flask.testing import FlaskClient
from flask_sqlalchemy.session import _app_ctx_id
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import event
from sqlalchemy.orm import scoped_session, sessionmaker

from marketplace import create_app
from marketplace.models import db, utcnow
from marketplace.services.availability import kept as kept_openings
from marketplace.services.common.rules import BookingRules
from marketplace.services.discovery import terms as search_terms
from tests.support import factories
from tests.support.databases import drop_database, fresh_database_url
from tests.support.servers import SMTPServer, start_localstripe

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def base_config(database_url: str, tmp_dir: Path, **overrides) -> dict:
    """Settings for a test app; overrides win."""
    config = {
        "APP_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "RATE_LIMITS": False,
        "MAIL_BACKEND": "file",
        "MAIL_OUTBOX_DIR": str(tmp_dir / "outbox"),
        "MEDIA_ROOT": str(tmp_dir / "media"),
        "STRIPE_API_BASE": "",
        "DEMO_TOOLS": True,
    }
    config.update(overrides)
    return config


def migrate(app) -> None:
    with app.app_context():
        flask_migrate.upgrade()
        db.session.remove()


# --- the clock ----------------------------------------------------------------------

# Run the in-process tests as if it were another moment, to prove they do not depend on
# the weekday or the hour: ``TEST_NOW=2026-12-06T23:30:00-05:00 pytest ...`` (a Sunday,
# late in the evening in the eastern zone). The clock keeps ticking from there. Servers
# started in their own processes (gunicorn) keep the real time.
TEST_NOW = os.environ.get("TEST_NOW", "")


@pytest.fixture(scope="session", autouse=True)
def _clock() -> Iterator[None]:
    if not TEST_NOW:
        yield
        return
    with time_machine.travel(TEST_NOW, tick=True):
        yield


@pytest.fixture
def now(_clock):
    """The moment the test starts (UTC): build dates from it, never from a weekday."""
    return utcnow()


# --- the app and per-test isolation ------------------------------------------------


@pytest.fixture(scope="session")
def _database(tmp_path_factory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("db")
    url = fresh_database_url(tmp)
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def _app(_database, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("app")
    app = create_app(base_config(_database, tmp))
    migrate(app)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(_app):
    """The app, with every database change in this test rolled back afterwards."""
    search_terms.forget_vocabulary()  # the last test's techniques were rolled back
    with _app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=_app_ctx_id,
        )
        try:
            yield _app
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


class CSRFClient(FlaskClient):
    """A test client that sends a valid CSRF token with every unsafe request,
    the way our pages do (a hidden field or htmx's ``X-CSRFToken`` header)."""

    def csrf_token(self) -> str:
        with self.session_transaction() as sess:
            raw = sess.setdefault("csrf_token", os.urandom(20).hex())
        secret = self.application.config.get("WTF_CSRF_SECRET_KEY") or self.application.secret_key
        return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)

    def open(self, *args, **kwargs):
        method = (kwargs.get("method") or "GET").upper()
        send_token = kwargs.pop("csrf", True)
        if send_token and method in {"POST", "PUT", "PATCH", "DELETE"}:
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRFToken", self.csrf_token())
            kwargs["headers"] = headers
        # Each request runs in a fresh context, as in production: its own app
        # context, ``g`` and database session, not the test's.
        return contextvars.Context().run(super().open, *args, **kwargs)

    def htmx(self, method: str, url: str, **kwargs):
        """A request as htmx sends it (not boosted), to get the fragment."""
        headers = dict(kwargs.pop("headers", None) or {})
        headers.setdefault("HX-Request", "true")
        return self.open(url, method=method, headers=headers, **kwargs)


@pytest.fixture
def client(app) -> CSRFClient:
    app.test_client_class = CSRFClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client: CSRFClient) -> None:
        self._client = client

    def login(self, user, password: str = factories.TEST_PASSWORD):
        response = self._client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
        return response

    def session_for(self, user):
        """Sign in by writing the session directly: fast, for tests about access, not sign-in."""
        with self._client.session_transaction() as sess:
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


# --- factories -------------------------------------------------------------------


@pytest.fixture
def create_user(app):
    return factories.create_user


@pytest.fixture
def create_clinic(app):
    return factories.create_clinic


@pytest.fixture
def create_therapist(app):
    return factories.create_therapist


@pytest.fixture
def create_service(app):
    return factories.create_service


@pytest.fixture
def create_bookable_clinic(app):
    return factories.create_bookable_clinic


@pytest.fixture
def create_booking(app):
    return factories.create_booking


# --- query counting --------------------------------------------------------------


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def _on_execute(self, conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            self.statements.append(statement)


@pytest.fixture
def count_queries(app):
    """``with count_queries() as q: ...`` then ``q.count``: SQL statements run inside. The
    kept open time covers today first, as on a site where ``openings refresh`` runs."""

    @contextlib.contextmanager
    def counter() -> Iterator[QueryCounter]:
        kept_openings.ensure_window(db.session, now=utcnow(),
                                    rules=BookingRules.from_config(app.config))
        q = QueryCounter()
        event.listen(db.engine, "before_cursor_execute", q._on_execute)
        try:
            yield q
        finally:
            event.remove(db.engine, "before_cursor_execute", q._on_execute)

    return counter


# --- real peer servers -----------------------------------------------------------


@pytest.fixture(scope="session")
def localstripe():
    """A real localstripe process (Stripe-compatible) on a free port."""
    server = start_localstripe()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free port; ``.messages`` holds what arrived."""
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_server):
    smtp_server.clear()
    return smtp_server


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# --- payments (booking tests) --------------------------------------------------------


@pytest.fixture
def stripe_app(app, localstripe, monkeypatch):
    """The app talking to the real localstripe process."""
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", localstripe.url)
    return app


@pytest.fixture
def gateway(stripe_app):
    """A payment gateway for localstripe, as the app builds one."""
    from marketplace.services.payments import PaymentGateway

    return PaymentGateway.from_config(stripe_app.config)
