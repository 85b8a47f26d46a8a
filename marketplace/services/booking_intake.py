"""The health intake inside the booking flow: screen the answers for the visit's
date and act on the outcome.

- proceed: the answers are saved (encrypted) and the client goes on to pay;
- gentle techniques only, for a moderate or deep service: that service is
  refused, the hold released (nothing stays held that the client cannot use),
  and the clinic's gentle services are offered instead;
- doctor's clearance: the client must confirm they have it; the booking then
  carries ``clearance_confirmed``, which the clinic sees;
- not now: the booking stops, the hold is released, and the advice is shown.

The answers are saved in every case, so a returning client can review and
reuse them next time (``reusable_answers``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from ..models import (
    Booking,
    BookingStatus,
    IntakeRecord,
    Party,
    ScreeningOutcome,
    Service,
    User,
    db,
)
from . import audit
from .availability import zone
from .booking import bookable_services, require_live_hold
from .intake import KeyRing, latest_intake, read_intake, save_intake
from .intake_keys import IntakeUnreadable
from .screening import IntakeAnswers, Screening, screen, service_allowed

REFUSED_REASON = "The health screening allows gentle techniques only"
STOPPED_REASON = "The health screening says not now"


@dataclass(frozen=True)
class IntakeDecision:
    """What the answers mean for this booking."""

    screening: Screening
    go_ahead: bool = False  # on to the deposit
    needs_clearance: bool = False  # ask the client to confirm their doctor's clearance
    refused: bool = False  # this service is not safe; see ``alternatives``
    stopped: bool = False  # not now: the booking is over
    alternatives: list[Service] = field(default_factory=list)


def visit_date(booking: Booking) -> date:
    """The visit's date in the clinic's zone: what the screening judges dates against."""
    return booking.starts_at.astimezone(zone(booking.timezone)).date()


def screen_for(booking: Booking, answers: IntakeAnswers) -> Screening:
    """The screening of ``answers`` for this booking's visit date."""
    return screen(answers, visit_date=visit_date(booking))


def submit_intake(
    booking: Booking,
    *,
    client: User,
    answers: IntakeAnswers,
    clearance_confirmed: bool,
    keyring: KeyRing,
    now: datetime,
) -> IntakeDecision:
    """Screen and save the client's answers for this held booking, and act on the outcome."""
    require_live_hold(booking, now)
    screening = screen_for(booking, answers)
    intensity = booking.service.modality.intensity
    if screening.needs_clearance and not clearance_confirmed and service_allowed(
            screening, intensity):
        return IntakeDecision(screening, needs_clearance=True)
    save_intake(client=client, clinic=booking.clinic, booking=booking, answers=answers,
                screening=screening, clearance_confirmed=clearance_confirmed, keyring=keyring,
                now=now)
    if screening.outcome is ScreeningOutcome.NOT_NOW:
        _stop(booking, STOPPED_REASON, client=client, now=now)
        return IntakeDecision(screening, stopped=True)
    if not service_allowed(screening, intensity):
        _stop(booking, REFUSED_REASON, client=client, now=now)
        return IntakeDecision(screening, refused=True,
                              alternatives=allowed_services(booking, screening))
    return IntakeDecision(screening, go_ahead=True)


def _stop(booking: Booking, reason: str, *, client: User, now: datetime) -> None:
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at, booking.cancelled_by = now, Party.SYSTEM
    booking.cancel_reason = reason
    audit.record(actor=client, action="booking.screening_stop", obj=booking, now=now,
                 detail={"outcome": booking.screening_outcome.value})


def allowed_services(booking: Booking, screening: Screening) -> list[Service]:
    """The clinic's bookable services this screening allows (the gentle ones, say)."""
    return [s for s in bookable_services(booking.clinic)
            if service_allowed(screening, s.modality.intensity)]


def gentle_services(booking: Booking) -> list[Service]:
    """The clinic's gentle services: what a client refused a deeper one can book instead."""
    return [s for s in bookable_services(booking.clinic)
            if s.modality.intensity.value == "gentle"]


def intake_of(booking: Booking) -> IntakeRecord | None:
    """The intake answered for this booking, if any."""
    return db.session.scalar(select(IntakeRecord).where(IntakeRecord.booking_id == booking.id))


def reusable_answers(client: User, *, keyring: KeyRing,
                     now: datetime) -> tuple[IntakeAnswers, datetime] | None:
    """The client's last answers (any clinic), to show for review, with when they gave them."""
    record = latest_intake(client)
    if record is None:
        return None
    try:
        answers, _ = read_intake(record, viewer=client, keyring=keyring, now=now)
    except IntakeUnreadable:
        return None  # a key since retired: they simply answer again
    return answers, record.reviewed_at or record.created_at
