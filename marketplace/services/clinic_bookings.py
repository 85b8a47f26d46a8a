"""A clinic's side of one booking: find it, and mark how the visit went.

Allowed outcomes (``TRANSITIONS``): a confirmed visit becomes completed or a
no-show once it has started; a no-show may be corrected to completed (the
client came late). A completed visit stays completed: the client may have
reviewed it. Every mark is audited.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..models import Booking, BookingStatus, Clinic, IntakeRecord, User, db
from . import audit
from .errors import Conflict, NotFound

REFERENCE_RE = re.compile(r"^[A-Za-z0-9]{1,12}$")

TRANSITIONS: dict[BookingStatus, frozenset[BookingStatus]] = {
    BookingStatus.CONFIRMED: frozenset({BookingStatus.COMPLETED, BookingStatus.NO_SHOW}),
    BookingStatus.NO_SHOW: frozenset({BookingStatus.COMPLETED}),
}
ACTIONS = {BookingStatus.COMPLETED: "booking.complete", BookingStatus.NO_SHOW: "booking.no_show"}


def clinic_booking(clinic: Clinic, reference: str) -> Booking:
    """The clinic's booking with this reference; anyone else's is NotFound."""
    if not REFERENCE_RE.match(reference):
        raise NotFound("No such booking.")
    booking = db.session.scalar(
        select(Booking)
        .where(Booking.clinic_id == clinic.id, Booking.reference == reference.upper())
        .options(
            selectinload(Booking.client),
            selectinload(Booking.payments),
            selectinload(Booking.promotion),
        )
    )
    if booking is None:
        raise NotFound("No such booking.")
    return booking


def intake_record(booking: Booking) -> IntakeRecord | None:
    """The booking's health intake, if the client filled one in."""
    return db.session.scalar(select(IntakeRecord).where(IntakeRecord.booking_id == booking.id))


def outcomes(booking: Booking, *, now: datetime) -> list[BookingStatus]:
    """The outcomes the clinic may mark now (none before the visit starts)."""
    if now < booking.starts_at:
        return []
    allowed = TRANSITIONS.get(booking.status, frozenset())
    return [s for s in (BookingStatus.COMPLETED, BookingStatus.NO_SHOW) if s in allowed]


def mark(*, booking: Booking, outcome: BookingStatus, actor: User, now: datetime) -> Booking:
    """Record that the client came (completed) or did not (no-show)."""
    if outcome not in TRANSITIONS.get(booking.status, frozenset()):
        raise Conflict(
            f"A {booking.status.value.replace('_', '-')} booking cannot be marked "
            f"{outcome.value.replace('_', '-')}."
        )
    if now < booking.starts_at:
        raise Conflict("A visit can be marked only once it has started.")
    before = booking.status
    booking.status = outcome
    if outcome is BookingStatus.COMPLETED:
        booking.completed_at = now
    audit.record(actor=actor, action=ACTIONS[outcome], obj=booking, now=now,
                 detail={"from": before.value, "to": outcome.value,
                         "reference": booking.reference})
    return booking
