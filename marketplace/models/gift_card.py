"""Gift cards for a clinic, and their ledger: every change of a card's value is a row."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TimestampMixin, db, enum_type


class GiftCardStatus(enum.StrEnum):
    PENDING = "pending"  # bought, the payment not settled yet
    DECLINED = "declined"  # the last payment attempt failed; the buyer may try another card
    PAID = "paid"  # paid, waiting for its delivery date
    ACTIVE = "active"  # delivered: its code can be redeemed
    EXPIRED = "expired"  # past its expiry date; what was left was written off


class EntryKind(enum.StrEnum):
    PURCHASE = "purchase"  # + the amount paid
    REDEMPTION = "redemption"  # - part of a booking's deposit
    RETURN = "return"  # + a redemption given back (payment failed, hold lapsed, cancellation)
    EXPIRY = "expiry"  # - what was left on the expiry date


class GiftCard(TimestampMixin, db.Model):
    __tablename__ = "gift_cards"
    __table_args__ = (
        sa.CheckConstraint("amount_cents > 0", name="amount_positive"),
        sa.CheckConstraint("balance_cents >= 0 AND balance_cents <= amount_cents",
                           name="balance_within_amount"),
        sa.Index("ix_gift_cards_clinic_paid", "clinic_id", "paid_at"),
        sa.Index("ix_gift_cards_status_deliver", "status", "deliver_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(12), unique=True)
    clinic_id: Mapped[int] = mapped_column(sa.ForeignKey("clinics.id"))
    buyer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    amount_cents: Mapped[int]
    currency: Mapped[str] = mapped_column(sa.String(3), default="usd")
    recipient_name: Mapped[str] = mapped_column(sa.String(100))
    recipient_email: Mapped[str] = mapped_column(sa.String(254))
    message: Mapped[str] = mapped_column(sa.String(500), default="")
    deliver_on: Mapped[date]  # a local day in ``timezone``
    timezone: Mapped[str] = mapped_column(sa.String(64))  # the clinic's, at purchase
    status: Mapped[GiftCardStatus] = mapped_column(
        enum_type(GiftCardStatus, "gift_card_status"), default=GiftCardStatus.PENDING)
    # The sum of the ledger, kept here so the database itself refuses a negative balance.
    balance_cents: Mapped[int] = mapped_column(default=0)
    # Only the code's SHA-256 is kept; the code itself exists in the recipient's e-mail.
    code_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    code_last4: Mapped[str | None] = mapped_column(sa.String(4))
    # The purchase's payment: one attempt at a time, our key committed before the call.
    idempotency_key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    intent_id: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    attempts: Mapped[int] = mapped_column(default=1)
    attempt_started_at: Mapped[datetime | None]  # a younger attempt is a request's, in flight
    failure_message: Mapped[str | None] = mapped_column(sa.String(500))
    paid_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]

    clinic: Mapped[Clinic] = relationship()  # noqa: F821
    buyer: Mapped[User] = relationship()  # noqa: F821
    entries: Mapped[list[GiftCardEntry]] = relationship(
        back_populates="gift_card", order_by="GiftCardEntry.id")

    def __repr__(self) -> str:
        return f"<GiftCard {self.reference} {self.status} {self.balance_cents}/{self.amount_cents}>"


class GiftCardEntry(db.Model):
    """One change of a card's value, signed (credits positive, debits negative)."""

    __tablename__ = "gift_card_entries"
    __table_args__ = (
        sa.CheckConstraint("amount_cents <> 0", name="amount_nonzero"),
        sa.CheckConstraint("balance_after_cents >= 0", name="balance_after_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gift_card_id: Mapped[int] = mapped_column(sa.ForeignKey("gift_cards.id"), index=True)
    kind: Mapped[EntryKind] = mapped_column(enum_type(EntryKind, "gift_card_entry_kind"))
    amount_cents: Mapped[int]
    balance_after_cents: Mapped[int]
    booking_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bookings.id"), index=True)
    # The treatment series the card paid (part of), and what went back to it from there.
    series_purchase_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("series_purchases.id"), index=True)
    created_at: Mapped[datetime]

    gift_card: Mapped[GiftCard] = relationship(back_populates="entries")
    booking: Mapped[Booking | None] = relationship()  # noqa: F821
    series_purchase: Mapped[SeriesPurchase | None] = relationship()  # noqa: F821
