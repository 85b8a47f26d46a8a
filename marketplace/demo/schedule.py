"""Demo bookings around "now" so the seed clinics' owners have a schedule to run:
confirmed visits this week and next (one needing a doctor's clearance, one for
gentle work only), yesterday's visits waiting to be marked completed or no-show,
and a cancelled booking whose deposit was refunded.

Future visits take the first open slot from the wanted local day and time
(the availability engine decides), so they never overlap another booking.
Idempotent by reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select

from ..models import (
    Booking,
    BookingStatus,
    Location,
    Party,
    PaymentStatus,
    ScreeningOutcome,
    Service,
    Therapist,
    User,
    db,
)
from ..services.availability.engine import Interval
from ..services.availability.schedules import busy_filter, service_slots
from ..services.common.local_time import local_instant, local_today
from ..services.common.rules import BookingRules
from . import data as seed_data
from .common import booking_exists, clinic_by_slug, seeded_payment, therapist_by_slug, visit

SOLELY = seed_data.SOLELY.slug
CMT = seed_data.CENTER_FOR_MASSAGE_THERAPY.slug
FLEX = seed_data.FLEX_SPINE_AND_SPORT.slug
CLIENT, CLIENT2 = "client@demo.test", "client2@demo.test"
#: Slot rules for placing demo visits (the site's defaults; no app config needed).
DEMO_RULES = BookingRules()


@dataclass(frozen=True)
class UpcomingSeed:
    reference: str
    client_email: str
    clinic: str  # slug
    service: str  # name
    therapist: str  # slug
    days: int  # from today, local (the first open slot from then); -1: the last working day
    local_start: time
    screening: ScreeningOutcome = ScreeningOutcome.PROCEED
    cancelled: bool = False  # by the client, in time: deposit refunded


U = UpcomingSeed
UPCOMING: tuple[UpcomingSeed, ...] = (
    U("DEMOU1S1", CLIENT, SOLELY, "Therapeutic massage with neuromuscular therapy",
      "danielle-ortiz", 1, time(10)),
    U("DEMOU2S2", CLIENT2, SOLELY, "Myofascial release session", "danielle-ortiz", 2, time(14),
      ScreeningOutcome.CLEARANCE),
    U("DEMOU3S3", CLIENT, SOLELY, "Myofascial cupping session", "marcus-bell", 8, time(15)),
    U("DEMOU4S4", CLIENT2, SOLELY, "Swedish massage", "danielle-ortiz", -1, time(11)),
    U("DEMOU5S5", CLIENT, SOLELY, "Deep tissue massage", "marcus-bell", 4, time(16),
      cancelled=True),
    U("DEMOU6C1", CLIENT2, CMT, "Neuromuscular therapy", "rachel-kim", 1, time(9)),
    U("DEMOU7C2", CLIENT, CMT, "Swedish massage", "thomas-greene", 3, time(17),
      ScreeningOutcome.GENTLE_ONLY),
    U("DEMOU8C3", CLIENT, CMT, "Acupuncture", "mei-lin-zhao", 9, time(12)),
    U("DEMOU9C4", CLIENT, CMT, "Deep tissue massage", "rachel-kim", -1, time(13)),
    U("DEMOV1F1", CLIENT, FLEX, "Sports massage", "jordan-price", 2, time(11)),
    U("DEMOV2F2", CLIENT2, FLEX, "Neuromuscular massage therapy", "alicia-romero", 7, time(9)),
    U("DEMOV3F3", CLIENT2, FLEX, "Assisted PNF stretching", "jordan-price", -1, time(15)),
)


def ensure_upcoming_bookings(*, users: dict[str, User], now: datetime) -> int:
    """Add the missing demo bookings; returns how many exist."""
    for spec in UPCOMING:
        if not booking_exists(spec.reference):
            _add(spec, users[spec.client_email], now)
            db.session.flush()
    references = [s.reference for s in UPCOMING]
    return len(db.session.scalars(select(Booking.id).where(Booking.reference.in_(references)))
               .all())


def _add(spec: UpcomingSeed, client: User, now: datetime) -> None:
    clinic = clinic_by_slug(spec.clinic)
    service = next(s for s in clinic.services if s.name == spec.service)
    therapist = therapist_by_slug(spec.therapist)
    place = (_future_start(spec, service, therapist, now) if spec.days > 0
             else _past_start(spec, service, therapist, now))
    if place is None:
        return
    starts_at, location = place
    # Booked (and paid) within the last hours, or the day before a past visit: the
    # owner's money page has deposits this week.
    booked_at = min(now - timedelta(hours=2), starts_at - timedelta(days=1))
    booking = visit(clinic, service, therapist, location, starts_at,
                    status=BookingStatus.CONFIRMED, booked_at=booked_at)
    booking.reference, booking.client = spec.reference, client
    booking.screening_outcome = spec.screening
    db.session.add(booking)
    payment = seeded_payment(booking, spec.reference)
    if spec.cancelled:
        booking.status, booking.cancelled_by = BookingStatus.CANCELLED, Party.CLIENT
        booking.cancelled_at = booking.created_at + (now - booking.created_at) / 2
        booking.cancel_reason = "Schedule changed"
        payment.status, payment.refunded_cents = PaymentStatus.REFUNDED, payment.amount_cents
        payment.refund_id = f"re_seed_{spec.reference.lower()}"
    if booking.deposit_cents:
        db.session.add(payment)


def _future_start(spec, service: Service, therapist: Therapist, now: datetime):
    """The first open slot from the wanted local day and time, within a week."""
    tz = therapist.working_hours[0].location.timezone
    day = local_today(tz, now) + timedelta(days=spec.days)
    wanted = local_instant(day, spec.local_start, tz)
    end = wanted + timedelta(days=7)
    slots = service_slots(service, window=Interval(wanted, end), now=now, rules=DEMO_RULES,
                          therapist_id=therapist.id)
    if not slots:
        return None
    return slots[0].starts_at, db.session.get(Location, slots[0].location_id)


def _past_start(spec, service: Service, therapist: Therapist, now: datetime):
    """The wanted time on the last day before today the therapist works, if free."""
    tz = therapist.working_hours[0].location.timezone
    day = local_today(tz, now)
    for back in range(1, 8):
        candidate = day - timedelta(days=back)
        spans = [h for h in therapist.working_hours if h.weekday == candidate.weekday()]
        if spans:
            break
    starts_at = local_instant(candidate, spec.local_start, tz)
    ends_at = starts_at + timedelta(minutes=service.duration_min)
    clash = db.session.scalar(
        select(Booking.id).where(
            Booking.therapist_id == therapist.id, busy_filter(now),
            Booking.blocked_from < ends_at, Booking.blocked_until > starts_at,
        )
    )
    return None if clash else (starts_at, spans[0].location)
