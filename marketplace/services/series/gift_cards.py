"""Paying a series (or part of it) with a gift card of its clinic, and giving that part back.

The code is found and refused exactly as at a booking's checkout
(``booking/gift_cards.py``: other clinic, expired, used up, unknown). Under the card's
row lock (``giftcards.ledger``) the card pays min(balance, price) as a ``redemption``
row tied to the series (``gift_card_entries.series_purchase_id``); the part is kept on
the series (``series_purchases.gift_card_cents``) and the card payment is for the rest
(``SeriesPurchase.card_cents``). When the gift card pays it all the series is paid at
once, with no card payment.

The part goes back to the card as a ``return`` row when the card payment for the rest
is declined or abandoned (``purchase.settle``, ``reconcile``), when the buyer removes
the code, and first when unused sessions are refunded (``refunds``: gift first, the
card payment is refunded only for what is left). ``give_back`` returns what the ledger
says the series still holds of the card, so it can never return twice.
"""

from __future__ import annotations

from datetime import datetime

from ...models import EntryKind, GiftCardStatus, SeriesPurchase, SeriesStatus, User
from .. import audit
from ..booking import gift_cards as booking_gift_cards
from ..booking.gift_cards import GiftCardRefused
from ..giftcards import ledger

__all__ = ["GiftCardRefused", "give_back", "take"]


def take(purchase: SeriesPurchase, *, code: str, client: User, now: datetime) -> int:
    """Debit the card with ``code`` for as much of the series' price as its balance
    allows; returns the cents taken. The caller has checked that the series' payment may
    change (``purchase.redeem_gift_card``). Does not commit."""
    card = booking_gift_cards.usable_card(code, clinic=purchase.clinic, now=now)
    taken = min(card.balance_cents, purchase.price_cents)
    ledger.post(card, kind=EntryKind.REDEMPTION, amount_cents=taken, series_purchase=purchase,
                now=now)
    purchase.gift_card_cents = taken
    audit.record(actor=client, action="gift_card.redeem", obj=purchase,
                 clinic_id=purchase.clinic_id, now=now,
                 detail={"gift_card": card.reference, "amount_cents": taken})
    return taken


def give_back(purchase: SeriesPurchase, *, now: datetime, amount: int | None = None) -> int:
    """Return the gift card part of a series (or ``amount`` of it) to the card. Does not
    commit; returns the cents returned (0 when the series holds nothing of a card)."""
    card, held = ledger.applied_to(purchase)
    amount = held if amount is None else min(amount, held)
    if card is None or amount <= 0:
        return 0
    ledger.lock(card)
    ledger.post(card, kind=EntryKind.RETURN, amount_cents=amount, series_purchase=purchase,
                now=now)
    if card.status is GiftCardStatus.EXPIRED:  # value coming back after the expiry date
        ledger.post(card, kind=EntryKind.EXPIRY, amount_cents=amount, now=now)
    if purchase.status not in (SeriesStatus.PAID, SeriesStatus.CLOSED):
        purchase.gift_card_cents = 0
    audit.record(actor=None, action="gift_card.return", obj=purchase,
                 clinic_id=purchase.clinic_id, now=now,
                 detail={"gift_card": card.reference, "amount_cents": amount})
    return amount
