"""A clinic's side of one booking: find it (with its money and health intake), and
mark how the visit went.

Allowed outcomes (``TRANSITIONS``): a confirmed visit becomes completed or a
no-show once it has started; a no-show may be corrected to completed (the
client came late). A completed visit stays completed: the client may have
reviewed it. Every mark is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...models import Booking, BookingStatus, Clinic, IntakeRecord, Party, User, db
from .. import audit
from .. import booking as booking_service
from ..availability.schedules import busy_filter
from ..common.errors import Conflict, NotAllowed, NotFound
from ..intake import records as intake
from ..intake.access import DEFAULT_ACCESS_DAYS, ClinicAccess, clinic_access
from ..intake.screening import IntakeAnswers, Screening
from .money import booking_money

TRANSITIONS: dict[BookingStatus, frozenset[BookingStatus]] = {
    BookingStatus.CONFIRMED: frozenset({BookingStatus.COMPLETED, BookingStatus.NO_SHOW}),
    BookingStatus.NO_SHOW: frozenset({BookingStatus.COMPLETED}),
}
ACTIONS = {BookingStatus.COMPLETED: "booking.complete", BookingStatus.NO_SHOW: "booking.no_show"}
CANCELLABLE = (BookingStatus.HELD, BookingStatus.CONFIRMED)


def clinic_booking(clinic: Clinic, reference: str) -> Booking:
    """The clinic's booking with this reference; anyone else's is NotFound."""
    if not booking_service.is_reference(reference):
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


def coming_up(clinic: Clinic, *, now: datetime, limit: int = 8) -> list[Booking]:
    """The next held or confirmed visits, soonest first."""
    return list(db.session.scalars(
        select(Booking)
        .where(Booking.clinic_id == clinic.id, busy_filter(now), Booking.starts_at >= now)
        .options(selectinload(Booking.client), selectinload(Booking.service))
        .order_by(Booking.starts_at).limit(limit)
    ))


def to_mark(clinic: Clinic, *, now: datetime, limit: int = 20) -> list[Booking]:
    """Confirmed visits that have started: waiting to be marked completed or no-show."""
    return list(db.session.scalars(
        select(Booking)
        .where(Booking.clinic_id == clinic.id, Booking.status == BookingStatus.CONFIRMED,
               Booking.starts_at <= now)
        .options(selectinload(Booking.client), selectinload(Booking.service))
        .order_by(Booking.starts_at).limit(limit)
    ))


def intake_record(booking: Booking) -> IntakeRecord | None:
    """The booking's health intake, if the client filled one in."""
    return db.session.scalar(select(IntakeRecord).where(IntakeRecord.booking_id == booking.id))


@dataclass(frozen=True)
class BookingDetail:
    booking: Booking
    now: datetime
    outcomes: list[BookingStatus]
    paid: int
    refunded: int
    record: IntakeRecord | None = None
    answers: IntakeAnswers | None = None
    screening: Screening | None = None
    intake_problem: str | None = None
    access: ClinicAccess | None = None  # the client's consent: whether the clinic may read

    @property
    def can_cancel(self) -> bool:
        """The clinic may cancel a held or confirmed booking until its visit ends."""
        return self.booking.status in CANCELLABLE and self.now < self.booking.ends_at

    @property
    def refundable(self) -> int:
        return self.paid - self.refunded


def detail(
    booking: Booking,
    *,
    viewer: User,
    now: datetime,
    keyring: intake.KeyRing | None = None,
    ip_address: str | None = None,
    access_days: int = DEFAULT_ACCESS_DAYS,
) -> BookingDetail:
    """What the booking page shows. With a key ring, the intake is decrypted for
    the viewer (a member of the treating clinic, while the client's consent lets it
    read: see ``intake.access``; each read is audited)."""
    paid, refunded = booking_money(booking)
    found = BookingDetail(booking, now, outcomes(booking, now=now), paid, refunded)
    record = intake_record(booking) if keyring is not None else None
    if record is None:
        return found
    access = clinic_access(record, now=now, access_days=access_days)
    if not access.shared:
        return BookingDetail(booking, now, found.outcomes, paid, refunded, record,
                             intake_problem=access.message, access=access)
    try:
        answers, screening = intake.read_intake(record, viewer=viewer, keyring=keyring, now=now,
                                                ip_address=ip_address, access_days=access_days)
    except NotAllowed:
        problem = "Only the clinic's own team can read the client's answers."
    except intake.IntakeUnreadable:
        problem = "The answers cannot be decrypted with the keys this site has."
    else:
        return BookingDetail(booking, now, found.outcomes, paid, refunded, record, answers,
                             screening, access=access)
    return BookingDetail(booking, now, found.outcomes, paid, refunded, record,
                         intake_problem=problem, access=access)


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


def cancel_by_clinic(
    *, booking: Booking, actor: User, reason: str, now: datetime, gateway
) -> booking_service.Cancellation:
    """Cancel on the clinic's side before the visit ends: the whole deposit goes back.

    The booking service records, commits, refunds through the provider (or owes
    the refund for ``reconcile-payments`` when the provider does not answer) and
    tells the client and the clinic.
    """
    if booking.status in CANCELLABLE and now >= booking.ends_at:
        raise Conflict("This visit is over: mark it completed or a no-show instead.")
    return booking_service.cancel(booking, by=Party.CLINIC, actor=actor, reason=reason,
                                  now=now, gateway=gateway)
