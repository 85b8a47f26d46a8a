"""Purchases whose outcome no request saw (the browser went away, a webhook was lost):
run by ``flask reconcile-payments``. Each card is committed on its own."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from ...models import GiftCard, GiftCardStatus, db
from ..payments import PaymentGateway, PaymentRefused, PaymentUnavailable
from . import purchase

log = logging.getLogger(__name__)

#: An attempt younger than this may still be in a browser's hands.
STALE_AFTER = timedelta(minutes=5)
_UNFINISHED = ("requires_confirmation", "requires_action", "requires_payment_method")


def reconcile_purchases(*, gateway: PaymentGateway, now: datetime) -> tuple[int, int]:
    """Settle every purchase still pending after a few minutes: paid ones become cards
    (credited, receipt, delivery), unfinished ones are cancelled at the provider so they
    can never charge. Returns (settled, provider unreachable)."""
    stale = db.session.scalars(
        select(GiftCard).where(GiftCard.status == GiftCardStatus.PENDING,
                               GiftCard.created_at < now - STALE_AFTER).order_by(GiftCard.id)
    ).all()
    settled = unreachable = 0
    for card in stale:
        if card.attempt_started_at is not None and card.attempt_started_at > now - STALE_AFTER:
            continue
        try:
            _settle_one(card, gateway=gateway, now=now)
        except (PaymentUnavailable, PaymentRefused) as exc:
            db.session.rollback()
            unreachable += 1
            log.warning("gift card %s not settled: %s", card.reference, exc)
            continue
        settled += 1
        db.session.commit()
    return settled, unreachable


def _settle_one(card: GiftCard, *, gateway, now: datetime) -> None:
    if card.intent_id is None:  # never reached the provider, so it never charged
        card.status = GiftCardStatus.DECLINED
        card.failure_message = "The payment never reached the payment service. Nothing was charged."
        return
    state = gateway.retrieve_intent(card.intent_id)
    if state.status in _UNFINISHED and state.status != "requires_payment_method":
        state = gateway.cancel_intent(card.intent_id)
    purchase.settle(card, state, now=now)
