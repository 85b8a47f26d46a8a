"""Therapists: who gives the treatment, with the credentials clients check."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TimestampMixin, db, link_table

therapist_modalities = link_table(
    "therapist_modalities", ("therapist_id", "therapists.id"), ("modality_id", "modalities.id")
)


class Therapist(TimestampMixin, db.Model):
    __tablename__ = "therapists"
    __table_args__ = (
        sa.CheckConstraint(
            "practicing_since IS NULL OR practicing_since >= 1950", name="practicing_since_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(
        sa.ForeignKey("clinics.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    credentials: Mapped[str] = mapped_column(sa.String(120), default="")  # "LMT, CNMT"
    licence_number: Mapped[str | None] = mapped_column(sa.String(40))
    licence_state: Mapped[str | None] = mapped_column(sa.String(2))
    licence_checked_at: Mapped[datetime | None]
    # A year, not a count, so "years of practice" never goes stale.
    practicing_since: Mapped[int | None]
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    active: Mapped[bool] = mapped_column(default=True)

    clinic: Mapped[Clinic] = relationship(back_populates="therapists")  # noqa: F821
    modalities: Mapped[list[Modality]] = relationship(  # noqa: F821
        secondary=therapist_modalities, order_by="Modality.name"
    )
    services: Mapped[list[Service]] = relationship(  # noqa: F821
        secondary="service_therapists", back_populates="therapists"
    )
    working_hours: Mapped[list[WorkingHours]] = relationship(  # noqa: F821
        back_populates="therapist",
        cascade="all, delete-orphan",
        order_by="(WorkingHours.weekday, WorkingHours.starts)",
    )
    time_off: Mapped[list[TimeOff]] = relationship(  # noqa: F821
        back_populates="therapist", cascade="all, delete-orphan", order_by="TimeOff.starts_at"
    )
    languages: Mapped[list[TherapistLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="TherapistLanguage.code"
    )

    @property
    def language_codes(self) -> list[str]:
        """The codes of the languages they give sessions in (services/common/features.py)."""
        return [row.code for row in self.languages]

    photo: Mapped[Photo | None] = relationship(  # noqa: F821
        back_populates="therapist", cascade="all, delete-orphan", uselist=False
    )

    def years_of_practice(self, today_year: int) -> int | None:
        if self.practicing_since is None:
            return None
        return max(0, today_year - self.practicing_since)

    def __repr__(self) -> str:
        return f"<Therapist {self.slug}>"


class TherapistLanguage(db.Model):
    """A language a therapist gives sessions in, by its code (``features.LANGUAGES``).

    The primary key makes each language once per therapist; ``ix_therapist_languages_code``
    finds the speakers of a language for search."""

    __tablename__ = "therapist_languages"
    __table_args__ = (sa.Index("ix_therapist_languages_code", "code", "therapist_id"),)

    therapist_id: Mapped[int] = mapped_column(
        sa.ForeignKey("therapists.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(3), primary_key=True)
