"""The demo's seeded deposits, made real at the local Stripe stand-in.

``flask seed`` writes deposits as already paid (and some as refunded) without
talking to any provider, so it stays quick and needs no server. ``make demo``
then runs ``flask seed-payments`` once localstripe is up: each seeded deposit
(intent id ``pi_seed_...``) gets a real test-mode PaymentIntent paid with the
test card, refunded at the provider as far as the seed says, and the row
takes the real ids; the seeded gift card's purchase (``pi_seed_giftcard_...``) is
paid there for its amount the same way, and so is the seeded series
(``pi_seed_series_...``). After that, cancelling a seeded booking in the demo
refunds through the provider like any other, and ``reconcile-payments`` finds
every charge matched. Only ever against the stand-in (``STRIPE_API_BASE``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from ..models import GiftCard, Payment, SeriesPurchase, db
from ..services.common.errors import Conflict
from ..services.payments import (
    TEST_CARD_SUCCEEDS,
    PaymentGateway,
    PaymentRefused,
    PaymentUnavailable,
)

SEEDED = "pi_seed_"


@dataclass(frozen=True)
class Report:
    made: int
    refunded: int
    left: int  # still without a real intent (the provider refused or was down)
    gift_cards: int = 0  # seeded gift card purchases paid


def attach_seeded_payments(*, gateway: PaymentGateway) -> Report:
    """Give every seeded deposit a real intent at the stand-in. Commits each; safe to repeat."""
    if not gateway.stand_in:
        raise Conflict("Seeded deposits are only made real at the local Stripe stand-in "
                       "(STRIPE_API_BASE); never at Stripe itself.")
    made = refunded = left = 0
    seeded = db.session.scalars(select(Payment).where(Payment.intent_id.startswith(SEEDED))
                                .order_by(Payment.id)).all()  # each is committed on its own
    for payment in seeded:
        key = f"seed-payment-{payment.id}"
        try:
            state = gateway.create_intent(
                amount=payment.amount_cents, payment_method=TEST_CARD_SUCCEEDS,
                metadata={"booking": payment.booking.reference, "seeded": "yes"},
                idempotency_key=key)
            state = gateway.confirm_intent(state.id, idempotency_key=f"{key}:c")
            if state.status != "succeeded":
                left += 1
                continue
            refund_id = None
            if payment.refunded_cents:
                refund_id = gateway.refund(state.id, amount=payment.refunded_cents,
                                           idempotency_key=f"{key}:refund")
                refunded += 1
        except (PaymentUnavailable, PaymentRefused):  # the row keeps its seed id; run again
            db.session.rollback()
            left += 1
            continue
        payment.intent_id = state.id
        if refund_id:
            payment.refund_id = refund_id
        db.session.commit()
        made += 1
    cards, cards_left = _attach_seeded(gateway, GiftCard, kind="gift_card",
                                       key_prefix="seed-gift-card",
                                       amount=lambda card: card.amount_cents)
    _, series_left = _attach_seeded(gateway, SeriesPurchase, kind="series",
                                    key_prefix="seed-series",
                                    amount=lambda series: series.price_cents)
    return Report(made=made, refunded=refunded, left=left + cards_left + series_left,
                  gift_cards=cards)


def _attach_seeded(gateway: PaymentGateway, model: type[GiftCard | SeriesPurchase], *,
                   kind: str, key_prefix: str,
                   amount: Callable[[GiftCard | SeriesPurchase], int]) -> tuple[int, int]:
    """Pay each seeded purchase of ``model`` (a gift card, a series) at the stand-in, so
    its refund works; (paid, left unpaid)."""
    made = left = 0
    seeded = db.session.scalars(select(model).where(model.intent_id.startswith(SEEDED))
                                .order_by(model.id)).all()
    for row in seeded:
        key = f"{key_prefix}-{row.id}"
        try:
            state = gateway.create_intent(
                amount=amount(row), payment_method=TEST_CARD_SUCCEEDS,
                metadata={kind: row.reference, "kind": kind, "seeded": "yes"},
                idempotency_key=key)
            state = gateway.confirm_intent(state.id, idempotency_key=f"{key}:c")
        except (PaymentUnavailable, PaymentRefused):
            db.session.rollback()
            left += 1
            continue
        if state.status != "succeeded":
            left += 1
            continue
        row.intent_id = state.id
        db.session.commit()
        made += 1
    return made, left
