"""Provider webhooks: each event recorded once, then applied through ``deposits.settle``.

The event row (unique ``provider_event_id``) is inserted in the same
transaction as the state change it causes, so a repeated delivery is a no-op
and a failed one leaves nothing half-done (the provider retries it). Events
may come late or out of order: ``settle`` only moves a payment forward, so a
``payment_failed`` that arrives after ``succeeded`` changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..models import Payment, PaymentEvent, PaymentStatus, db
from . import deposits
from .payments import IntentState, PaymentGateway

INTENT_EVENTS = {
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
    "payment_intent.processing",
    "payment_intent.requires_action",
}


def handle_event(event: dict, *, gateway: PaymentGateway, now: datetime) -> str:
    """Record a verified event once and apply it; returns what happened. Does not commit."""
    kind = str(event.get("type") or "")[:80]
    obj = (event.get("data") or {}).get("object") or {}
    if not isinstance(obj, dict):
        obj = {}
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


def _intent_id(kind: str, obj: dict) -> str | None:
    value = obj.get("id") if kind.startswith("payment_intent.") else obj.get("payment_intent")
    return value[:80] if isinstance(value, str) else None


def _apply(kind: str, obj: dict, intent_id: str | None, *, gateway, now) -> str:
    if kind in INTENT_EVENTS:
        payment = _payment_for(intent_id, obj)
        if payment is None:
            return "ignored: no payment of ours has this intent"
        result = deposits.settle(payment, IntentState.from_stripe(obj), gateway=gateway, now=now)
        return f"{kind}: payment {payment.id} {payment.status.value}, {result.outcome.value}"
    if kind == "charge.refunded":
        return _refunded(intent_id, obj, now=now)
    return f"ignored: {kind or 'no type'}"


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
    payment.intent_id = intent_id
    return payment


def _refunded(intent_id: str | None, obj: dict, *, now: datetime) -> str:
    """A refund made at the provider (ours, or from its dashboard): record the amount."""
    payment = db.session.scalar(select(Payment).where(Payment.intent_id == intent_id))
    if payment is None:
        return "ignored: no payment of ours has this intent"
    try:
        amount = min(int(obj.get("amount_refunded") or 0), payment.amount_cents)
    except (TypeError, ValueError):
        return "ignored: no refunded amount"
    if amount > payment.refunded_cents:
        payment.refunded_cents = amount
        payment.status = (PaymentStatus.REFUNDED if amount >= payment.amount_cents
                          else PaymentStatus.PARTIALLY_REFUNDED)
    return f"charge.refunded: payment {payment.id} refunded {payment.refunded_cents}"
