"""Series purchases whose outcome no request saw, and refunds still owed: run by
``flask reconcile-payments``. Each purchase is committed on its own."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from ...models import SeriesPurchase, SeriesStatus, db
from ..payments import PaymentGateway, PaymentRefused, PaymentUnavailable
from . import gift_cards, purchase, refunds

log = logging.getLogger(__name__)

#: An attempt younger than this may still be in a browser's hands (a bank's check too).
STALE_AFTER = timedelta(minutes=30)
_UNFINISHED = ("requires_confirmation", "requires_action")


def reconcile(*, gateway: PaymentGateway, now: datetime) -> tuple[int, int]:
    """Settle purchases pending for a while (paid ones become series; unfinished ones are
    cancelled at the provider so they can never charge) and send refunds still owed.
    Returns (settled or sent, provider unreachable)."""
    stale = db.session.scalars(select(SeriesPurchase).where(
        SeriesPurchase.status == SeriesStatus.PENDING,
        SeriesPurchase.created_at < now - STALE_AFTER).order_by(SeriesPurchase.id)).all()
    settled = unreachable = 0
    for row in stale:
        if row.attempt_started_at is not None and row.attempt_started_at > now - STALE_AFTER:
            continue
        try:
            _settle_one(row, gateway=gateway, now=now)
        except (PaymentUnavailable, PaymentRefused) as exc:
            db.session.rollback()
            unreachable += 1
            log.warning("series %s not settled: %s", row.reference, exc)
            continue
        settled += 1
        db.session.commit()
    sent, owed = refunds.retry_refunds(gateway=gateway, now=now)
    return settled + sent, unreachable + owed


def _settle_one(row: SeriesPurchase, *, gateway, now: datetime) -> None:
    if row.intent_id is None:  # never reached the provider, so it never charged
        row.status = SeriesStatus.DECLINED
        row.failure_message = "The payment never reached the payment service. Nothing was charged."
        gift_cards.give_back(row, now=now)  # an abandoned purchase: the gift part goes back
        return
    state = gateway.retrieve_intent(row.intent_id)
    if state.status in _UNFINISHED:
        state = gateway.cancel_intent(row.intent_id)
    purchase.settle(row, state, now=now)
