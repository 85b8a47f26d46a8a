"""The payment server is down or slow while a client pays, through the site: the hold is
kept, the client is told what happened and that retrying is safe, and the retry
charges exactly once, whichever answer was lost (the creation or the confirmation).

(The same faults at the service level are in ``test_payments.py``.)"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest

from marketplace.models import Booking, BookingStatus, db, utcnow
from tests.support import factories
from tests.support.booking import SlowProxy, days_ahead, provider_payments, succeeded_charges
from tests.support.servers import free_port

REF = re.compile(r"/book/([A-Z0-9]{8})")
PAY = {"card": "pm_card_visa", "agree": "y"}


@pytest.fixture
def ready_to_pay(client, auth, create_bookable_clinic, stripe_app):
    """A signed-in client whose hold is answered and waits for the deposit."""
    b = create_bookable_clinic()
    auth.session_for(factories.create_user())
    start = days_ahead(b, 3, 10).astimezone(ZoneInfo(b.location.timezone))
    held = client.post(f"/clinics/{b.clinic.slug}/book/hold", data={
        "service": b.service.id, "therapist": b.therapist.id, "start": start.isoformat()})
    reference = REF.search(held.headers["Location"]).group(1)
    assert client.post(f"/book/{reference}/intake", data={"share_consent": "y"}).status_code == 303
    return reference


def _booking(reference) -> Booking:
    db.session.expire_all()
    return db.session.scalar(db.select(Booking).where(Booking.reference == reference))


def _told_to_retry_safely(response, reference) -> None:
    text = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "could not reach the payment service" in text
    assert "still held for you until" in text
    assert "never be charged twice" in text
    assert re.search(r'<input checked[^>]*value="pm_card_visa"', text)  # the choice is kept
    booking = _booking(reference)
    assert booking.status is BookingStatus.HELD
    assert booking.hold_expires_at > utcnow()


def _retry_books_it_once(client, localstripe, reference) -> None:
    retry = client.post(f"/book/{reference}/pay", data=PAY)
    assert retry.status_code == 303
    assert retry.headers["Location"].endswith(f"/book/{reference}/confirmed")
    assert _booking(reference).status is BookingStatus.CONFIRMED
    assert succeeded_charges(localstripe, reference) == 1
    again = client.post(f"/book/{reference}/pay", data=PAY)  # one more click, afterwards
    assert again.status_code == 303
    assert succeeded_charges(localstripe, reference) == 1


def test_payment_server_down(client, app, localstripe, ready_to_pay, monkeypatch):
    reference = ready_to_pay
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", f"http://127.0.0.1:{free_port()}")
    for _ in range(2):  # still down on the first retry
        _told_to_retry_safely(client.post(f"/book/{reference}/pay", data=PAY), reference)
    assert provider_payments(localstripe, reference) == []
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", localstripe.url)  # it is back
    _retry_books_it_once(client, localstripe, reference)


def test_payment_server_answers_too_late_after_charging(client, app, localstripe,
                                                        ready_to_pay, monkeypatch):
    reference = ready_to_pay
    proxy = SlowProxy(localstripe.url, slow_paths=("/confirm",), delay=2.0)
    try:
        monkeypatch.setitem(app.config, "STRIPE_API_BASE", proxy.url)
        monkeypatch.setitem(app.config, "STRIPE_TIMEOUT_SECONDS", 1)
        slow = client.post(f"/book/{reference}/pay", data=PAY)
    finally:
        proxy.stop()
    _told_to_retry_safely(slow, reference)
    assert succeeded_charges(localstripe, reference) == 1  # it did go through
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", localstripe.url)
    _retry_books_it_once(client, localstripe, reference)


def test_payment_server_answers_too_late_after_creating_the_payment(
        client, app, localstripe, ready_to_pay, monkeypatch):
    reference = ready_to_pay
    proxy = SlowProxy(localstripe.url, delay=2.0,
                      slow_when=lambda method, path: method == "POST"
                      and path.rstrip("/") == "/v1/payment_intents")
    try:
        monkeypatch.setitem(app.config, "STRIPE_API_BASE", proxy.url)
        monkeypatch.setitem(app.config, "STRIPE_TIMEOUT_SECONDS", 1)
        slow = client.post(f"/book/{reference}/pay", data=PAY)
    finally:
        proxy.stop()
    _told_to_retry_safely(slow, reference)
    [lost] = provider_payments(localstripe, reference)  # created, its id never heard of
    assert lost["status"] == "requires_confirmation"
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", localstripe.url)
    _retry_books_it_once(client, localstripe, reference)
    statuses = sorted(p["status"] for p in provider_payments(localstripe, reference))
    assert statuses == ["requires_confirmation", "succeeded"]  # the lost one never charges


def test_the_payment_page_answers_htmx_with_the_message_in_place(client, app, ready_to_pay,
                                                                 monkeypatch):
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", f"http://127.0.0.1:{free_port()}")
    response = client.htmx("POST", f"/book/{ready_to_pay}/pay", data=PAY)
    text = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "<html" not in text
    assert "never be charged twice" in text
