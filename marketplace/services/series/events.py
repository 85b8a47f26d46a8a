"""Provider webhooks for series purchases, before the booking domain's.

``handle_event`` is what ``POST /webhooks/stripe`` calls: an intent event about a
series is recorded once (the same ``payment_events`` table and unique event id, in
the same transaction as the change) and settled from the intent the provider reports
when asked, never from the body; every other event goes on to
``booking.payment_events.handle_event`` unchanged.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError

from ...models import PaymentEvent, db
from ..booking import payment_events
from ..payments import PaymentGateway, PaymentRefused
from . import purchase


def handle_event(event: dict, *, gateway: PaymentGateway, now: datetime) -> str:
    """Record a verified event once and apply it; returns what happened. Does not commit."""
    kind, obj = payment_events.event_parts(event)
    if kind not in payment_events.INTENT_EVENTS:
        return payment_events.handle_event(event, gateway=gateway, now=now)
    intent_id = obj["id"][:80]
    row = purchase.purchase_for_intent(intent_id, obj.get("metadata") or {})
    if row is None:
        return payment_events.handle_event(event, gateway=gateway, now=now)
    record = PaymentEvent(provider_event_id=event["id"][:80], type=kind, intent_id=intent_id,
                          payload=event, received_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError:
        return "duplicate: already processed"
    result = _settle(kind, row, intent_id, gateway=gateway, now=now)
    record.processed_at, record.result = now, result[:200]
    return result


def _settle(kind: str, row, intent_id: str, *, gateway, now) -> str:
    try:
        state = gateway.retrieve_intent(intent_id)  # what the provider says, not the body
    except PaymentRefused:
        return f"ignored: the provider does not know intent {intent_id}"
    if state.id != intent_id or (row.intent_id is None and
                                 state.metadata.get("series") != row.reference):
        return f"{kind}: series {row.reference} ignored: the intent names another series"
    row.intent_id = intent_id  # (re)links an attempt that lost its intent id
    result = purchase.settle(row, state, now=now)
    return f"{kind}: series {row.reference} {row.status.value}, {result.outcome.value}"
