"""What gift cards add up to: the buyer's list, and a clinic's sales, redemptions,
expiries and outstanding balance (the money page and its CSV)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ...models import (
    Booking,
    EntryKind,
    GiftCard,
    GiftCardEntry,
    GiftCardStatus,
    SeriesPurchase,
    User,
    db,
)

LIVE = (GiftCardStatus.PAID, GiftCardStatus.ACTIVE)


def bought_by(user: User) -> list[GiftCard]:
    """The cards this client bought (paid, or with a payment still open), newest first."""
    return list(db.session.scalars(
        select(GiftCard).where(GiftCard.buyer_id == user.id,
                               GiftCard.status != GiftCardStatus.DECLINED)
        .order_by(GiftCard.created_at.desc(), GiftCard.id.desc()).limit(200)))


@dataclass(frozen=True)
class Movement:
    """One ledger entry of a clinic's card, for the money page and the CSV."""

    at: datetime
    reference: str
    kind: EntryKind
    amount: int  # signed: credits positive, debits negative
    booking_reference: str | None
    series_reference: str | None = None  # the treatment series it paid (or returned from)


@dataclass(frozen=True)
class GiftSummary:
    sold: int  # purchases in the period
    sold_count: int
    redeemed: int  # redemptions less returns in the period
    expired: int
    outstanding: int  # the balance of every live card, now
    movements: list[Movement]


def clinic_summary(*, clinic_id: int, start: datetime, end: datetime) -> GiftSummary:
    """The clinic's gift card ledger between ``start`` and ``end`` (UTC), and what all its
    live cards hold now."""
    rows = db.session.execute(
        select(GiftCardEntry.created_at, GiftCard.reference, GiftCardEntry.kind,
               GiftCardEntry.amount_cents, Booking.reference, SeriesPurchase.reference)
        .join(GiftCard, GiftCard.id == GiftCardEntry.gift_card_id)
        .outerjoin(Booking, Booking.id == GiftCardEntry.booking_id)
        .outerjoin(SeriesPurchase, SeriesPurchase.id == GiftCardEntry.series_purchase_id)
        .where(GiftCard.clinic_id == clinic_id, GiftCardEntry.created_at >= start,
               GiftCardEntry.created_at < end)
        .order_by(GiftCardEntry.created_at, GiftCardEntry.id)
    ).all()
    movements = [Movement(*row) for row in rows]
    outstanding = db.session.scalar(
        select(func.coalesce(func.sum(GiftCard.balance_cents), 0))
        .where(GiftCard.clinic_id == clinic_id, GiftCard.status.in_(LIVE))) or 0

    def total(*kinds):
        return sum(m.amount for m in movements if m.kind in kinds)

    return GiftSummary(
        sold=total(EntryKind.PURCHASE),
        sold_count=sum(1 for m in movements if m.kind is EntryKind.PURCHASE),
        redeemed=-total(EntryKind.REDEMPTION, EntryKind.RETURN),
        expired=-total(EntryKind.EXPIRY), outstanding=outstanding, movements=movements)
