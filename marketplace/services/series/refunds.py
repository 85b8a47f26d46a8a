"""Refunding a series' unused sessions under the rule stored with it, through the provider.

The client's request closes the series and records what is owed in one commit
before the provider is asked; the refund itself has its own idempotency key and
asks the provider first what it already refunded, so a lost answer is repaired by
``reconcile-payments`` (``retry_refunds``) and never refunds twice.

A series a gift card paid (part of) is refunded gift card first: of what is owed, up
to the gift card's part goes back to the card as a ``return`` ledger row in the same
commit that closes the series (an expired card's value is written off again, as for
deposits), and only the rest is refunded to the card payment (``card_refund_cents``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ...models import RefundRule, SeriesPurchase, SeriesStatus, User, db
from .. import audit
from ..common.errors import Conflict, NotAllowed
from ..payments import PaymentGateway, PaymentRefused, PaymentUnavailable
from . import gift_cards, notices, sessions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RefundTerms:
    sessions: int  # unused sessions that would be refunded
    cents: int  # what the client gets back for them


@dataclass(frozen=True)
class RefundResult:
    sessions: int
    cents: int
    pending: bool  # the provider did not answer: reconcile-payments sends it
    gift_card_cents: int = 0  # of ``cents``, what went back to the gift card


def card_refund_cents(purchase: SeriesPurchase) -> int:
    """Of the refund owed, what goes back through the card payment: the gift card's
    part of the price is returned first."""
    return max(0, purchase.refund_cents - purchase.gift_card_cents)


def terms(purchase: SeriesPurchase, now: datetime) -> RefundTerms:
    """What refunding the unused sessions now would give back (0 after expiry or under
    a no-refund rule)."""
    unused = sessions.sessions_left(purchase, now)
    if unused <= 0 or purchase.refund_rule is RefundRule.NONE:
        return RefundTerms(unused, 0)
    cents = unused * purchase.per_session_cents
    if purchase.refund_rule is RefundRule.PER_SESSION_LESS_FEE:
        cents -= purchase.refund_fee_cents
    return RefundTerms(unused, max(0, min(cents, purchase.price_cents)))


def refund_unused(purchase: SeriesPurchase, *, actor: User, gateway: PaymentGateway,
                  now: datetime) -> RefundResult:
    """Close the series and refund its unused sessions under its rule. Commits."""
    if actor.id != purchase.client_id:
        raise NotAllowed("Only the client who bought the series can ask for its refund.")
    sessions.lock(purchase)
    offer = terms(purchase, now)
    if offer.cents <= 0:
        raise Conflict("This series has nothing to refund: " + (
            "its rule refunds no unused sessions." if offer.sessions else
            "every session is booked or used, or it has expired."))
    purchase.status = SeriesStatus.CLOSED
    purchase.refunded_sessions = offer.sessions
    purchase.refund_cents, purchase.refund_requested_at = offer.cents, now
    audit.record(actor=actor, action="series.refund", obj=purchase,
                 clinic_id=purchase.clinic_id, now=now,
                 detail={"sessions": offer.sessions, "amount_cents": offer.cents})
    to_gift = gift_cards.give_back(purchase, now=now, amount=offer.cents)
    notices.refunded(purchase)
    db.session.commit()  # owed before the provider is asked
    sent = send_refund(purchase, gateway=gateway, now=now)
    db.session.commit()
    return RefundResult(offer.sessions, offer.cents, pending=not sent, gift_card_cents=to_gift)


def send_refund(purchase: SeriesPurchase, *, gateway: PaymentGateway, now: datetime) -> bool:
    """Make sure the owed refund is made at the provider. Does not commit; False when
    the provider could not be reached."""
    owed = card_refund_cents(purchase)
    if purchase.refunded_at is None and owed <= 0 and purchase.refund_cents > 0:
        purchase.refunded_at = now  # all of it went back to the gift card
        return True
    if purchase.refunded_at is not None or purchase.refund_cents <= 0 or not purchase.intent_id:
        return purchase.refunded_at is not None
    try:
        already = gateway.refunded_amount(purchase.intent_id)
        if already < owed:
            purchase.refund_id = gateway.refund(
                purchase.intent_id, amount=owed - already,
                idempotency_key=f"series-refund-{purchase.reference}")
    except (PaymentUnavailable, PaymentRefused) as exc:
        log.warning("refund of series %s not made yet: %s", purchase.reference, exc)
        return False
    purchase.refunded_at = now
    return True


def retry_refunds(*, gateway: PaymentGateway, now: datetime) -> tuple[int, int]:
    """Refunds owed but not yet made (the provider did not answer). (sent, still owed)."""
    owed = db.session.scalars(select(SeriesPurchase).where(
        SeriesPurchase.status == SeriesStatus.CLOSED, SeriesPurchase.refund_cents > 0,
        SeriesPurchase.refunded_at.is_(None)).order_by(SeriesPurchase.id)).all()
    sent = 0
    for purchase in owed:
        if send_refund(purchase, gateway=gateway, now=now):
            sent += 1
        db.session.commit()
    return sent, len(owed) - sent
