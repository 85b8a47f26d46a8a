"""Photos of a clinic (a gallery in the owner's order) and of its therapists (one each).

A photo is stored as resized WebP variants under keys made from its content
(``services/media``); the row keeps the digest, the widths made and the size of
the largest, so a page can write ``srcset`` and reserve the space without
reading a file.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TimestampMixin, db


class Photo(TimestampMixin, db.Model):
    __tablename__ = "photos"
    __table_args__ = (
        # One photo per therapist (NULL for the clinic's own gallery).
        sa.UniqueConstraint("therapist_id", name="uq_photos_therapist_id"),
        sa.CheckConstraint("width > 0 AND height > 0", name="size_positive"),
        sa.Index("ix_photos_clinic_position", "clinic_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(sa.ForeignKey("clinics.id", ondelete="CASCADE"))
    therapist_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("therapists.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    alt_text: Mapped[str] = mapped_column(sa.String(250))
    digest: Mapped[str] = mapped_column(sa.String(64))  # names the stored files
    widths: Mapped[list[int]] = mapped_column(sa.JSON)  # the variants made, narrowest first
    width: Mapped[int]  # of the widest variant
    height: Mapped[int]

    clinic: Mapped[Clinic] = relationship(back_populates="photos")  # noqa: F821
    therapist: Mapped[Therapist | None] = relationship(back_populates="photo")  # noqa: F821

    def height_at(self, width: int) -> int:
        """The height of the variant ``width`` pixels wide (the aspect ratio kept)."""
        return height_at(self.width, self.height, width)

    def __repr__(self) -> str:
        return f"<Photo {self.id} clinic={self.clinic_id} therapist={self.therapist_id}>"


def height_at(width: int, height: int, to_width: int) -> int:
    """The height of a ``width`` x ``height`` image scaled to ``to_width`` pixels wide."""
    return max(1, round(height * to_width / width))
