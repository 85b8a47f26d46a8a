"""When therapists work: weekly hours in the location's local time, and time off."""

from __future__ import annotations

from datetime import datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TimestampMixin, db


class WorkingHours(db.Model):
    """One weekly span, in the wall-clock time of the location's time zone."""

    __tablename__ = "working_hours"
    __table_args__ = (
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        sa.CheckConstraint("starts < ends", name="starts_before_ends"),
        sa.Index("ix_working_hours_therapist_weekday", "therapist_id", "weekday"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    therapist_id: Mapped[int] = mapped_column(sa.ForeignKey("therapists.id", ondelete="CASCADE"))
    location_id: Mapped[int] = mapped_column(
        sa.ForeignKey("locations.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int]  # 0 = Monday, as datetime.weekday()
    starts: Mapped[time]
    ends: Mapped[time]

    therapist: Mapped[Therapist] = relationship(back_populates="working_hours")  # noqa: F821
    location: Mapped[Location] = relationship()  # noqa: F821


class TimeOff(TimestampMixin, db.Model):
    __tablename__ = "time_off"
    __table_args__ = (
        sa.CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
        sa.Index("ix_time_off_therapist_starts", "therapist_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    therapist_id: Mapped[int] = mapped_column(sa.ForeignKey("therapists.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(sa.String(200), default="")

    therapist: Mapped[Therapist] = relationship(back_populates="time_off")  # noqa: F821
