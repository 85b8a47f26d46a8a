"""The mail server is down or hangs while a client books: the booking still succeeds,
its e-mails wait in the outbox (in the database), and ``flask --app wsgi send-outbox``
sends each of them exactly once when the server is back, even when two hosts' cron
jobs run it at the same moment."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from marketplace import create_app
from marketplace.models import Booking, BookingStatus, OutboxEmail, OutboxStatus, db, utcnow
from tests.conftest import ROOT, CSRFClient, base_config
from tests.support import factories
from tests.support.booking import days_ahead
from tests.support.faults import SilentSMTP, committed_app
from tests.support.servers import free_port

REF = re.compile(r"/book/([A-Z0-9]{8})")


@pytest.fixture(scope="module")
def world(tmp_path_factory, localstripe):
    """A database of its own with a bookable clinic; apps on it are made per test."""
    tmp = tmp_path_factory.mktemp("smtp")
    with committed_app(tmp, "smtp") as (app, url):
        with app.app_context():
            b = factories.create_bookable_clinic()
            db.session.commit()
            ids = SimpleNamespace(slug=b.clinic.slug, service=b.service.id,
                                  therapist=b.therapist.id, tz=b.location.timezone, b=b)
            db.session.expunge_all()
            db.session.remove()
        yield SimpleNamespace(url=url, tmp=tmp, stripe=localstripe, ids=ids)


@pytest.fixture
def app_with_mail_at(world):
    """Make an app on the world's database whose mail goes to a given port (closed after)."""
    made = []

    def make(port: int, timeout: int = 2, delivery: str = "inline"):
        app = create_app(base_config(world.url, world.tmp, STRIPE_API_BASE=world.stripe.url,
                                     MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1",
                                     MAIL_PORT=port, MAIL_TIMEOUT=timeout,
                                     MAIL_DELIVERY=delivery))
        app.test_client_class = CSRFClient
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def _book(app, world, day: int) -> tuple[str, str]:
    """A new client holds, answers and pays through the site; returns (email, reference)."""
    with app.app_context():
        user = factories.create_user()
        db.session.commit()
        email, user_id = user.email, user.get_id()
        db.session.remove()
    web = app.test_client()
    with web.session_transaction() as session:
        session["_user_id"] = user_id
    start = days_ahead(world.ids.b, day, 13).astimezone(ZoneInfo(world.ids.tz))
    held = web.post(f"/clinics/{world.ids.slug}/book/hold", data={
        "service": world.ids.service, "therapist": world.ids.therapist,
        "start": start.isoformat()})
    assert held.status_code == 303, held.get_data(as_text=True)[:500]
    reference = REF.search(held.headers["Location"]).group(1)
    assert web.post(f"/book/{reference}/intake", data={"share_consent": "y"}).status_code == 303
    paid = web.post(f"/book/{reference}/pay", data={"card": "pm_card_visa", "agree": "y"})
    assert paid.status_code == 303, paid.get_data(as_text=True)[:500]
    confirmation = web.get(f"/book/{reference}/confirmed")
    assert "You are booked" in confirmation.get_data(as_text=True)
    return email, reference


def _mail_of(app, reference: str) -> list[OutboxEmail]:
    with app.app_context():
        booking = db.session.scalar(sa.select(Booking).where(Booking.reference == reference))
        assert booking.status is BookingStatus.CONFIRMED
        keys = (f"booking-confirmed:{booking.id}", f"clinic-new:{booking.id}:")
        rows = db.session.scalars(sa.select(OutboxEmail).where(sa.or_(
            OutboxEmail.dedupe_key == keys[0], OutboxEmail.dedupe_key.startswith(keys[1]),
        ))).all()
        db.session.expunge_all()
        db.session.remove()
    return rows


def _send_outbox(world, smtp_port: int, *options: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": world.url, "APP_ENV": "testing",
           "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_port)}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "send-outbox",
                             *options],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _make_due(app) -> None:
    """As the next cron run finds them: their retry time has come."""
    with app.app_context():
        for row in db.session.scalars(sa.select(OutboxEmail).where(
                OutboxEmail.status == OutboxStatus.PENDING)):
            row.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        db.session.remove()


def test_smtp_down_the_booking_succeeds_and_cron_sends_each_mail_once(world, smtp,
                                                                     app_with_mail_at):
    app = app_with_mail_at(free_port())  # nothing listens there
    email, reference = _book(app, world, day=3)
    waiting = _mail_of(app, reference)
    assert {r.to_addr for r in waiting} >= {email}
    assert any(r.subject.startswith("Booked:") for r in waiting)
    assert all(r.status is OutboxStatus.PENDING for r in waiting)
    assert sum(r.attempts for r in waiting) == 1  # refused once: the rest were not tried
    assert smtp.messages == []
    _make_due(app)
    # The mail server is back; two hosts' cron jobs run at the same moment.
    runs = [_send_outbox(world, smtp.port) for _ in range(2)]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    sent = sorted((m["To"], m["Subject"]) for m in smtp.messages)
    assert sent == sorted((r.to_addr, r.subject) for r in waiting)  # each one, once
    assert all(r.status is OutboxStatus.SENT for r in _mail_of(app, reference))
    later = _send_outbox(world, smtp.port).communicate(timeout=60)
    assert "Sent 0 message(s)." in later[0]
    assert len(smtp.messages) == len(waiting)


def test_a_hung_mail_server_costs_a_booking_one_timeout_not_one_per_mail(world, smtp,
                                                                        app_with_mail_at):
    silent = SilentSMTP()
    try:
        app = app_with_mail_at(silent.port, timeout=1)
        _, reference = _book(app, world, day=4)
        connections = silent.connections
    finally:
        silent.close()
    waiting = _mail_of(app, reference)
    assert len(waiting) >= 2
    assert all(r.status is OutboxStatus.PENDING for r in waiting)
    # one connection for the payment's e-mails: the first timeout stops the rest
    assert connections == 1
    _make_due(app)
    run = _send_outbox(world, smtp.port)
    assert "Sent" in run.communicate(timeout=60)[0]
    assert all(r.status is OutboxStatus.SENT for r in _mail_of(app, reference))


def test_with_the_relay_no_request_waits_on_the_mail_server(world, smtp, app_with_mail_at):
    """MAIL_DELIVERY=relay (production): paying never talks to the mail server, however
    it hangs; two relays (two hosts) then send each e-mail once, within seconds, and stop
    cleanly on SIGTERM."""
    silent = SilentSMTP()
    try:
        app = app_with_mail_at(silent.port, timeout=5, delivery="relay")
        started = time.monotonic()
        _, reference = _book(app, world, day=5)
        took = time.monotonic() - started
        assert silent.connections == 0
    finally:
        silent.close()
    assert took < 5, f"booking took {took:.1f} s: it waited on the mail server"
    waiting = _mail_of(app, reference)
    assert len(waiting) >= 2
    assert all(r.status is OutboxStatus.PENDING and r.attempts == 0 for r in waiting)
    relays = [_send_outbox(world, smtp.port, "--watch", "--interval", "0.2") for _ in range(2)]
    try:
        deadline = time.monotonic() + 30
        while len(smtp.messages) < len(waiting) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1)  # a second relay round: nothing is sent twice
    finally:
        for relay in relays:
            relay.send_signal(signal.SIGTERM)
        outputs = [relay.communicate(timeout=30) for relay in relays]
    assert [relay.returncode for relay in relays] == [0, 0], outputs
    assert all("Stopped; sent" in out for out, _ in outputs), outputs
    sent = sorted((m["To"], m["Subject"]) for m in smtp.messages)
    assert sent == sorted((r.to_addr, r.subject) for r in waiting)  # each one, once
    assert all(r.status is OutboxStatus.SENT for r in _mail_of(app, reference))
