"""Refunding a deposit: exactly the amount owed, once, however often it is asked."""

from __future__ import annotations

import logging
from datetime import datetime

from ...models import Payment, PaymentStatus
from .. import audit
from ..payments import PaymentGateway, PaymentRefused, PaymentUnavailable

log = logging.getLogger(__name__)


def refund_payment(payment: Payment, *, amount: int, gateway: PaymentGateway,
                   now: datetime) -> bool:
    """Make sure ``amount`` cents of this payment are refunded. Does not commit.

    Asks the provider first what it already refunded (an earlier answer may
    have been lost), then refunds only the difference. False when the
    provider could not be reached: ``reconcile-payments`` tries again.
    """
    amount = min(amount, payment.amount_cents)
    if amount <= 0 or payment.refunded_cents >= amount:
        return True
    if payment.intent_id is None:
        return False
    try:
        already = gateway.refunded_amount(payment.intent_id)
        if already < amount:
            payment.refund_id = gateway.refund(
                payment.intent_id, amount=amount - already,
                idempotency_key=f"refund-{payment.idempotency_key}-{amount}",
            )
    except (PaymentUnavailable, PaymentRefused) as exc:
        log.warning("refund of payment %s not made yet: %s", payment.id, exc)
        return False
    payment.refunded_cents = amount
    payment.status = (PaymentStatus.REFUNDED if amount >= payment.amount_cents
                      else PaymentStatus.PARTIALLY_REFUNDED)
    audit.record(actor=None, action="payment.refund", obj=payment.booking, now=now,
                 detail={"payment_id": payment.id, "amount_cents": amount})
    return True
