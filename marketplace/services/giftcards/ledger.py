"""The ledger: every change of a card's value is a row, and the balance is their sum.

``post`` is the only writer. It works on a card row locked by ``lock`` (SELECT ...
FOR UPDATE on PostgreSQL; SQLite runs one writer at a time under ``BEGIN
IMMEDIATE``), updates ``gift_cards.balance_cents`` in the same statement order and
stores the balance after each entry, so two redemptions at once are decided in
turn, and the CHECK constraints refuse a balance below zero whatever the code does.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from ...models import Booking, EntryKind, GiftCard, GiftCardEntry, SeriesPurchase, db
from ..common.errors import Conflict

_SIGN = {EntryKind.PURCHASE: 1, EntryKind.RETURN: 1,
         EntryKind.REDEMPTION: -1, EntryKind.EXPIRY: -1}


def lock(card: GiftCard) -> GiftCard:
    """Lock the card's row for the rest of the transaction and read it fresh."""
    db.session.flush()
    db.session.refresh(card, with_for_update=True)
    return card


def post(card: GiftCard, *, kind: EntryKind, amount_cents: int, now: datetime,
         booking: Booking | None = None,
         series_purchase: SeriesPurchase | None = None) -> GiftCardEntry:
    """Write one entry of ``amount_cents`` (positive; the kind gives the sign) on a
    locked card, tied to the booking or the series it paid. Refuses a debit larger
    than the balance."""
    if amount_cents <= 0:
        raise ValueError("a ledger entry moves a positive amount")
    change = _SIGN[kind] * amount_cents
    balance = card.balance_cents + change
    if balance < 0:
        raise Conflict("This gift card does not have that much left.")
    if balance > card.amount_cents:
        raise Conflict("A gift card cannot hold more than it was bought for.")
    card.balance_cents = balance
    entry = GiftCardEntry(gift_card=card, kind=kind, amount_cents=change,
                          balance_after_cents=balance, booking=booking,
                          series_purchase=series_purchase, created_at=now)
    db.session.add(entry)
    return entry


def ledger_sum(card: GiftCard) -> int:
    """The balance as the sum of the ledger (what ``balance_cents`` must always equal)."""
    db.session.flush()
    return db.session.scalar(
        select(func.coalesce(func.sum(GiftCardEntry.amount_cents), 0))
        .where(GiftCardEntry.gift_card_id == card.id)) or 0


def applied_to(booking: Booking | SeriesPurchase) -> tuple[GiftCard | None, int]:
    """The card that paid part of this booking's deposit (or of this series), and how
    much it still holds of it (redemptions less returns)."""
    column = GiftCardEntry.series_purchase_id if isinstance(booking, SeriesPurchase) \
        else GiftCardEntry.booking_id
    rows = db.session.execute(
        select(GiftCardEntry.gift_card_id, func.sum(GiftCardEntry.amount_cents))
        .where(column == booking.id)
        .group_by(GiftCardEntry.gift_card_id)
    ).all()
    for card_id, total in rows:
        if total and total < 0:
            return db.session.get(GiftCard, card_id), -total
    if rows:
        return db.session.get(GiftCard, rows[0][0]), 0
    return None, 0
