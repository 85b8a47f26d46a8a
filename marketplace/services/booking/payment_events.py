"""Provider webhooks: each event recorded once, then applied through ``deposits.settle``.

An event is only a hint that a PaymentIntent changed: what is applied is the
PaymentIntent as the provider reports it when asked (``retrieve``), its status
and amount, never the event body, so a forged, replayed or stale event cannot
confirm a booking. A body that is signed but not the shape of a Stripe event
is refused (``WebhookRejected``, a 400) before anything is recorded.

The event row (unique ``provider_event_id``) is inserted in the same
transaction as the state change it causes, so a repeated delivery is a no-op
and a failed one leaves nothing half-done (the provider retries it). Events
may come late or out of order: ``settle`` only moves a payment forward, so a
``payment_failed`` that arrives after ``succeeded`` changes nothing.
"""

from __future__ import annotations

import math
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...models import Payment, PaymentEvent, PaymentStatus, db
from ..giftcards import purchase
from ..payments import IntentState, PaymentGateway, PaymentRefused, WebhookRejected
from . import deposits

INTENT_EVENTS = {
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
    "payment_intent.processing",
    "payment_intent.requires_action",
}


def handle_event(event: dict, *, gateway: PaymentGateway, now: datetime) -> str:
    """Record a verified event once and apply it; returns what happened. Does not commit.

    Raises ``WebhookRejected`` for a body that is not a well-formed event (nothing is
    recorded) and ``PaymentUnavailable`` when the provider cannot be asked about the
    intent (the caller rolls back and answers so that the provider retries).
    """
    kind, obj = event_parts(event)
    intent_id = _intent_id(kind, obj)
    row = PaymentEvent(provider_event_id=event["id"][:80], type=kind, intent_id=intent_id,
                       payload=event, received_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return "duplicate: already processed"
    result = _apply(kind, obj, intent_id, gateway=gateway, now=now)
    row.processed_at, row.result = now, result[:200]
    return result


def event_parts(event: dict) -> tuple[str, dict]:
    """The event's type and object, checked for the shape Stripe sends (``WebhookRejected``
    otherwise); also used by ``series/events.py``, which sees each event first."""
    kind = event.get("type")
    if not isinstance(kind, str) or not kind:
        raise WebhookRejected("The event has no type.")
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if not isinstance(obj, dict):
        raise WebhookRejected("The event has no data object.")
    if not _finite(event):
        raise WebhookRejected("The event holds a number out of range.")
    if kind in INTENT_EVENTS:
        _expect(obj, "id", str, required=True)
        _expect(obj, "amount", int)
        _expect(obj, "metadata", dict)
    elif kind == "charge.refunded":
        _expect(obj, "payment_intent", str)
        _expect(obj, "amount_refunded", int)
    return kind[:80], obj


def _expect(obj: dict, key: str, kind: type, *, required: bool = False) -> None:
    value = obj.get(key)
    if value is None and not required:
        return
    if not isinstance(value, kind) or isinstance(value, bool):
        raise WebhookRejected(f"The event's {key} is missing or of the wrong type.")


def _finite(value) -> bool:
    """No infinite or NaN numbers anywhere (JSON's 1e400 reads as infinity)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return True


def _intent_id(kind: str, obj: dict) -> str | None:
    value = obj.get("id") if kind.startswith("payment_intent.") else obj.get("payment_intent")
    return value[:80] if isinstance(value, str) else None


def _apply(kind: str, obj: dict, intent_id: str | None, *, gateway, now) -> str:
    if kind in INTENT_EVENTS:
        payment = _payment_for(intent_id, obj)
        if payment is None:
            return _gift_card_event(kind, obj, intent_id, gateway=gateway, now=now)
        try:
            state = gateway.retrieve_intent(intent_id)  # what the provider says, not the body
        except PaymentRefused:
            return f"ignored: the provider does not know intent {intent_id}"
        problem = _mismatch(payment, state, intent_id)
        if problem:
            return f"{kind}: payment {payment.id} ignored: {problem}"
        payment.intent_id = intent_id  # (re)links an attempt that lost its intent id
        result = deposits.settle(payment, state, gateway=gateway, now=now)
        return f"{kind}: payment {payment.id} {payment.status.value}, {result.outcome.value}"
    if kind == "charge.refunded":
        return _refunded(intent_id, gateway=gateway, now=now)
    return f"ignored: {kind or 'no type'}"


def _gift_card_event(kind: str, obj: dict, intent_id: str | None, *, gateway, now) -> str:
    """An event about a gift card purchase: settled from the provider's intent, the same way."""
    card = purchase.card_for_intent(intent_id, obj.get("metadata") or {})
    if card is None:
        return "ignored: no payment of ours has this intent"
    try:
        state = gateway.retrieve_intent(intent_id)
    except PaymentRefused:
        return f"ignored: the provider does not know intent {intent_id}"
    if state.id != intent_id or (card.intent_id is None and
                                 state.metadata.get("gift_card") != card.reference):
        return f"{kind}: gift card {card.reference} ignored: the intent names another card"
    card.intent_id = intent_id  # (re)links an attempt that lost its intent id
    result = purchase.settle(card, state, now=now)
    return f"{kind}: gift card {card.reference} {card.status.value}, {result.outcome.value}"


def _mismatch(payment: Payment, state: IntentState, intent_id: str) -> str | None:
    """Why the provider's intent is not the one our payment asked for, if it is not."""
    if state.id != intent_id:
        return "the provider answered for another intent"
    if state.amount != payment.amount_cents or (state.currency or "").lower() != (
            payment.currency or "").lower():
        return (f"the provider's amount {state.amount} {state.currency} differs from ours "
                f"({payment.amount_cents} {payment.currency})")
    if payment.intent_id is None and (
            state.metadata.get("payment_id") != str(payment.id)
            or state.metadata.get("booking") != payment.booking.reference):
        return "the provider's intent names another payment"
    return None


def _payment_for(intent_id: str | None, obj: dict) -> Payment | None:
    """Our payment for the intent; or, if our record lost the intent id (a timeout
    while creating it), the attempt named in the intent's metadata."""
    if not intent_id:
        return None
    payment = db.session.scalar(select(Payment).where(Payment.intent_id == intent_id))
    if payment is not None:
        return payment
    raw = (obj.get("metadata") or {}).get("payment_id", "")
    if not (isinstance(raw, str) and raw.isdigit() and len(raw) < 10):
        return None
    payment = db.session.get(Payment, int(raw))
    if payment is None or payment.intent_id is not None:
        return None
    if (obj.get("metadata") or {}).get("booking") != payment.booking.reference:
        return None
    return payment  # linked in _apply, once the provider's own intent agrees


def _refunded(intent_id: str | None, *, gateway: PaymentGateway, now: datetime) -> str:
    """A refund made at the provider (ours, or from its dashboard): record the amount
    the provider reports for the intent (not the event's)."""
    if not intent_id:
        return "ignored: no payment of ours has this intent"
    payment = db.session.scalar(select(Payment).where(Payment.intent_id == intent_id))
    if payment is None:
        return "ignored: no payment of ours has this intent"
    try:
        refunded = gateway.refunded_amount(intent_id)
    except PaymentRefused:
        return f"ignored: the provider does not know intent {intent_id}"
    amount = min(refunded, payment.amount_cents)
    if amount > payment.refunded_cents:
        payment.refunded_cents = amount
        payment.status = (PaymentStatus.REFUNDED if amount >= payment.amount_cents
                          else PaymentStatus.PARTIALLY_REFUNDED)
    return f"charge.refunded: payment {payment.id} refunded {payment.refunded_cents}"
