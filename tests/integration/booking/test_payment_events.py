"""POST /webhooks/stripe: signed, recorded once, safe when events repeat, come late
or out of order; and localstripe's own signed deliveries."""

import hashlib
import hmac
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from marketplace.models import BookingStatus, PaymentEvent, PaymentStatus, db
from tests.support import factories
from tests.support.booking import (
    WEBHOOK_SECRET,
    days_ahead,
    hold,
    intent_event,
    signed,
)

URL = "/webhooks/stripe"


def post(client, payload, **sign):
    body, signature = signed(payload, **sign)
    return client.post(URL, data=body, headers={"Stripe-Signature": signature,
                                                "Content-Type": "application/json"}, csrf=False)


def signed_bytes(body: bytes):
    """A Stripe-Signature for exactly these bytes."""
    stamp = int(time.time())
    mac = hmac.new(WEBHOOK_SECRET.encode(), f"{stamp}.".encode() + body,
                   hashlib.sha256).hexdigest()
    return body, f"t={stamp},v1={mac}"


def _events() -> int:
    return db.session.scalar(select(func.count(PaymentEvent.id)))


def _paid_intent(gateway, booking, method="pm_card_visa"):
    """A PaymentIntent at the provider for the booking, and our payment row for it (open)."""
    from marketplace.models import Payment

    state = gateway.create_intent(amount=booking.deposit_cents, payment_method=method,
                                  metadata={"booking": booking.reference},
                                  idempotency_key=f"t-{booking.reference}")
    payment = Payment(booking=booking, idempotency_key=f"t-{booking.reference}",
                      intent_id=state.id, amount_cents=booking.deposit_cents,
                      status=PaymentStatus.PROCESSING)
    db.session.add(payment)
    db.session.flush()
    confirmed = gateway.confirm_intent(state.id, idempotency_key="c")
    return payment, confirmed


def _intent_dict(gateway, intent_id):
    return gateway._client.v1.payment_intents.retrieve(intent_id).to_dict()


def test_a_bad_missing_or_stale_signature_is_refused_and_changes_nothing(client):
    event = intent_event("evt_bad", "payment_intent.succeeded", {"id": "pi_x", "status": "x"})
    assert post(client, event, secret="whsec_wrong").status_code == 400
    assert client.post(URL, data=b"{}", csrf=False).status_code == 400
    stale = int(time.time()) - 301
    assert post(client, event, at=stale).status_code == 400
    assert client.post(URL, data=b"not json", headers={"Stripe-Signature": signed({})[1]},
                       csrf=False).status_code == 400
    assert _events() == 0


def test_a_success_event_confirms_once_however_often_it_comes(app, client, create_bookable_clinic,
                                                              gateway):
    b = create_bookable_clinic()
    booking = hold(app, b, days_ahead(b, 3), client=factories.create_user())
    payment, _ = _paid_intent(gateway, booking)
    db.session.commit()
    event = intent_event("evt_ok_1", "payment_intent.succeeded",
                         _intent_dict(gateway, payment.intent_id))
    first = post(client, event)
    again = post(client, event)
    assert first.status_code == again.status_code == 200
    assert "confirmed" in first.get_json()["result"]
    assert again.get_json()["result"].startswith("duplicate")
    db.session.refresh(booking)
    db.session.refresh(payment)
    assert booking.status is BookingStatus.CONFIRMED
    assert payment.status is PaymentStatus.SUCCEEDED
    assert _events() == 1
    from marketplace.models import OutboxEmail

    confirmations = db.session.scalar(select(func.count(OutboxEmail.id)).where(
        OutboxEmail.dedupe_key == f"booking-confirmed:{booking.id}"))
    assert confirmations == 1


def test_a_late_failure_after_success_changes_nothing(app, client, create_bookable_clinic,
                                                      gateway):
    b = create_bookable_clinic()
    booking = hold(app, b, days_ahead(b, 3), client=factories.create_user())
    payment, _ = _paid_intent(gateway, booking)
    db.session.commit()
    intent = _intent_dict(gateway, payment.intent_id)
    assert post(client, intent_event("evt_s", "payment_intent.succeeded", intent)).status_code \
        == 200
    stale_failure = {**intent, "status": "requires_payment_method",
                     "last_payment_error": {"code": "card_declined", "message": "Declined"}}
    answer = post(client, intent_event("evt_f", "payment_intent.payment_failed", stale_failure))
    assert answer.status_code == 200
    db.session.refresh(payment)
    db.session.refresh(booking)
    assert payment.status is PaymentStatus.SUCCEEDED
    assert booking.status is BookingStatus.CONFIRMED


def test_a_failure_event_marks_the_attempt_failed_and_keeps_the_hold(app, client,
                                                                      create_bookable_clinic,
                                                                      gateway):
    b = create_bookable_clinic()
    booking = hold(app, b, days_ahead(b, 3), client=factories.create_user())
    payment, state = _paid_intent(gateway, booking, method="pm_card_chargeCustomerFail")
    db.session.commit()
    assert state.status == "requires_payment_method"
    intent = _intent_dict(gateway, payment.intent_id)
    assert post(client, intent_event("evt_fail", "payment_intent.payment_failed",
                                     intent)).status_code == 200
    db.session.refresh(payment)
    db.session.refresh(booking)
    assert payment.status is PaymentStatus.FAILED
    assert booking.status is BookingStatus.HELD


def test_a_success_arriving_after_the_slot_went_to_someone_else_is_refunded(
        app, client, create_bookable_clinic, gateway):
    b = create_bookable_clinic()
    starts = days_ahead(b, 3)
    t0 = datetime.now(UTC) - timedelta(minutes=30)
    booking = hold(app, b, starts, client=factories.create_user(), now=t0)
    payment, _ = _paid_intent(gateway, booking)
    # The hold lapsed, and another client held (and booked) the time meanwhile.
    other = hold(app, b, starts, client=factories.create_user())
    db.session.commit()
    db.session.refresh(booking)
    assert booking.status is BookingStatus.EXPIRED
    assert other.status is BookingStatus.HELD
    event = intent_event("evt_late", "payment_intent.succeeded",
                         _intent_dict(gateway, payment.intent_id))
    assert post(client, event).status_code == 200
    db.session.refresh(payment)
    db.session.refresh(booking)
    assert booking.status is BookingStatus.EXPIRED
    assert payment.status is PaymentStatus.REFUNDED
    assert payment.refunded_cents == payment.amount_cents
    assert gateway.refunded_amount(payment.intent_id) == payment.amount_cents


def test_a_late_success_still_confirms_when_the_slot_is_free(app, client,
                                                             create_bookable_clinic, gateway):
    b = create_bookable_clinic()
    t0 = datetime.now(UTC) - timedelta(minutes=30)
    booking = hold(app, b, days_ahead(b, 3), client=factories.create_user(), now=t0)
    payment, _ = _paid_intent(gateway, booking)
    from marketplace.services import booking as bookings

    bookings.expire_lapsed_holds(now=datetime.now(UTC))
    db.session.commit()
    event = intent_event("evt_late_ok", "payment_intent.succeeded",
                         _intent_dict(gateway, payment.intent_id))
    assert post(client, event).status_code == 200
    db.session.refresh(booking)
    assert booking.status is BookingStatus.CONFIRMED


def test_events_for_intents_we_do_not_know_are_recorded_and_ignored(client):
    answer = post(client, intent_event("evt_other", "payment_intent.succeeded",
                                       {"id": "pi_unknown", "status": "succeeded", "amount": 1}))
    assert answer.status_code == 200
    assert answer.get_json()["result"].startswith("ignored")
    assert post(client, {"id": "evt_misc", "type": "customer.created",
                         "data": {"object": {}}}).get_json()["result"].startswith("ignored")
    assert _events() == 2


def test_localstripe_signs_webhooks_the_way_we_verify(app, client, create_bookable_clinic,
                                                     gateway, localstripe):
    """The real thing: localstripe signs and POSTs the event; we check what it sent."""
    import requests

    receiver = WebhookReceiver()
    try:
        requests.post(f"{localstripe.url}/_config/webhooks/receiver", timeout=5, data={
            "url": receiver.url, "secret": app.config["STRIPE_WEBHOOK_SECRET"]})
        b = create_bookable_clinic()
        booking = hold(app, b, days_ahead(b, 3), client=factories.create_user())
        payment, _ = _paid_intent(gateway, booking)
        db.session.commit()
        body, signature = receiver.wait_for(payment.intent_id, "payment_intent.succeeded")
    finally:
        requests.post(f"{localstripe.url}/_config/webhooks/receiver", timeout=5,
                      data={"url": "http://127.0.0.1:9/", "secret": "off"})
        receiver.stop()
    answer = client.post(URL, data=body, csrf=False, headers={
        "Stripe-Signature": signature, "Content-Type": "application/json"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    db.session.refresh(booking)
    assert booking.status is BookingStatus.CONFIRMED


class WebhookReceiver:
    """Collects what localstripe POSTs: raw bodies with their Stripe-Signature headers."""

    def __init__(self):
        import http.server
        import threading

        from tests.support.servers import free_port

        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                received.append((body, self.headers.get("Stripe-Signature")))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/hook"

    def wait_for(self, intent_id, kind, timeout=10):
        import json

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for body, signature in list(self.received):
                event = json.loads(body)
                if event["type"] == kind and event["data"]["object"]["id"] == intent_id:
                    return body, signature
            time.sleep(0.1)
        raise AssertionError(f"localstripe sent no {kind} for {intent_id}")

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def test_a_signed_but_forged_success_does_not_confirm_a_declined_payment(
        app, client, create_bookable_clinic, gateway):
    """The event body says succeeded; the provider says the card was declined. The
    provider wins: settlement reads the PaymentIntent from it, never from the event."""
    b = create_bookable_clinic()
    booking = hold(app, b, days_ahead(b, 3), client=factories.create_user())
    payment, state = _paid_intent(gateway, booking, method="pm_card_chargeCustomerFail")
    db.session.commit()
    assert state.status == "requires_payment_method"
    forged = {**_intent_dict(gateway, payment.intent_id), "status": "succeeded",
              "last_payment_error": None}
    answer = post(client, intent_event("evt_forged", "payment_intent.succeeded", forged))
    assert answer.status_code == 200
    assert "confirmed" not in answer.get_json()["result"]
    db.session.refresh(payment)
    db.session.refresh(booking)
    assert payment.status is not PaymentStatus.SUCCEEDED
    assert booking.status is BookingStatus.HELD


def test_a_success_for_a_different_amount_than_ours_does_not_confirm(
        app, client, create_bookable_clinic, gateway):
    b = create_bookable_clinic()
    booking = hold(app, b, days_ahead(b, 3), client=factories.create_user())
    payment, _ = _paid_intent(gateway, booking)
    payment.amount_cents += 1000  # the provider charged less than our record asks for
    db.session.commit()
    answer = post(client, intent_event("evt_amount", "payment_intent.succeeded",
                                       _intent_dict(gateway, payment.intent_id)))
    assert answer.status_code == 200
    assert "amount" in answer.get_json()["result"]
    db.session.refresh(booking)
    assert booking.status is BookingStatus.HELD


@pytest.mark.parametrize("body", [
    {"id": "evt_m1", "type": "payment_intent.succeeded", "data": "x"},
    {"id": "evt_m2", "type": "payment_intent.succeeded", "data": {"object": "x"}},
    {"id": "evt_m3", "type": "payment_intent.succeeded", "data": {}},
    {"id": "evt_m4", "type": "payment_intent.succeeded"},
    {"id": "evt_m5", "type": "payment_intent.succeeded", "data": {"object": {"id": 5}}},
    {"id": "evt_m6", "type": "payment_intent.succeeded",
     "data": {"object": {"id": "pi_x", "amount": 1e400}}},
    {"id": "evt_m7", "type": "charge.refunded",
     "data": {"object": {"payment_intent": "pi_x", "amount_refunded": 1e400}}},
    {"id": "evt_m8", "type": "charge.refunded", "data": {"object": {"payment_intent": ["x"]}}},
    {"id": "evt_m9", "type": ["payment_intent.succeeded"], "data": {"object": {}}},
    {"id": "evt_m10", "type": "payment_intent.succeeded",
     "data": {"object": {"id": "pi_x", "metadata": "x"}}},
], ids=lambda body: body["id"])
def test_a_signed_but_malformed_event_is_a_400_and_changes_nothing(client, body):
    answer = post(client, body)
    assert answer.status_code == 400
    assert "error" in answer.get_json()
    assert _events() == 0


def test_an_event_whose_amount_overflows_is_a_400(client):
    """The literal 1e400 (not Infinity) as Stripe-like JSON would carry it."""
    body, signature = signed({"id": "evt_big", "type": "payment_intent.succeeded",
                              "data": {"object": {"id": "pi_x", "amount": 12345}}})
    body = body.replace(b"12345", b"1e400")
    _, signature = signed_bytes(body)
    answer = client.post(URL, data=body, csrf=False, headers={
        "Stripe-Signature": signature, "Content-Type": "application/json"})
    assert answer.status_code == 400
    assert _events() == 0


def test_a_refund_event_records_what_the_provider_refunded_not_what_the_body_says(
        app, client, create_bookable_clinic, gateway):
    b = create_bookable_clinic()
    booking = hold(app, b, days_ahead(b, 3), client=factories.create_user())
    payment, _ = _paid_intent(gateway, booking)
    db.session.commit()
    assert post(client, intent_event("evt_paid", "payment_intent.succeeded",
                                     _intent_dict(gateway, payment.intent_id))).status_code == 200
    forged = {"id": "evt_refund_forged", "type": "charge.refunded", "data": {"object": {
        "id": "ch_x", "payment_intent": payment.intent_id,
        "amount_refunded": payment.amount_cents}}}
    assert post(client, forged).status_code == 200
    db.session.refresh(payment)
    assert payment.refunded_cents == 0
    assert payment.status is PaymentStatus.SUCCEEDED


@pytest.mark.parametrize("body", [
    b'{"id": "evt_deep", "type": "x", "data": {"object": {}}, "n": ' + b"[" * 50000
    + b"]" * 50000 + b"}",
    b'{"id": "evt_nan", "type": "payment_intent.succeeded", "data": {"object": '
    b'{"id": "pi_x", "amount": NaN}}}',
], ids=["nested-too-deep", "nan"])
def test_a_signed_body_json_cannot_hold_is_a_400(client, body):
    _, signature = signed_bytes(body)
    answer = client.post(URL, data=body, csrf=False, headers={
        "Stripe-Signature": signature, "Content-Type": "application/json"})
    assert answer.status_code == 400
    assert _events() == 0
