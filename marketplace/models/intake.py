"""Health intake answers, encrypted at rest and bound to their client and clinic."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TimestampMixin, db, enum_type
from .booking import ScreeningOutcome


class IntakeRecord(TimestampMixin, db.Model):
    __tablename__ = "intake_records"
    __table_args__ = (sa.Index("ix_intake_records_client_created", "client_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    clinic_id: Mapped[int] = mapped_column(sa.ForeignKey("clinics.id"), index=True)
    booking_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bookings.id"), unique=True)
    # AES-GCM over the JSON answers and screening reasons; the row id, client
    # and clinic are the associated data, so a ciphertext moved to another row
    # or clinic fails to decrypt.
    key_id: Mapped[str] = mapped_column(sa.String(20))
    ciphertext: Mapped[bytes] = mapped_column(sa.LargeBinary)
    outcome: Mapped[ScreeningOutcome] = mapped_column(
        enum_type(ScreeningOutcome, "intake_outcome")
    )
    clearance_confirmed: Mapped[bool] = mapped_column(default=False)
    reviewed_at: Mapped[datetime | None]

    client: Mapped[User] = relationship()  # noqa: F821
    clinic: Mapped[Clinic] = relationship()  # noqa: F821
    booking: Mapped[Booking | None] = relationship()  # noqa: F821
