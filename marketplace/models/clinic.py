"""Clinics and what hangs off them directly: membership, claims, locations,
promotions and referral partners."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TimestampMixin, db, enum_type


class ClinicStatus(enum.StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    SUSPENDED = "suspended"


class DepositKind(enum.StrEnum):
    PERCENT = "percent"  # deposit_value is a whole percentage of the price
    FIXED = "fixed"  # deposit_value is an amount in cents


class MemberRole(enum.StrEnum):
    OWNER = "owner"
    STAFF = "staff"


class ClaimStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class PromotionKind(enum.StrEnum):
    AMOUNT = "amount"  # value in cents off the price
    PERCENT = "percent"  # value is a whole percentage off the price


RATING_RANK_SQL = ("CASE WHEN rating_avg IS NULL THEN 0.0 "
                   "ELSE (20.0 + rating_avg * review_count) / (5.0 + review_count) END")


class Clinic(TimestampMixin, db.Model):
    __tablename__ = "clinics"
    __table_args__ = (
        sa.CheckConstraint("deposit_value >= 0", name="deposit_value_nonnegative"),
        sa.CheckConstraint(
            "deposit_kind != 'percent' OR deposit_value <= 100", name="deposit_percent_max_100"
        ),
        sa.CheckConstraint(
            "cancellation_window_hours >= 0 AND cancellation_window_hours <= 720",
            name="cancellation_window_range",
        ),
        sa.Index("ix_clinics_status_rating", "status", "rating_avg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    tagline: Mapped[str | None] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    status: Mapped[ClinicStatus] = mapped_column(
        enum_type(ClinicStatus, "clinic_status"), default=ClinicStatus.PENDING, index=True
    )
    status_reason: Mapped[str | None] = mapped_column(sa.String(500))
    deposit_kind: Mapped[DepositKind] = mapped_column(
        enum_type(DepositKind, "deposit_kind"), default=DepositKind.PERCENT
    )
    deposit_value: Mapped[int] = mapped_column(default=20)
    cancellation_window_hours: Mapped[int] = mapped_column(default=24)
    policy_text: Mapped[str] = mapped_column(sa.Text, default="")
    intake_note: Mapped[str | None] = mapped_column(sa.Text)
    # True for a clinic the demo invented (a real clinic's invented address is
    # marked on its location instead); the home page features real clinics only.
    is_illustrative: Mapped[bool] = mapped_column(default=False)
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # Kept in step by the reviews service so search can sort without a join.
    rating_avg: Mapped[float | None] = mapped_column(sa.Float)
    review_count: Mapped[int] = mapped_column(default=0)
    # What the rating sort ranks by, computed by the database from the two above:
    # the Bayesian average (services/discovery/plan.py rating_score), 0 when unrated.
    # Indexed with the name and id (ix_clinics_status_rank, migration 0003) so a page
    # of "every clinic by rating" is read in order, not sorted.
    rating_rank: Mapped[float] = mapped_column(sa.Float, sa.Computed(RATING_RANK_SQL))

    members: Mapped[list[ClinicMember]] = relationship(
        back_populates="clinic", cascade="all, delete-orphan"
    )
    locations: Mapped[list[Location]] = relationship(
        back_populates="clinic", cascade="all, delete-orphan", order_by="Location.id"
    )
    therapists: Mapped[list[Therapist]] = relationship(  # noqa: F821
        back_populates="clinic", cascade="all, delete-orphan", order_by="Therapist.name"
    )
    services: Mapped[list[Service]] = relationship(  # noqa: F821
        back_populates="clinic", cascade="all, delete-orphan", order_by="Service.name"
    )
    promotions: Mapped[list[Promotion]] = relationship(
        back_populates="clinic", cascade="all, delete-orphan", order_by="Promotion.id"
    )
    partners: Mapped[list[Partner]] = relationship(
        back_populates="clinic", cascade="all, delete-orphan", order_by="Partner.name"
    )
    amenities: Mapped[list[ClinicAmenity]] = relationship(
        cascade="all, delete-orphan", order_by="ClinicAmenity.code"
    )

    @property
    def amenity_codes(self) -> list[str]:
        """The codes of the amenities it offers (services/common/features.py)."""
        return [row.code for row in self.amenities]

    # Every photo of the clinic and its therapists; ``gallery`` is the clinic's own.
    photos: Mapped[list[Photo]] = relationship(  # noqa: F821
        back_populates="clinic", cascade="all, delete-orphan",
        order_by="(Photo.position, Photo.id)"
    )

    @property
    def gallery(self) -> list:
        """The clinic's own photos (not its therapists'), in the owner's order."""
        return [p for p in self.photos if p.therapist_id is None]

    @property
    def portraits(self) -> dict:
        """Each therapist's photo by therapist id (from ``photos``: no query per therapist)."""
        return {p.therapist_id: p for p in self.photos if p.therapist_id is not None}

    @property
    def timezone(self) -> str:
        """The zone the clinic's dates are shown in: its first location's."""
        return self.locations[0].timezone if self.locations else "UTC"

    @property
    def is_public(self) -> bool:
        return self.status is ClinicStatus.PUBLISHED

    def __repr__(self) -> str:
        return f"<Clinic {self.slug} {self.status}>"


class ClinicAmenity(db.Model):
    """An amenity a clinic offers, by its code (``features.AMENITIES``).

    The primary key makes each amenity once per clinic; ``ix_clinic_amenities_code``
    finds the clinics with an amenity for search."""

    __tablename__ = "clinic_amenities"
    __table_args__ = (sa.Index("ix_clinic_amenities_code", "code", "clinic_id"),)

    clinic_id: Mapped[int] = mapped_column(
        sa.ForeignKey("clinics.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(32), primary_key=True)


class ClinicMember(TimestampMixin, db.Model):
    __tablename__ = "clinic_members"
    __table_args__ = (sa.UniqueConstraint("clinic_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(sa.ForeignKey("clinics.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[MemberRole] = mapped_column(
        enum_type(MemberRole, "member_role"), default=MemberRole.OWNER
    )

    clinic: Mapped[Clinic] = relationship(back_populates="members")
    user: Mapped[User] = relationship(back_populates="memberships")  # noqa: F821


class ClinicClaim(TimestampMixin, db.Model):
    """An owner's request to manage a listing that already exists."""

    __tablename__ = "clinic_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(
        sa.ForeignKey("clinics.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[ClaimStatus] = mapped_column(
        enum_type(ClaimStatus, "claim_status"), default=ClaimStatus.PENDING
    )
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(sa.String(500))

    clinic: Mapped[Clinic] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])  # noqa: F821


class Location(TimestampMixin, db.Model):
    __tablename__ = "locations"
    __table_args__ = (
        sa.Index("ix_locations_lat_lng", "latitude", "longitude"),
        sa.CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        sa.CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(
        sa.ForeignKey("clinics.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120), default="Main")
    address_line1: Mapped[str] = mapped_column(sa.String(200))
    address_line2: Mapped[str | None] = mapped_column(sa.String(200))
    city: Mapped[str] = mapped_column(sa.String(100))
    state: Mapped[str] = mapped_column(sa.String(2))
    zip_code: Mapped[str] = mapped_column(sa.String(10), index=True)
    latitude: Mapped[float] = mapped_column(sa.Float)
    longitude: Mapped[float] = mapped_column(sa.Float)
    timezone: Mapped[str] = mapped_column(sa.String(64))  # IANA name, e.g. America/Denver
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    is_illustrative: Mapped[bool] = mapped_column(default=False)

    clinic: Mapped[Clinic] = relationship(back_populates="locations")

    @property
    def one_line(self) -> str:
        return address_line(self.address_line1, self.address_line2, self.city, self.state,
                            self.zip_code)


def address_line(line1: str, line2: str | None, city: str, state: str, zip_code: str) -> str:
    """An address on one line: "12 Main St, Suite 4, Tampa, FL 33602"."""
    parts = [line1, line2, city]
    return ", ".join(p for p in parts if p) + f", {state} {zip_code}"


class Promotion(TimestampMixin, db.Model):
    __tablename__ = "promotions"
    __table_args__ = (
        sa.UniqueConstraint("clinic_id", "code"),
        sa.CheckConstraint("value > 0", name="value_positive"),
        sa.CheckConstraint("kind != 'percent' OR value <= 100", name="percent_max_100"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(sa.ForeignKey("clinics.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(sa.String(40))  # stored upper-case
    title: Mapped[str] = mapped_column(sa.String(160))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[PromotionKind] = mapped_column(enum_type(PromotionKind, "promotion_kind"))
    value: Mapped[int]
    # Limits the promotion to one technique (the acupuncture offer, say).
    modality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("modalities.id"))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    max_redemptions: Mapped[int | None]
    per_client_limit: Mapped[int | None] = mapped_column(default=1)
    redemptions_count: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    clinic: Mapped[Clinic] = relationship(back_populates="promotions")
    modality: Mapped[Modality | None] = relationship()  # noqa: F821


class Partner(db.Model):
    """A trusted professional a clinic refers clients to (doctors, trainers...)."""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(
        sa.ForeignKey("clinics.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(160))
    specialty: Mapped[str] = mapped_column(sa.String(120))
    note: Mapped[str | None] = mapped_column(sa.String(300))

    clinic: Mapped[Clinic] = relationship(back_populates="partners")
