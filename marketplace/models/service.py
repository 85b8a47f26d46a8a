"""Services a clinic sells: a technique, a duration, a price, and who gives it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TimestampMixin, db, link_table

service_therapists = link_table(
    "service_therapists", ("service_id", "services.id"), ("therapist_id", "therapists.id")
)


class Service(TimestampMixin, db.Model):
    __tablename__ = "services"
    __table_args__ = (
        sa.CheckConstraint("duration_min BETWEEN 10 AND 480", name="duration_range"),
        sa.CheckConstraint("price_cents >= 0", name="price_nonnegative"),
        sa.CheckConstraint(
            "buffer_before_min >= 0 AND buffer_after_min >= 0", name="buffers_nonnegative"
        ),
        sa.Index("ix_services_modality_price", "modality_id", "price_per_60_cents"),
        sa.Index("ix_services_clinic_active", "clinic_id", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(sa.ForeignKey("clinics.id", ondelete="CASCADE"))
    modality_id: Mapped[int] = mapped_column(sa.ForeignKey("modalities.id"))
    name: Mapped[str] = mapped_column(sa.String(160))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    duration_min: Mapped[int]
    price_cents: Mapped[int]
    # Stored (kept in step by ``set_price``) so search can filter and sort on it.
    price_per_60_cents: Mapped[int]
    buffer_before_min: Mapped[int] = mapped_column(default=0)
    buffer_after_min: Mapped[int] = mapped_column(default=0)
    includes_consultation: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    clinic: Mapped[Clinic] = relationship(back_populates="services")  # noqa: F821
    modality: Mapped[Modality] = relationship()  # noqa: F821
    therapists: Mapped[list[Therapist]] = relationship(  # noqa: F821
        secondary=service_therapists, back_populates="services", order_by="Therapist.name"
    )

    def set_price(self, *, price_cents: int, duration_min: int) -> None:
        """Set price and duration together so the per-60-minute price stays true."""
        self.price_cents = price_cents
        self.duration_min = duration_min
        self.price_per_60_cents = per_60(price_cents, duration_min)


def per_60(price_cents: int, duration_min: int) -> int:
    """A price normalised to 60 minutes, rounded half up to the cent."""
    return (price_cents * 60 * 2 + duration_min) // (duration_min * 2)


class ClinicPrice(db.Model):
    """A clinic's lowest prices, kept as data so search reads them by index instead of
    grouping services on every request (kept by ``services/discovery/prices.py``).

    One row per clinic and technique it offers (``modality_id``), plus one row for any
    technique (``modality_id`` 0, ``ANY_TECHNIQUE``): the lowest ``price_per_60_cents`` and
    the lowest ``price_cents`` among its active services of that technique. No row when
    the clinic has no active service of it."""

    __tablename__ = "clinic_prices"
    __table_args__ = (
        # the price sort and cap, per technique, in price order
        sa.Index("ix_clinic_prices_modality_per_60", "modality_id", "per_60_cents",
                 "clinic_id"),
    )

    clinic_id: Mapped[int] = mapped_column(
        sa.ForeignKey("clinics.id", ondelete="CASCADE"), primary_key=True)
    modality_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    per_60_cents: Mapped[int]
    price_cents: Mapped[int]


#: ``ClinicPrice.modality_id`` of the row that covers every technique.
ANY_TECHNIQUE = 0
