"""The waitlist: a client waiting for a clinic's service (or one therapist's) on some
days and times of day, and the freed times offered to them, each kept by a hold."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TimestampMixin, db, enum_type


class EntryStatus(enum.StrEnum):
    WAITING = "waiting"  # in the queue
    OFFERED = "offered"  # a time is held for them (one offer at a time)
    BOOKED = "booked"  # they booked an offered time
    LEFT = "left"  # they left the waitlist
    EXPIRED = "expired"  # its last day went by


#: The entries still in the queue.
LIVE_ENTRY = (EntryStatus.WAITING, EntryStatus.OFFERED)


class OfferState(enum.StrEnum):
    OPEN = "open"  # held for them, not answered yet
    ACCEPTED = "accepted"  # they chose to book it and are finishing the booking
    BOOKED = "booked"  # the booking was confirmed
    DECLINED = "declined"
    LAPSED = "lapsed"  # the hold ran out (or was let go) before it was booked


#: Offers whose hold still belongs to the waiting client.
LIVE_OFFER = (OfferState.OPEN, OfferState.ACCEPTED)

#: Parts of the day, as local start times [from, to) in minutes after midnight.
DAY_PARTS = {"morning": (0, 12 * 60), "afternoon": (12 * 60, 17 * 60),
             "evening": (17 * 60, 24 * 60)}


class WaitlistEntry(TimestampMixin, db.Model):
    """One client waiting for one service of a clinic, first come, first served."""

    __tablename__ = "waitlist_entries"
    __table_args__ = (
        sa.CheckConstraint("first_day <= last_day", name="days_in_order"),
        sa.CheckConstraint("morning OR afternoon OR evening", name="some_part_of_day"),
        # Matching reads the live entries of one service whose days cover a day, oldest first.
        sa.Index("ix_waitlist_entries_match", "service_id", "status", "first_day", "last_day"),
        sa.Index("ix_waitlist_entries_client", "client_id", "status"),
        sa.Index("ix_waitlist_entries_clinic", "clinic_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    clinic_id: Mapped[int] = mapped_column(sa.ForeignKey("clinics.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("services.id", ondelete="CASCADE"))
    # None: any therapist who gives the service.
    therapist_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("therapists.id", ondelete="CASCADE"))
    # Local days in the clinic's zone, both included.
    first_day: Mapped[date]
    last_day: Mapped[date]
    morning: Mapped[bool] = mapped_column(default=False)
    afternoon: Mapped[bool] = mapped_column(default=False)
    evening: Mapped[bool] = mapped_column(default=False)
    status: Mapped[EntryStatus] = mapped_column(
        enum_type(EntryStatus, "waitlist_entry_status"), default=EntryStatus.WAITING)
    ended_at: Mapped[datetime | None]

    client: Mapped[User] = relationship()  # noqa: F821
    clinic: Mapped[Clinic] = relationship()  # noqa: F821
    service: Mapped[Service] = relationship()  # noqa: F821
    therapist: Mapped[Therapist | None] = relationship()  # noqa: F821
    offers: Mapped[list[WaitlistOffer]] = relationship(
        back_populates="entry", order_by="WaitlistOffer.id")

    @property
    def parts(self) -> list[str]:
        """The parts of the day that suit the client, in order."""
        return [name for name in DAY_PARTS if getattr(self, name)]


class WaitlistOffer(TimestampMixin, db.Model):
    """A freed time held for a waiting client. The e-mailed link carries a token; only
    its SHA-256 is kept."""

    __tablename__ = "waitlist_offers"
    __table_args__ = (
        # One live offer per entry, whoever makes it.
        sa.Index("uq_waitlist_offers_live_entry", "entry_id", unique=True,
                 sqlite_where=sa.text("state IN ('open', 'accepted')"),
                 postgresql_where=sa.text("state IN ('open', 'accepted')")),
        sa.Index("ix_waitlist_offers_state", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        sa.ForeignKey("waitlist_entries.id", ondelete="CASCADE"), index=True)
    booking_id: Mapped[int] = mapped_column(sa.ForeignKey("bookings.id"), unique=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    starts_at: Mapped[datetime]
    state: Mapped[OfferState] = mapped_column(
        enum_type(OfferState, "waitlist_offer_state"), default=OfferState.OPEN)
    expires_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]

    entry: Mapped[WaitlistEntry] = relationship(back_populates="offers")
    booking: Mapped[Booking] = relationship()  # noqa: F821
