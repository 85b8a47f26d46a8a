"""Private calendar subscriptions (iCalendar feeds) of a clinic or one therapist."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TimestampMixin, db


class CalendarFeed(TimestampMixin, db.Model):
    """A secret address a calendar app polls. Only the SHA-256 of its token is kept,
    so the address is shown once, when it is made; replacing or turning it off
    (``revoked_at``) stops it at once."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (sa.Index("ix_calendar_feeds_clinic_therapist", "clinic_id", "therapist_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(sa.ForeignKey("clinics.id", ondelete="CASCADE"))
    # None: the whole clinic's calendar.
    therapist_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("therapists.id", ondelete="CASCADE")
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None]
    last_read_at: Mapped[datetime | None]

    clinic: Mapped[Clinic] = relationship()  # noqa: F821
    therapist: Mapped[Therapist | None] = relationship()  # noqa: F821
