"""Verified reviews, their moderation, reports about them, and private visit reports."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TimestampMixin, db, enum_type


class ReviewStatus(enum.StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    HIDDEN = "hidden"


class ReportReason(enum.StrEnum):
    SPAM = "spam"
    OFFENSIVE = "offensive"
    FAKE = "fake"
    PRIVATE_INFO = "private_info"
    CONFLICT = "conflict_of_interest"
    OTHER = "other"


class ReportStatus(enum.StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


_rating_check = "{0} IS NULL OR ({0} BETWEEN 1 AND 5)"


class Review(TimestampMixin, db.Model):
    __tablename__ = "reviews"
    __table_args__ = (
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        sa.CheckConstraint(_rating_check.format("rating_pressure"), name="pressure_range"),
        sa.CheckConstraint(
            _rating_check.format("rating_communication"), name="communication_range"
        ),
        sa.CheckConstraint(_rating_check.format("rating_cleanliness"), name="cleanliness_range"),
        sa.CheckConstraint(_rating_check.format("rating_value"), name="value_range"),
        sa.Index("ix_reviews_clinic_status", "clinic_id", "status"),
        sa.Index("ix_reviews_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # One review per completed booking: that is what makes it a verified visit.
    booking_id: Mapped[int] = mapped_column(sa.ForeignKey("bookings.id"), unique=True)
    clinic_id: Mapped[int] = mapped_column(sa.ForeignKey("clinics.id"))
    therapist_id: Mapped[int] = mapped_column(sa.ForeignKey("therapists.id"), index=True)
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("services.id"))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    rating: Mapped[int]
    rating_pressure: Mapped[int | None]  # pressure and technique
    rating_communication: Mapped[int | None]  # listening and communication
    rating_cleanliness: Mapped[int | None]  # cleanliness and comfort
    rating_value: Mapped[int | None]
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[ReviewStatus] = mapped_column(
        enum_type(ReviewStatus, "review_status"), default=ReviewStatus.PENDING
    )
    rejection_reason: Mapped[str | None] = mapped_column(sa.String(500))
    moderated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    moderated_at: Mapped[datetime | None]
    response_body: Mapped[str | None] = mapped_column(sa.Text)
    response_at: Mapped[datetime | None]
    response_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    booking: Mapped[Booking] = relationship()  # noqa: F821
    clinic: Mapped[Clinic] = relationship()  # noqa: F821
    therapist: Mapped[Therapist] = relationship()  # noqa: F821
    service: Mapped[Service] = relationship()  # noqa: F821
    author: Mapped[User] = relationship(foreign_keys=[author_id])  # noqa: F821
    reports: Mapped[list[ReviewReport]] = relationship(
        back_populates="review", order_by="ReviewReport.id"
    )

    @classmethod
    def of_visit(cls, booking: Booking, **fields) -> Review:  # noqa: F821
        """A review of ``booking`` by its client: clinic, therapist and service come from it."""
        return cls(
            booking_id=booking.id, clinic_id=booking.clinic_id,
            therapist_id=booking.therapist_id, service_id=booking.service_id,
            author_id=booking.client_id, **fields,
        )


class ReviewReport(TimestampMixin, db.Model):
    __tablename__ = "review_reports"
    __table_args__ = (
        sa.UniqueConstraint("review_id", "reporter_id"),
        sa.Index("ix_review_reports_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("reviews.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    reason: Mapped[ReportReason] = mapped_column(enum_type(ReportReason, "report_reason"))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[ReportStatus] = mapped_column(
        enum_type(ReportStatus, "report_status"), default=ReportStatus.OPEN
    )
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None]

    review: Mapped[Review] = relationship(back_populates="reports")
    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])  # noqa: F821


class VisitReport(TimestampMixin, db.Model):
    """A client's private report of misconduct during a visit, for admins only."""

    __tablename__ = "visit_reports"
    __table_args__ = (sa.Index("ix_visit_reports_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(sa.ForeignKey("bookings.id"), index=True)
    reporter_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[ReportStatus] = mapped_column(
        enum_type(ReportStatus, "visit_report_status"), default=ReportStatus.OPEN
    )
    resolution_note: Mapped[str | None] = mapped_column(sa.String(1000))
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None]

    booking: Mapped[Booking] = relationship()  # noqa: F821
    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])  # noqa: F821
