"""Past visits and time off: the demo clients' completed bookings (with paid deposits)
and the therapists' days away, placed relative to "now". Idempotent by reference."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from ..models import (
    Booking,
    BookingStatus,
    Clinic,
    Location,
    ScreeningOutcome,
    Service,
    Therapist,
    TimeOff,
    User,
    WorkingHours,
    db,
)
from ..services.common.local_time import local_instant, local_today
from . import data as seed_data
from .common import booking_exists, clinic_by_slug, seeded_payment, therapist_by_slug, visit


def ensure_time_off(now: datetime) -> None:
    """Add the demo time off that is missing, counted in days from today, local."""
    for spec in seed_data.TIME_OFF:
        therapist = therapist_by_slug(spec.therapist)
        if any(t.reason == spec.reason for t in therapist.time_off):
            continue
        tz = therapist.working_hours[0].location.timezone
        first = local_today(tz, now) + timedelta(days=spec.starts_in_days)
        therapist.time_off.append(TimeOff(
            starts_at=local_instant(first, time(0, 0), tz),
            ends_at=local_instant(first + timedelta(days=spec.days), time(0, 0), tz),
            reason=spec.reason,
        ))


def _working_day(therapist: Therapist, latest: date) -> tuple[date, WorkingHours]:
    """The last day on or before ``latest`` the therapist works, with its first span."""
    for back in range(7):
        day = latest - timedelta(days=back)
        spans = [h for h in therapist.working_hours if h.weekday == day.weekday()]
        if spans:
            return day, min(spans, key=lambda h: h.starts)
    raise ValueError(f"therapist {therapist.slug} has no working hours")


def ensure_demo_bookings(users: dict[str, User], now: datetime) -> int:
    """Add the demo clients' missing past visits; returns how many exist."""
    for spec in seed_data.BOOKINGS:
        if not booking_exists(spec.reference):
            add_demo_booking(spec, users[spec.client_email], now)
    references = [b.reference for b in seed_data.BOOKINGS]
    return db.session.scalar(
        select(func.count()).select_from(Booking).where(Booking.reference.in_(references))
    )


def add_demo_booking(spec: seed_data.BookingSeed, client: User, now: datetime) -> None:
    """A completed visit ``spec.days_ago`` days back (on a day the therapist works)."""
    clinic = clinic_by_slug(spec.clinic)
    service = next(s for s in clinic.services if s.name == spec.service)
    therapist = therapist_by_slug(spec.therapist)
    tz = therapist.working_hours[0].location.timezone
    latest = local_today(tz, now) - timedelta(days=spec.days_ago)
    day, span = _working_day(therapist, latest)
    wall = spec.local_start if span.starts <= spec.local_start < span.ends else span.starts
    starts_at = local_instant(day, wall, span.location.timezone)
    booking = _completed_booking(clinic, service, therapist, span.location, starts_at)
    booking.reference, booking.client = spec.reference, client
    db.session.add(booking)
    if booking.deposit_cents:
        db.session.add(seeded_payment(booking, spec.reference))


def _completed_booking(
    clinic: Clinic, service: Service, therapist: Therapist, location: Location,
    starts_at: datetime,
) -> Booking:
    booking = visit(clinic, service, therapist, location, starts_at,
                    status=BookingStatus.COMPLETED,
                    booked_at=starts_at - timedelta(days=6, hours=3))
    booking.screening_outcome = ScreeningOutcome.PROCEED
    booking.reminder_sent_at = starts_at - timedelta(hours=24)
    booking.completed_at = booking.ends_at + timedelta(minutes=10)
    return booking
