"""Factories for test data: ``create_*(**overrides)`` builds valid rows and flushes them.

Each returns the row; overrides replace any column. Nothing here commits: the
test's outer transaction is rolled back at the end.
"""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache

from sqlalchemy import select

from marketplace.models import (
    Booking,
    BookingStatus,
    Clinic,
    ClinicMember,
    ClinicStatus,
    DepositKind,
    Intensity,
    Location,
    MemberRole,
    Modality,
    Role,
    Service,
    Therapist,
    User,
    WorkingHours,
    db,
    per_60,
)
from marketplace.services.accounts.users import hash_password

TEST_PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


@lru_cache(maxsize=1)
def test_password_hash() -> str:
    return hash_password(TEST_PASSWORD)


def _n() -> int:
    return next(_seq)


def _save(row):
    db.session.add(row)
    db.session.flush()
    return row


def create_user(**overrides) -> User:
    n = _n()
    values = {
        "email": f"user{n}-{secrets.token_hex(3)}@example.test",
        "name": f"Test User {n}",
        "password_hash": test_password_hash(),
        "role": Role.CLIENT,
    }
    values.update(overrides)
    return _save(User(**values))


def create_modality(slug: str = "neuromuscular-therapy", **overrides) -> Modality:
    existing = db.session.scalar(select(Modality).where(Modality.slug == slug))
    if existing is not None:
        return existing
    values = {
        "slug": slug,
        "name": slug.replace("-", " ").title(),
        "intensity": Intensity.DEEP,
        "summary": "",
    }
    values.update(overrides)
    return _save(Modality(**values))


# Coordinates and zones of real ZIPs, so geo lookups agree with the rows.
PLACES = {
    "33701": ("St. Petersburg", "FL", 27.7723, -82.6386, "America/New_York"),
    "80210": ("Denver", "CO", 39.6793, -104.9631, "America/Denver"),
}


def create_location(clinic: Clinic, zip_code: str = "33701", **overrides) -> Location:
    city, state, lat, lng, tz = PLACES[zip_code]
    values = {
        "clinic": clinic,
        "name": "Main",
        "address_line1": f"{100 + _n()} Central Ave",
        "city": city,
        "state": state,
        "zip_code": zip_code,
        "latitude": lat,
        "longitude": lng,
        "timezone": tz,
    }
    values.update(overrides)
    return _save(Location(**values))


def create_clinic(
    *, owner: User | None = None, zip_code: str | None = "33701", **overrides
) -> Clinic:
    n = _n()
    values = {
        "slug": f"test-clinic-{n}",
        "name": f"Test Clinic {n}",
        "description": "A clinic for tests.",
        "phone": "727-555-0100",
        "status": ClinicStatus.PUBLISHED,
        "deposit_kind": DepositKind.PERCENT,
        "deposit_value": 20,
        "cancellation_window_hours": 24,
        "policy_text": "Cancel 24 hours ahead for a full deposit refund.",
    }
    values.update(overrides)
    clinic = _save(Clinic(**values))
    if zip_code:
        create_location(clinic, zip_code)
    if owner is not None:
        _save(ClinicMember(clinic=clinic, user=owner, role=MemberRole.OWNER))
    return clinic


def create_therapist(clinic: Clinic, **overrides) -> Therapist:
    n = _n()
    values = {
        "clinic": clinic,
        "slug": f"therapist-{n}",
        "name": f"Therapist {n}",
        "credentials": "LMT, CNMT",
        "licence_number": f"MA{60000 + n}",
        "licence_state": "FL",
        "practicing_since": 2012,
        "bio": "",
    }
    values.update(overrides)
    therapist = _save(Therapist(**values))
    return therapist


def create_service(
    clinic: Clinic,
    *,
    therapists: list[Therapist] | None = None,
    modality: Modality | None = None,
    duration_min: int = 60,
    price_cents: int = 11500,
    **overrides,
) -> Service:
    values = {
        "clinic": clinic,
        "modality": modality or create_modality(),
        "name": "Therapeutic massage with NMT",
        "duration_min": duration_min,
        "price_cents": price_cents,
        "price_per_60_cents": per_60(price_cents, duration_min),
    }
    values.update(overrides)
    service = _save(Service(**values))
    service.therapists = list(therapists or [])
    db.session.flush()
    return service


def create_hours(
    therapist: Therapist,
    location: Location,
    *,
    weekdays=range(7),
    starts: time = time(9),
    ends: time = time(17),
) -> list[WorkingHours]:
    rows = [
        WorkingHours(therapist=therapist, location=location, weekday=d, starts=starts, ends=ends)
        for d in weekdays
    ]
    db.session.add_all(rows)
    db.session.flush()
    return rows


@dataclass
class Bookable:
    clinic: Clinic
    location: Location
    therapist: Therapist
    service: Service
    owner: User


def create_bookable_clinic(zip_code: str = "33701", **clinic_overrides) -> Bookable:
    """A published clinic with an owner, one therapist working 9-17 daily and one service."""
    owner = create_user(role=Role.OWNER)
    clinic = create_clinic(owner=owner, zip_code=zip_code, **clinic_overrides)
    location = clinic.locations[0]
    therapist = create_therapist(clinic)
    service = create_service(clinic, therapists=[therapist])
    create_hours(therapist, location)
    return Bookable(clinic, location, therapist, service, owner)


def create_booking(
    b: Bookable,
    *,
    starts_at: datetime,
    client: User | None = None,
    status: BookingStatus = BookingStatus.CONFIRMED,
    **overrides,
) -> Booking:
    service = b.service
    ends_at = starts_at + timedelta(minutes=service.duration_min)
    values = {
        "reference": secrets.token_hex(4).upper(),
        "clinic": b.clinic,
        "location": b.location,
        "therapist": b.therapist,
        "service": service,
        "client": client,
        "status": status,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "blocked_from": starts_at - timedelta(minutes=service.buffer_before_min),
        "blocked_until": ends_at + timedelta(minutes=service.buffer_after_min),
        "timezone": b.location.timezone,
        "price_cents": service.price_cents,
        "deposit_cents": 2300,
        "policy_deposit_kind": b.clinic.deposit_kind,
        "policy_deposit_value": b.clinic.deposit_value,
        "policy_cancellation_hours": b.clinic.cancellation_window_hours,
    }
    values.update(overrides)
    return _save(Booking(**values))


# --- reviews, reports and claims (issue 6) ----------------------------------------------


def create_completed_visit(
    b: Bookable | None = None, *, client: User | None = None, days_ago: int = 3, **overrides
) -> Booking:
    """A visit ``days_ago`` days back, marked completed, for ``client`` (a new one by default)."""
    from marketplace.models import utcnow

    b = b or create_bookable_clinic()
    starts_at = utcnow().replace(microsecond=0) - timedelta(days=days_ago)
    values = {
        "status": BookingStatus.COMPLETED,
        "completed_at": starts_at + timedelta(hours=1, minutes=10),
    }
    values.update(overrides)
    return create_booking(b, starts_at=starts_at, client=client or create_user(), **values)


def create_review(booking: Booking, **overrides):
    """A review of ``booking`` by its client; published unless ``status`` says otherwise.

    Call ``refresh_clinic_rating`` afterwards when the test reads the clinic's rating.
    """
    from marketplace.models import Review, ReviewStatus, utcnow

    values = {
        "booking_id": booking.id,
        "clinic_id": booking.clinic_id,
        "therapist_id": booking.therapist_id,
        "service_id": booking.service_id,
        "author_id": booking.client_id,
        "rating": 5,
        "body": "Careful trigger point work on my neck; I could turn my head again.",
        "status": ReviewStatus.PUBLISHED,
        "created_at": utcnow(),
    }
    values.update(overrides)
    return _save(Review(**values))


def create_claim(clinic: Clinic, user: User, **overrides):
    """A pending claim by ``user`` to manage ``clinic``."""
    from marketplace.models import ClinicClaim

    values = {"clinic_id": clinic.id, "user_id": user.id, "message": "I run this clinic."}
    values.update(overrides)
    return _save(ClinicClaim(**values))


# --- messages ---------------------------------------------------------------------------


def create_thread(clinic: Clinic, client: User | None = None, *, at: datetime | None = None,
                  answer: str | None = None, **overrides):
    """A thread ``client`` (a new one by default) started with ``clinic`` at ``at``; with
    ``answer``, the clinic's unread answer a minute later. Written as rows: no e-mail."""
    from marketplace.models import Message, MessageThread, utcnow

    at = at or utcnow().replace(microsecond=0)
    client = client or create_user()
    values = {"clinic": clinic, "client": client, "subject": "Parking",
              "created_at": at, "last_message_at": at, "last_client_message_at": at,
              "client_read_at": at}
    values.update(overrides)
    thread = _save(MessageThread(**values))
    _save(Message(thread=thread, author=client, from_clinic=False, created_at=at,
                  body="Is there parking near the clinic?"))
    if answer is not None:
        later = at + timedelta(minutes=1)
        member = clinic.members[0].user if clinic.members else None
        _save(Message(thread=thread, author=member, from_clinic=True, created_at=later,
                      body=answer))
        thread.last_message_at = thread.last_clinic_message_at = later
        thread.clinic_read_at = later
        db.session.flush()
    return thread
