"""The app process is killed (SIGKILL: no except, no finally, no rollback) after the
client's payment went through at the provider and before the booking was confirmed.
Nothing in the browser or the app finishes the job; the cron job
``flask --app wsgi reconcile-payments`` does: the booking is confirmed, or, when its
time went to someone else meanwhile, the deposit is refunded. Never a second charge.

The app runs in a process of its own (``flask run``) on a database of its own, and
talks to localstripe through a proxy that passes the confirmation on (the charge
happens) and holds the answer back, which is when the process is killed.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import requests
import sqlalchemy as sa

from marketplace.models import (
    Booking,
    BookingStatus,
    OutboxEmail,
    Payment,
    PaymentStatus,
    Service,
    db,
)
from marketplace.services.booking.reconcile import STALE_AFTER
from marketplace.services.payments import PaymentGateway
from tests.conftest import ROOT
from tests.support import factories
from tests.support.booking import SlowProxy, days_ahead, hold, succeeded_charges
from tests.support.faults import committed_app
from tests.support.servers import free_port, popen_server, stop_process, wait_for_port

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture(scope="module")
def world(tmp_path_factory, localstripe):
    tmp = tmp_path_factory.mktemp("killed")
    with committed_app(tmp, "killed", STRIPE_API_BASE=localstripe.url) as (app, url):
        with app.app_context():
            b = factories.create_bookable_clinic()
            db.session.commit()
            ids = SimpleNamespace(service=b.service.id, therapist=b.therapist.id,
                                  tz=b.location.timezone)
            db.session.remove()
        yield SimpleNamespace(app=app, url=url, tmp=tmp, stripe=localstripe, ids=ids)


def _env(world, **extra) -> dict:
    return {**os.environ, "DATABASE_URL": world.url, "APP_ENV": "testing",
            "RATE_LIMITS": "false", "MAIL_BACKEND": "file", "FLASK_DEBUG": "0",
            "MAIL_OUTBOX_DIR": str(world.tmp / "outbox"), **extra}


def _held(world, day: int):
    """A new client's hold, answered and ready to pay; returns (email, reference, start)."""
    with world.app.app_context():
        b = SimpleNamespace(service=db.session.get(Service, world.ids.service),
                            therapist=SimpleNamespace(id=world.ids.therapist),
                            location=SimpleNamespace(timezone=world.ids.tz))
        client = factories.create_user()
        start = days_ahead(b, day, 11)
        booking = hold(world.app, b, start, client=client)
        db.session.commit()
        found = (client.email, booking.reference, start)
        db.session.remove()
    return found


def _serve(world, stripe_base: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = _env(world, STRIPE_API_BASE=stripe_base, STRIPE_TIMEOUT_SECONDS="60")
    server = popen_server(
        [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--no-reload",
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, timeout=30)
    except RuntimeError:
        stop_process(server)
        raise
    return server, f"http://127.0.0.1:{port}"


def _signed_in(base: str, email: str) -> requests.Session:
    browser = requests.Session()
    token = CSRF.search(browser.get(f"{base}/login", timeout=10).text).group(1)
    answer = browser.post(f"{base}/login", timeout=10, allow_redirects=False, data={
        "csrf_token": token, "email": email, "password": factories.TEST_PASSWORD})
    assert answer.status_code in (302, 303), answer.text[:300]
    return browser


def _pay_and_get_killed(world, email: str, reference: str) -> None:
    """Pay in the app's own process, and SIGKILL it once the provider has charged."""
    proxy = SlowProxy(world.stripe.url, slow_paths=("/confirm",), delay=30)
    server, base = _serve(world, proxy.url)
    outcome = {}
    try:
        browser = _signed_in(base, email)
        token = CSRF.search(browser.get(f"{base}/book/{reference}", timeout=10).text).group(1)

        def pay():
            try:
                outcome["answer"] = browser.post(
                    f"{base}/book/{reference}/pay", timeout=60, allow_redirects=False,
                    data={"csrf_token": token, "card": "pm_card_visa", "agree": "y"})
            except requests.ConnectionError as exc:
                outcome["error"] = exc

        paying = threading.Thread(target=pay)
        paying.start()
        deadline = time.monotonic() + 20
        while not any("/confirm" in path for _, path in proxy.seen):
            assert time.monotonic() < deadline, "the payment never reached the provider"
            time.sleep(0.02)
        assert succeeded_charges(world.stripe, reference) == 1  # the money has moved
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        paying.join(timeout=10)
    finally:
        stop_process(server)
        proxy.stop()
    assert "answer" not in outcome
    assert "error" in outcome


def _state(world, reference: str):
    with world.app.app_context():
        booking = db.session.scalar(sa.select(Booking).where(Booking.reference == reference))
        [payment] = booking.payments
        mails = db.session.scalars(sa.select(OutboxEmail.subject).where(
            OutboxEmail.to_addr == booking.client.email)).all()
        found = SimpleNamespace(status=booking.status, payment=payment.status,
                                intent=payment.intent_id, refunded=payment.refunded_cents,
                                deposit=booking.deposit_cents, mails=mails)
        db.session.remove()
    return found


def _cron_finds_it_later(world, reference: str) -> None:
    """As the cron job finds it a few minutes on: the attempt is no longer a fresh one."""
    with world.app.app_context():
        payment = db.session.scalar(sa.select(Payment).join(Booking).where(
            Booking.reference == reference))
        payment.created_at -= STALE_AFTER + timedelta(minutes=1)
        db.session.commit()
        db.session.remove()


def _reconcile(world) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "reconcile-payments"], cwd=ROOT,
        env=_env(world, STRIPE_API_BASE=world.stripe.url), capture_output=True, text=True,
        timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _someone_else_takes_the_time(world, start) -> None:
    """The hold lapses meanwhile and another client holds the same therapist and time."""
    with world.app.app_context():
        booking = db.session.scalar(sa.select(Booking).where(Booking.starts_at == start))
        booking.hold_expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
        b = SimpleNamespace(service=db.session.get(Service, world.ids.service),
                            therapist=SimpleNamespace(id=world.ids.therapist),
                            location=SimpleNamespace(timezone=world.ids.tz))
        hold(world.app, b, start, client=factories.create_user())
        db.session.commit()
        db.session.remove()


def test_killed_after_the_charge_reconcile_confirms_the_booking(world):
    email, reference, _ = _held(world, day=3)
    _pay_and_get_killed(world, email, reference)
    before = _state(world, reference)
    assert (before.status, before.payment) == (BookingStatus.HELD, PaymentStatus.PROCESSING)
    assert before.intent  # stored before the provider was asked to charge
    assert not any(s.startswith("Booked:") for s in before.mails)
    _cron_finds_it_later(world, reference)
    report = _reconcile(world)
    assert "Bookings confirmed from a payment: 1" in report
    after = _state(world, reference)
    assert (after.status, after.payment) == (BookingStatus.CONFIRMED, PaymentStatus.SUCCEEDED)
    assert any(s.startswith("Booked:") for s in after.mails)
    assert succeeded_charges(world.stripe, reference) == 1
    again = _reconcile(world)
    assert "Payments settled with the provider: 0" in again
    assert "Bookings confirmed from a payment: 0" in again
    assert _state(world, reference).status is BookingStatus.CONFIRMED


def test_killed_after_the_charge_and_the_time_is_gone_reconcile_refunds(world):
    email, reference, start = _held(world, day=4)
    _pay_and_get_killed(world, email, reference)
    _someone_else_takes_the_time(world, start)
    _cron_finds_it_later(world, reference)
    report = _reconcile(world)
    assert "Payments settled with the provider: 1" in report
    after = _state(world, reference)
    assert after.status is BookingStatus.EXPIRED
    assert (after.payment, after.refunded) == (PaymentStatus.REFUNDED, after.deposit)
    gateway = PaymentGateway.from_config({**world.app.config,
                                          "STRIPE_API_BASE": world.stripe.url})
    assert gateway.refunded_amount(after.intent) == after.deposit  # the money went back
    assert "Your deposit was refunded" in after.mails
    assert succeeded_charges(world.stripe, reference) == 1
    again = _reconcile(world)
    assert "Refunds made: 0" in again
    assert gateway.refunded_amount(after.intent) == after.deposit  # refunded once
