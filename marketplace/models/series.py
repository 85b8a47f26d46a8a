"""Treatment series: a clinic's offer of N sessions of one service at a price, and a
client's purchase of one, with the offer's rules copied onto it (a snapshot).

The sessions a purchase has left are counted from its bookings (a counted relation,
``services/series/sessions.py``), so there is no second total to drift from them.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TimestampMixin, db, enum_type

MIN_SESSIONS, MAX_SESSIONS = 2, 20


class RefundRule(enum.StrEnum):
    """What a client gets back for sessions they never booked."""

    NONE = "none"  # nothing
    PER_SESSION = "per_session"  # the series' per-session price for each
    PER_SESSION_LESS_FEE = "per_session_fee"  # the same, less a fixed fee


class LateRule(enum.StrEnum):
    """What a late cancellation or a no-show does to the session it drew."""

    USED = "used"  # the session is used up
    RETURNED = "returned"  # the session goes back to the series


class SeriesStatus(enum.StrEnum):
    PENDING = "pending"  # bought, the payment not settled yet
    DECLINED = "declined"  # the last payment attempt failed; another card may be tried
    PAID = "paid"  # paid: its sessions can be booked until it expires
    CLOSED = "closed"  # its unused sessions were refunded: nothing more can be booked


class SeriesOffer(TimestampMixin, db.Model):
    __tablename__ = "series_offers"
    __table_args__ = (
        sa.CheckConstraint(f"sessions BETWEEN {MIN_SESSIONS} AND {MAX_SESSIONS}",
                           name="sessions_range"),
        sa.CheckConstraint("price_cents > 0", name="price_positive"),
        sa.CheckConstraint("validity_days BETWEEN 7 AND 1095", name="validity_range"),
        sa.CheckConstraint("refund_fee_cents >= 0", name="fee_nonnegative"),
        sa.Index("ix_series_offers_clinic_active", "clinic_id", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(sa.ForeignKey("clinics.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("services.id"), index=True)
    sessions: Mapped[int]
    price_cents: Mapped[int]
    validity_days: Mapped[int]
    refund_rule: Mapped[RefundRule] = mapped_column(enum_type(RefundRule, "series_refund_rule"))
    refund_fee_cents: Mapped[int] = mapped_column(default=0)
    late_rule: Mapped[LateRule] = mapped_column(enum_type(LateRule, "series_late_rule"))
    active: Mapped[bool] = mapped_column(default=True)  # retired offers stay for their sales
    retired_at: Mapped[datetime | None]

    clinic: Mapped[Clinic] = relationship()  # noqa: F821
    service: Mapped[Service] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<SeriesOffer {self.id} {self.sessions}x service {self.service_id}>"


class SeriesPurchase(TimestampMixin, db.Model):
    """A client's series: paid in full, with the rules in force when it was bought."""

    __tablename__ = "series_purchases"
    __table_args__ = (
        sa.CheckConstraint(f"sessions_total BETWEEN {MIN_SESSIONS} AND {MAX_SESSIONS}",
                           name="sessions_range"),
        sa.CheckConstraint("price_cents > 0", name="price_positive"),
        sa.CheckConstraint("refunded_sessions >= 0 AND refunded_sessions <= sessions_total",
                           name="refunded_within_total"),
        sa.CheckConstraint("refund_cents >= 0 AND refund_cents <= price_cents",
                           name="refund_within_price"),
        sa.CheckConstraint("gift_card_cents >= 0 AND gift_card_cents <= price_cents",
                           name="gift_card_within_price"),
        sa.Index("ix_series_purchases_clinic_paid", "clinic_id", "paid_at"),
        sa.Index("ix_series_purchases_client", "client_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(12), unique=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("series_offers.id"), index=True)
    clinic_id: Mapped[int] = mapped_column(sa.ForeignKey("clinics.id"))
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("services.id"))
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    # The offer and the clinic's policy as the client saw them before paying.
    sessions_total: Mapped[int]
    price_cents: Mapped[int]
    currency: Mapped[str] = mapped_column(sa.String(3), default="usd")
    validity_days: Mapped[int]
    refund_rule: Mapped[RefundRule] = mapped_column(
        enum_type(RefundRule, "series_purchase_refund_rule"))
    refund_fee_cents: Mapped[int] = mapped_column(default=0)
    late_rule: Mapped[LateRule] = mapped_column(enum_type(LateRule, "series_purchase_late_rule"))
    cancellation_hours: Mapped[int]
    policy_text: Mapped[str] = mapped_column(sa.Text, default="")
    timezone: Mapped[str] = mapped_column(sa.String(64))
    status: Mapped[SeriesStatus] = mapped_column(
        enum_type(SeriesStatus, "series_status"), default=SeriesStatus.PENDING)
    # The payment: one attempt at a time, our key committed before the provider is called.
    idempotency_key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    intent_id: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    attempts: Mapped[int] = mapped_column(default=1)
    # What a gift card of the clinic pays of the price (its ``redemption`` ledger row);
    # the card payment is for the rest (``card_cents``).
    gift_card_cents: Mapped[int] = mapped_column(default=0, server_default="0")
    attempt_started_at: Mapped[datetime | None]
    failure_message: Mapped[str | None] = mapped_column(sa.String(500))
    paid_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    # Unused sessions refunded (the series is then closed), and the money owed for them.
    refunded_sessions: Mapped[int] = mapped_column(default=0)
    refund_cents: Mapped[int] = mapped_column(default=0)
    refund_id: Mapped[str | None] = mapped_column(sa.String(80))
    refund_requested_at: Mapped[datetime | None]
    refunded_at: Mapped[datetime | None]  # None while a requested refund is still owed

    offer: Mapped[SeriesOffer] = relationship()
    clinic: Mapped[Clinic] = relationship()  # noqa: F821
    service: Mapped[Service] = relationship()  # noqa: F821
    client: Mapped[User] = relationship()  # noqa: F821
    bookings: Mapped[list[Booking]] = relationship(  # noqa: F821
        back_populates="series_purchase", order_by="Booking.starts_at")

    @property
    def card_cents(self) -> int:
        """What the card payment is for: the price less the gift card's part."""
        return self.price_cents - self.gift_card_cents

    @property
    def per_session_cents(self) -> int:
        return self.price_cents // self.sessions_total

    def __repr__(self) -> str:
        return f"<SeriesPurchase {self.reference} {self.status} {self.sessions_total}>"
