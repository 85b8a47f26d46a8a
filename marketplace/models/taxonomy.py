"""The shared vocabulary: techniques (modalities) and the conditions they address."""

from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import db, enum_type, link_table


class Intensity(enum.StrEnum):
    GENTLE = "gentle"
    MODERATE = "moderate"
    DEEP = "deep"

    @property
    def rank(self) -> int:
        return {"gentle": 0, "moderate": 1, "deep": 2}[self.value]


condition_modalities = link_table(
    "condition_modalities", ("condition_id", "conditions.id"), ("modality_id", "modalities.id")
)


class Modality(db.Model):
    __tablename__ = "modalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    short_name: Mapped[str | None] = mapped_column(sa.String(20))  # "NMT", "IASTM"
    intensity: Mapped[Intensity] = mapped_column(enum_type(Intensity, "intensity"))
    summary: Mapped[str] = mapped_column(sa.Text, default="")

    aliases: Mapped[list[ModalityAlias]] = relationship(
        back_populates="modality", cascade="all, delete-orphan", order_by="ModalityAlias.alias"
    )
    conditions: Mapped[list[Condition]] = relationship(
        secondary=condition_modalities, back_populates="modalities", order_by="Condition.name"
    )

    def __repr__(self) -> str:
        return f"<Modality {self.slug} {self.intensity}>"


class ModalityAlias(db.Model):
    """Another name clients search by: "trigger point therapy" for NMT."""

    __tablename__ = "modality_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    modality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("modalities.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(sa.String(80), unique=True)  # stored lower-case

    modality: Mapped[Modality] = relationship(back_populates="aliases")


class Condition(db.Model):
    __tablename__ = "conditions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    summary: Mapped[str] = mapped_column(sa.Text, default="")

    modalities: Mapped[list[Modality]] = relationship(
        secondary=condition_modalities, back_populates="conditions", order_by="Modality.name"
    )
