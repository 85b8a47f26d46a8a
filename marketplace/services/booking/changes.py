"""Changing a booking after it is made: cancel (by the client, the clinic or an
admin) and reschedule, under the policy that was in force when it was booked.

Import these from ``services.booking``; they live here to keep modules small.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...models import Booking, BookingStatus, Party, ScreeningOutcome, User, db
from .. import audit
from ..availability.engine import Interval, Slot, open_slots
from ..availability.schedules import bookable_therapist_ids, load_schedules, rules_for
from ..common.errors import Conflict, NotAllowed
from ..common.rules import BookingRules
from ..intake.records import read_intake, save_intake
from ..intake.screening import service_allowed
from . import gift_cards, notifications
from . import holds as bookings
from . import intake_step as booking_intake
from .refunds import refund_payment

#: A visit can be moved online this many times; after that the clinic decides.
MAX_RESCHEDULES = 3
_FULL_REFUND_PARTIES = (Party.CLINIC, Party.ADMIN, Party.SYSTEM)


@dataclass(frozen=True)
class Cancellation:
    """What a cancellation did with the deposit."""
    booking: Booking
    refund_cents: int  # given back to the client (now, or soon when ``refund_pending``)
    kept_cents: int  # kept by the clinic under its late-cancellation policy
    refund_pending: bool = False  # the provider did not answer; reconcile-payments retries
    gift_card_cents: int = 0  # the gift card part of the deposit, given back to the gift card


class ClientBookings(NamedTuple):
    """A client's bookings, as "My bookings" shows them."""
    upcoming: list[Booking]  # confirmed visits and live holds still to come, soonest first
    past: list[Booking]  # visits that were booked: done, missed or cancelled, newest first
    unfinished: list[Booking]  # times held but never booked (let go, lapsed, screening said no)


def was_booked(booking: Booking) -> bool:
    """True for a real booking (confirmed at some point), not a hold that went nowhere."""
    return booking.confirmed_at is not None or booking.status in (
        BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)


def client_bookings(client: User, *, now: datetime) -> ClientBookings:
    """The client's bookings, with holds that never became bookings kept apart."""
    rows = db.session.scalars(
        select(Booking)
        .where(Booking.client_id == client.id)
        .order_by(Booking.starts_at.desc())
        .limit(200)
    ).all()
    upcoming = [b for b in rows if b.ends_at > now and (
        b.status is BookingStatus.CONFIRMED or bookings.hold_is_live(b, now))]
    ids = {b.id for b in upcoming}
    past = [b for b in rows if b.id not in ids and was_booked(b)]
    ids |= {b.id for b in past}
    unfinished = sorted((b for b in rows if b.id not in ids),
                        key=lambda b: b.created_at or b.starts_at, reverse=True)
    return ClientBookings(sorted(upcoming, key=lambda b: b.starts_at), past, unfinished)


# --- the policy --------------------------------------------------------------------------


def free_cancellation_until(booking: Booking) -> datetime:
    """Until when the client may cancel (or move) the booking with the deposit refunded."""
    return booking.starts_at - timedelta(hours=booking.policy_cancellation_hours)


def refund_due_cents(booking: Booking, *, paid_cents: int) -> int:
    """How much of a paid deposit belongs back to the client, in the booking's current state.

    Money without a booking (a hold that lapsed or was let go, then paid) all
    goes back; so does every cancellation by the clinic or an admin; a client's
    own cancellation only inside the free window.
    """
    if booking.status is BookingStatus.EXPIRED:
        return paid_cents
    if booking.status is not BookingStatus.CANCELLED:
        return 0
    if booking.confirmed_at is None or booking.cancelled_by in _FULL_REFUND_PARTIES:
        return paid_cents
    if booking.cancelled_at is not None and booking.cancelled_at <= free_cancellation_until(
        booking
    ):
        return paid_cents
    return 0


def cancellation_terms(booking: Booking, *, now: datetime) -> tuple[int, int]:
    """(refund, kept) in cents if the client cancelled now: what the page says before they do."""
    payment = bookings.paid_payment(booking)
    paid = payment.amount_cents if payment else 0
    refund = paid if now <= free_cancellation_until(booking) else 0
    return refund, paid - refund


# --- cancel ---------------------------------------------------------------------------------


def cancel(
    booking: Booking,
    *,
    by: Party,
    actor: User | None,
    reason: str,
    now: datetime,
    gateway,
) -> Cancellation:
    """Cancel a booking under the policy it was made with, refunding through the provider. Commits.

    A cancellation by the clinic or an admin always refunds the whole deposit;
    a client's inside the free window too, later the deposit is kept. The
    cancellation is committed before the refund is asked for: if the provider
    does not answer, the refund is owed (``refund_pending``) and
    ``reconcile-payments`` sends it; a refund can never outlive a cancellation
    that was rolled back.
    """
    db.session.refresh(booking, with_for_update=True)
    if booking.status is BookingStatus.HELD:
        gift_cards.release_hold(booking, actor=actor, now=now)
        booking.cancelled_by = by
        db.session.commit()
        return Cancellation(booking, 0, 0)
    _check_cancellable(booking, by=by, actor=actor, now=now)
    payment = bookings.paid_payment(booking)
    paid = payment.amount_cents if payment else 0
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at, booking.cancelled_by = now, by
    booking.cancel_reason = (reason or "").strip()[:500] or None
    if booking.promotion is not None:  # a cancelled visit gives its code's use back
        booking.promotion.redemptions_count = max(0, booking.promotion.redemptions_count - 1)
    refund = refund_due_cents(booking, paid_cents=paid)
    # The gift card part follows the same rule as the card's: back to the gift card.
    gift = refund_due_cents(booking, paid_cents=booking.gift_card_cents)
    gift_returned = gift_cards.give_back(booking, amount=gift, now=now) if gift else 0
    _record_cancel(booking, actor=actor, by=by, refund=refund, kept=paid - refund, now=now,
                   gift_returned=gift_returned)
    db.session.commit()
    pending = False
    if refund and payment is not None:
        pending = not refund_payment(payment, amount=refund, gateway=gateway, now=now)
        db.session.commit()
    return Cancellation(booking, refund, paid - refund, pending, gift_returned)


def _check_cancellable(booking: Booking, *, by: Party, actor: User | None, now: datetime) -> None:
    if booking.status is not BookingStatus.CONFIRMED:
        raise Conflict(f"This booking is {booking.status.value.replace('_', ' ')}; "
                       "it cannot be cancelled.")
    if by is Party.CLIENT:
        if actor is None or actor.id != booking.client_id:
            raise NotAllowed("Only the client who booked can cancel as the client.")
        if booking.starts_at <= now:
            raise Conflict("This visit has already started; please contact the clinic.")


def _record_cancel(booking: Booking, *, actor, by: Party, refund: int, kept: int, now,
                   gift_returned: int = 0) -> None:
    audit.record(actor=actor, action="booking.cancel", obj=booking, now=now,
                 detail={"by": by.value, "refund_cents": refund, "kept_cents": kept,
                         "gift_card_returned_cents": gift_returned,
                         "reason": booking.cancel_reason or ""})
    notifications.booking_cancelled(booking, refund_cents=refund, kept_cents=kept)


# --- reschedule ------------------------------------------------------------------------------


def check_reschedulable(booking: Booking, *, actor: User, now: datetime) -> None:
    """Raise unless the client may move this booking online now."""
    if booking.status is not BookingStatus.CONFIRMED:
        raise Conflict("Only a confirmed booking can be moved.")
    if actor.id != booking.client_id:
        raise NotAllowed("Only the client who booked can move it.")
    if now > free_cancellation_until(booking):
        raise Conflict(
            f"Within {booking.policy_cancellation_hours} hours of the visit it can no longer "
            f"be moved online. Please call {booking.clinic.name}"
            + (f" at {booking.clinic.phone}." if booking.clinic.phone else ".")
        )
    if booking.reschedule_count >= MAX_RESCHEDULES:
        raise Conflict(f"This booking was already moved {MAX_RESCHEDULES} times; "
                       "please contact the clinic to change it again.")


def reschedule_slots(
    booking: Booking, *, start: datetime, end: datetime, therapist_id: int | None, now,
    rules: BookingRules,
) -> list[Slot]:
    """Open slots for moving ``booking``: its own current time counts as free."""
    service = booking.service
    window = Interval(start, end)
    schedules = load_schedules(bookable_therapist_ids(service, therapist_id), window=window,
                               now=now)
    own = Interval(booking.blocked_from, booking.blocked_until)
    for schedule in schedules:
        if schedule.therapist_id == booking.therapist_id:
            schedule.busy = [i for i in schedule.busy if i != own]
    return open_slots(schedules, rules_for(service, rules), window=window, now=now)


def reschedule(
    booking: Booking,
    *,
    starts_at: datetime,
    therapist_id: int | None,
    actor: User,
    now: datetime,
    rules: BookingRules,
    keyring=None,
) -> Booking:
    """Move a confirmed booking to another open slot, keeping its deposit and price.

    The same row moves (reference, payment and intake stay with it); the
    database refuses the move if the new time overlaps someone else's. With the
    intake ``keyring``, the client's answers are screened again for the new
    date (a recent operation or chemotherapy is judged against the visit day).
    """
    check_reschedulable(booking, actor=actor, now=now)
    bookings.check_bookable(booking.clinic, booking.service)
    if keyring is not None:
        _rescreen(booking, starts_at=starts_at, keyring=keyring, now=now)
    candidates = [
        s for s in reschedule_slots(booking, start=starts_at,
                                    end=starts_at + timedelta(minutes=1),
                                    therapist_id=therapist_id, now=now, rules=rules)
        if s.starts_at == starts_at
    ]
    if candidates:
        bookings.expire_lapsed_holds(now=now, therapist_ids=[s.therapist_id for s in candidates])
    previous = booking.starts_at
    for slot in candidates:
        if _move(booking, slot):
            booking.reschedule_count += 1
            _record_move(booking, actor=actor, previous=previous, now=now)
            return booking
    raise bookings.SlotTaken(
        "Sorry, that time was just taken or is no longer open. Here are other open times."
    )


def _rescreen(booking: Booking, *, starts_at: datetime, keyring, now: datetime) -> None:
    """Refuse a new date the health answers rule out; record the outcome for the new date."""
    record = booking_intake.intake_of(booking)
    if record is None:
        return
    answers, _ = read_intake(record, viewer=booking.client, keyring=keyring, now=now)
    day = starts_at.astimezone(booking_intake.zone(booking.timezone)).date()
    screening = booking_intake.screen(answers, visit_date=day)
    allowed = service_allowed(screening, booking.service.modality.intensity)
    unconfirmed = screening.needs_clearance and not booking.clearance_confirmed
    if screening.outcome is ScreeningOutcome.NOT_NOW or not allowed or unconfirmed:
        why = " ".join(screening.reasons) or screening.summary
        raise Conflict(f"Your health answers rule out {day:%B} {day.day} for this treatment: "
                       f"{why} Choose a later date, or call the clinic.")
    save_intake(client=booking.client, clinic=booking.clinic, booking=booking, answers=answers,
                screening=screening, clearance_confirmed=booking.clearance_confirmed,
                keyring=keyring, now=now)


def _move(booking: Booking, slot: Slot) -> bool:
    service = booking.service
    try:
        with db.session.begin_nested():
            booking.therapist_id = slot.therapist_id
            booking.location_id = slot.location_id
            booking.starts_at, booking.ends_at = slot.starts_at, slot.ends_at
            booking.blocked_from = slot.starts_at - timedelta(minutes=service.buffer_before_min)
            booking.blocked_until = slot.ends_at + timedelta(minutes=service.buffer_after_min)
            booking.timezone = slot.timezone
            booking.reminder_sent_at = None
            db.session.flush()
    except IntegrityError as exc:
        if not bookings.is_overlap(exc):
            raise
        db.session.refresh(booking)
        return False
    db.session.expire(booking, ["therapist", "location"])
    return True


def _record_move(booking: Booking, *, actor: User, previous: datetime, now: datetime) -> None:
    audit.record(actor=actor, action="booking.reschedule", obj=booking, now=now,
                 detail={"from": previous.isoformat(), "to": booking.starts_at.isoformat()})
    notifications.booking_rescheduled(booking, previous_starts_at=previous)
