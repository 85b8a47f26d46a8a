"""Deposits taken through the payment provider, and the events it sent us."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TimestampMixin, db, enum_type, utcnow


class PaymentStatus(enum.StrEnum):
    CREATED = "created"  # our row exists; the provider may not have the intent yet
    REQUIRES_ACTION = "requires_action"  # 3-D Secure
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"


class Payment(TimestampMixin, db.Model):
    __tablename__ = "payments"
    __table_args__ = (
        sa.CheckConstraint("amount_cents > 0", name="amount_positive"),
        sa.CheckConstraint(
            "refunded_cents >= 0 AND refunded_cents <= amount_cents", name="refund_within_amount"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(sa.ForeignKey("bookings.id"), index=True)
    provider: Mapped[str] = mapped_column(sa.String(20), default="stripe")
    # One idempotency key per hold and attempt, sent to the provider and kept
    # here too: the provider's memory of keys is short (and localstripe has none).
    idempotency_key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    intent_id: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    amount_cents: Mapped[int]
    currency: Mapped[str] = mapped_column(sa.String(3), default="usd")
    status: Mapped[PaymentStatus] = mapped_column(
        enum_type(PaymentStatus, "payment_status"), default=PaymentStatus.CREATED
    )
    refunded_cents: Mapped[int] = mapped_column(default=0)
    refund_id: Mapped[str | None] = mapped_column(sa.String(80))
    failure_code: Mapped[str | None] = mapped_column(sa.String(80))
    failure_message: Mapped[str | None] = mapped_column(sa.String(500))
    succeeded_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    booking: Mapped[Booking] = relationship(back_populates="payments")  # noqa: F821


class PaymentEvent(db.Model):
    """A webhook event, recorded once by its provider id."""

    __tablename__ = "payment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_event_id: Mapped[str] = mapped_column(sa.String(80), unique=True)
    type: Mapped[str] = mapped_column(sa.String(80))
    intent_id: Mapped[str | None] = mapped_column(sa.String(80), index=True)
    payload: Mapped[dict] = mapped_column(sa.JSON)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None]
    result: Mapped[str | None] = mapped_column(sa.String(200))
