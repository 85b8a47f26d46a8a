"""What the demo seed and the synthetic catalogue share: the demo password, the report
``flask seed`` prints, and the lookups and builders every part of the demo uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..models import (
    Booking,
    BookingStatus,
    Clinic,
    Location,
    Payment,
    PaymentStatus,
    Role,
    Service,
    Therapist,
    User,
    db,
)
from ..services.accounts.users import hash_password, normalise_email
from ..services.booking.pricing import deposit_for

DEMO_PASSWORD = "massage-demo-2026"  # noqa: S105 - published demo sign-in, not a secret


@dataclass
class SeedReport:
    clinics: int = 0
    therapists: int = 0
    services: int = 0
    bookings: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)
    gift_card_code: str = ""  # the demo gift card's, published like the password


class PasswordHash:
    """The demo password hashed at most once per run (argon2 is slow on purpose)."""

    def __init__(self) -> None:
        self._value: str | None = None

    def __call__(self) -> str:
        if self._value is None:
            self._value = hash_password(DEMO_PASSWORD)
        return self._value


def ensure_user(
    email: str, *, name: str, role: Role, password_hash: Callable[[], str],
    phone: str | None = None,
) -> User:
    """The account for ``email``, created with these details when it is missing."""
    email = normalise_email(email)
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None:
        user = User(email=email, name=name, phone=phone, role=role, password_hash=password_hash())
        db.session.add(user)
    return user


def booking_exists(reference: str) -> bool:
    return db.session.scalar(select(Booking.id).where(Booking.reference == reference)) is not None


def clinic_by_slug(slug: str) -> Clinic:
    return db.session.scalar(select(Clinic).where(Clinic.slug == slug))


def therapist_by_slug(slug: str) -> Therapist:
    therapist = db.session.scalar(select(Therapist).where(Therapist.slug == slug))
    if therapist is None:
        raise ValueError(f"demo data names an unknown therapist {slug!r}")
    return therapist


def visit(
    clinic: Clinic, service: Service, therapist: Therapist, location: Location,
    starts_at: datetime, *, status: BookingStatus, booked_at: datetime,
) -> Booking:
    """A booking under the clinic's current policy, confirmed two minutes after ``booked_at``."""
    ends_at = starts_at + timedelta(minutes=service.duration_min)
    return Booking(
        clinic=clinic, location=location, therapist=therapist, service=service,
        status=status, starts_at=starts_at, ends_at=ends_at,
        blocked_from=starts_at - timedelta(minutes=service.buffer_before_min),
        blocked_until=ends_at + timedelta(minutes=service.buffer_after_min),
        timezone=location.timezone, price_cents=service.price_cents,
        deposit_cents=deposit_for(clinic, service.price_cents),
        policy_deposit_kind=clinic.deposit_kind, policy_deposit_value=clinic.deposit_value,
        policy_cancellation_hours=clinic.cancellation_window_hours,
        policy_text=clinic.policy_text, created_at=booked_at,
        confirmed_at=booked_at + timedelta(minutes=2),
    )


def seeded_payment(booking: Booking, reference: str) -> Payment:
    """The deposit of a demo booking, paid when it was confirmed (``flask seed-payments``
    later gives it a real intent at the local Stripe stand-in)."""
    return Payment(
        booking=booking, idempotency_key=f"seed:{reference}",
        intent_id=f"pi_seed_{reference.lower()}", amount_cents=booking.deposit_cents,
        status=PaymentStatus.SUCCEEDED, succeeded_at=booking.confirmed_at,
        created_at=booking.created_at,
    )
