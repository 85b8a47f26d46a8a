"""Purchases whose outcome no request saw (the browser went away, a webhook was lost):
run by ``flask reconcile-payments``. Each card is committed on its own."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select

from ...models import GiftCard, GiftCardStatus, db
from ..payments import PaymentGateway, PaymentRefused, PaymentUnavailable
from . import purchase

log = logging.getLogger(__name__)

#: An attempt younger than this may still be in a browser's hands.
STALE_AFTER = timedelta(minutes=5)
#: An attempt waiting for the bank's 3-D Secure check is left this long to be answered.
BANK_CHECK_TIME = timedelta(minutes=15)
_UNFINISHED = ("requires_confirmation", "requires_action", "requires_payment_method")
_UNANSWERED = ("Your bank’s security check was not answered in time, so the payment was "
               "cancelled. Nothing was charged.")


def reconcile_purchases(*, gateway: PaymentGateway, now: datetime) -> tuple[int, int]:
    """Settle every purchase still pending after a few minutes: paid ones become cards
    (credited, receipt, delivery), unfinished ones are cancelled at the provider so they
    can never charge (one waiting for the bank's check after ``BANK_CHECK_TIME``).
    Returns (settled, provider unreachable); one still waiting for its check is neither."""
    stale = db.session.scalars(
        select(GiftCard).where(GiftCard.status == GiftCardStatus.PENDING,
                               GiftCard.created_at < now - STALE_AFTER).order_by(GiftCard.id)
    ).all()
    settled = unreachable = 0
    for card in stale:
        if card.attempt_started_at is not None and card.attempt_started_at > now - STALE_AFTER:
            continue
        try:
            done = _settle_one(card, gateway=gateway, now=now)
        except (PaymentUnavailable, PaymentRefused) as exc:
            db.session.rollback()
            unreachable += 1
            log.warning("gift card %s not settled: %s", card.reference, exc)
            continue
        settled += done
        db.session.commit()
    return settled, unreachable


def _settle_one(card: GiftCard, *, gateway, now: datetime) -> bool:
    """Settle one card; False when its bank's check may still be answered."""
    if card.intent_id is None:  # never reached the provider, so it never charged
        card.status = GiftCardStatus.DECLINED
        card.failure_message = "The payment never reached the payment service. Nothing was charged."
        return True
    state = gateway.retrieve_intent(card.intent_id)
    started = card.attempt_started_at or card.created_at
    if state.status == "requires_action" and started > now - BANK_CHECK_TIME:
        return False
    if state.status in _UNFINISHED and state.status != "requires_payment_method":
        waited_for_bank = state.status == "requires_action"
        state = gateway.cancel_intent(card.intent_id)
        if waited_for_bank:
            state = replace(state, error_code=None, error_message=_UNANSWERED)
    purchase.settle(card, state, now=now)
    return True
