"""Bookings: a therapist's time held or sold to a client, with the price and the
clinic policy that were in force when it was made."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TimestampMixin, db, enum_type
from .clinic import DepositKind


class BookingStatus(enum.StrEnum):
    HELD = "held"  # slot reserved for a few minutes while the client pays
    CONFIRMED = "confirmed"  # deposit paid
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    EXPIRED = "expired"  # the hold ran out before payment


#: The states that occupy the therapist's time.
BLOCKING_STATUSES = (BookingStatus.HELD, BookingStatus.CONFIRMED)


class ScreeningOutcome(enum.StrEnum):
    PROCEED = "proceed"
    GENTLE_ONLY = "gentle_only"
    CLEARANCE = "clearance"  # doctor's clearance required
    NOT_NOW = "not_now"


class Party(enum.StrEnum):
    CLIENT = "client"
    CLINIC = "clinic"
    ADMIN = "admin"
    SYSTEM = "system"


class Booking(TimestampMixin, db.Model):
    __tablename__ = "bookings"
    __table_args__ = (
        sa.CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
        sa.CheckConstraint(
            "blocked_from <= starts_at AND blocked_until >= ends_at", name="block_covers_visit"
        ),
        sa.CheckConstraint("deposit_cents >= 0", name="deposit_nonnegative"),
        sa.CheckConstraint("discount_cents >= 0", name="discount_nonnegative"),
        sa.Index("ix_bookings_therapist_blocked", "therapist_id", "blocked_from", "blocked_until"),
        sa.Index("ix_bookings_clinic_starts", "clinic_id", "starts_at"),
        sa.Index("ix_bookings_client_starts", "client_id", "starts_at"),
        sa.Index("ix_bookings_status_hold", "status", "hold_expires_at"),
        # The no-double-booking rule, decided by PostgreSQL itself. SQLite gets
        # an equivalent trigger in the migration (see docs/architecture.md).
        postgresql.ExcludeConstraint(
            (sa.column("therapist_id"), "="),
            (sa.func.tstzrange(sa.column("blocked_from"), sa.column("blocked_until"), "[)"), "&&"),
            name="ex_bookings_therapist_no_overlap",
            using="gist",
            where=sa.text("status IN ('held', 'confirmed')"),
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(12), unique=True)
    clinic_id: Mapped[int] = mapped_column(sa.ForeignKey("clinics.id"))
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("locations.id"))
    therapist_id: Mapped[int] = mapped_column(sa.ForeignKey("therapists.id"))
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("services.id"), index=True)
    # Null only while an anonymous visitor holds a slot before signing in.
    client_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    hold_token: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    status: Mapped[BookingStatus] = mapped_column(
        enum_type(BookingStatus, "booking_status"), default=BookingStatus.HELD
    )
    # The visit itself, and the span it keeps the therapist busy (with buffers).
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    blocked_from: Mapped[datetime]
    blocked_until: Mapped[datetime]
    timezone: Mapped[str] = mapped_column(sa.String(64))  # the location's, at booking time
    hold_expires_at: Mapped[datetime | None]
    # Money, in cents, as agreed at booking time.
    currency: Mapped[str] = mapped_column(sa.String(3), default="usd")
    price_cents: Mapped[int]
    discount_cents: Mapped[int] = mapped_column(default=0)
    deposit_cents: Mapped[int]
    # The part of the deposit paid from a gift card (its ledger rows name this booking).
    gift_card_cents: Mapped[int] = mapped_column(default=0, server_default="0")
    # A session of this treatment series pays for the visit (no deposit, nothing due).
    series_purchase_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("series_purchases.id"), index=True)
    promotion_id: Mapped[int | None] = mapped_column(sa.ForeignKey("promotions.id"))
    # The clinic's policy in force when the booking was made.
    policy_deposit_kind: Mapped[DepositKind] = mapped_column(
        enum_type(DepositKind, "booking_deposit_kind")
    )
    policy_deposit_value: Mapped[int]
    policy_cancellation_hours: Mapped[int]
    policy_text: Mapped[str] = mapped_column(sa.Text, default="")
    # Health screening (the answers themselves live encrypted in intake_records).
    screening_outcome: Mapped[ScreeningOutcome | None] = mapped_column(
        enum_type(ScreeningOutcome, "screening_outcome")
    )
    clearance_confirmed: Mapped[bool] = mapped_column(default=False)
    # Lifecycle
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[Party | None] = mapped_column(enum_type(Party, "party"))
    cancel_reason: Mapped[str | None] = mapped_column(sa.String(500))
    completed_at: Mapped[datetime | None]
    rescheduled_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bookings.id"))
    reschedule_count: Mapped[int] = mapped_column(default=0)
    reminder_sent_at: Mapped[datetime | None]

    clinic: Mapped[Clinic] = relationship()  # noqa: F821
    location: Mapped[Location] = relationship()  # noqa: F821
    therapist: Mapped[Therapist] = relationship()  # noqa: F821
    service: Mapped[Service] = relationship()  # noqa: F821
    client: Mapped[User | None] = relationship()  # noqa: F821
    promotion: Mapped[Promotion | None] = relationship()  # noqa: F821
    series_purchase: Mapped[SeriesPurchase | None] = relationship(  # noqa: F821
        back_populates="bookings")
    payments: Mapped[list[Payment]] = relationship(  # noqa: F821
        back_populates="booking", order_by="Payment.id"
    )

    @property
    def is_blocking(self) -> bool:
        return self.status in BLOCKING_STATUSES

    @property
    def card_deposit_cents(self) -> int:
        """The part of the deposit paid by card: all of it, less what a gift card paid."""
        return self.deposit_cents - self.gift_card_cents

    @property
    def amount_due_cents(self) -> int:
        """What the client pays at the clinic after the deposit (nothing when a series pays)."""
        if self.series_purchase_id is not None:
            return 0
        return max(0, self.price_cents - self.discount_cents - self.deposit_cents)

    def __repr__(self) -> str:
        return f"<Booking {self.reference} {self.status} {self.starts_at:%Y-%m-%d %H:%M}Z>"
