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
    # The client's consent to share these answers with this clinic (for this booking),
    # and its withdrawal: the clinic reads them only between the two, and no later
    # than INTAKE_CLINIC_ACCESS_DAYS after the visit (services/intake/access.py).
    consent_given_at: Mapped[datetime | None]
    consent_withdrawn_at: Mapped[datetime | None]

    client: Mapped[User] = relationship()  # noqa: F821
    clinic: Mapped[Clinic] = relationship()  # noqa: F821
    booking: Mapped[Booking | None] = relationship()  # noqa: F821


class HealthProfile(TimestampMixin, db.Model):
    """The client's own copy of their intake answers, kept in their account to review
    and reuse; sealed like an intake record, bound to its row and client."""

    __tablename__ = "health_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    key_id: Mapped[str] = mapped_column(sa.String(20))
    ciphertext: Mapped[bytes] = mapped_column(sa.LargeBinary)
    updated_at: Mapped[datetime]

    client: Mapped[User] = relationship()  # noqa: F821
