"""Between a hold and a confirmed booking: promotion codes, whether the booking is
ready to pay (health screening), the client's next step, and confirmation itself.

Import these from ``services.booking``; they live here to keep modules small.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from ...models import (
    Booking,
    BookingStatus,
    Intensity,
    Party,
    Payment,
    PaymentStatus,
    ScreeningOutcome,
    db,
)
from .. import audit
from ..common.errors import Conflict, DomainError
from ..common.local_time import zone
from . import notifications, pricing
from .holds import HoldLapsed, hold_is_live, is_overlap, open_payment, require_live_hold

#: Every booking needs its health intake answered before it can be paid for.
INTAKE_REQUIRED = True


class NotReady(DomainError):
    """The booking lacks something it needs before it can be confirmed."""


@dataclass(frozen=True)
class _Policy:
    """The deposit policy a booking was made under, shaped like a clinic for ``pricing``."""

    deposit_kind: object
    deposit_value: int


def next_step(booking: Booking, now: datetime) -> str:
    """Where the client is in the flow: sign_in, intake, pay, confirm (no deposit),
    processing, expired, stopped (screening said not now), refused (the screening
    allows only gentler services), released or confirmed."""
    if booking.status in (BookingStatus.CONFIRMED, BookingStatus.COMPLETED,
                          BookingStatus.NO_SHOW):
        return "confirmed"
    if booking.status is BookingStatus.CANCELLED:
        if booking.cancelled_by is Party.SYSTEM and booking.screening_outcome is not None:
            stopped = booking.screening_outcome is ScreeningOutcome.NOT_NOW
            return "stopped" if stopped else "refused"
        return "released"
    if not hold_is_live(booking, now):
        payment = open_payment(booking)
        return "processing" if payment is not None and payment.intent_id else "expired"
    if booking.client_id is None:
        return "sign_in"
    if booking.screening_outcome is ScreeningOutcome.NOT_NOW:
        return "stopped"
    if (INTAKE_REQUIRED and booking.screening_outcome is None) or (
        booking.screening_outcome is ScreeningOutcome.CLEARANCE and not booking.clearance_confirmed
    ):
        return "intake"
    return "pay" if booking.deposit_cents > 0 else "confirm"


# --- promotions ------------------------------------------------------------------------------


def apply_promotion(booking: Booking, *, code: str, now: datetime) -> Booking:
    """Apply a promotion code to a held booking and re-price it; ``PromotionRefused`` if not."""
    _check_repriceable(booking, now)
    today = now.astimezone(zone(booking.timezone)).date()
    promotion = pricing.find_promotion(
        booking.clinic, booking.service, code, today=today, client_id=booking.client_id,
        exclude_booking_id=booking.id,
    )
    _reprice(booking, promotion)
    return booking


def remove_promotion(booking: Booking, *, now: datetime) -> Booking:
    """Take the promotion off a held booking."""
    _check_repriceable(booking, now)
    _reprice(booking, None)
    return booking


def _check_repriceable(booking: Booking, now: datetime) -> None:
    require_live_hold(booking, now)
    if open_payment(booking) is not None:
        raise Conflict("A payment is in progress; the price cannot change now.")
    if booking.series_purchase_id is not None:
        raise Conflict("A session of your series pays for this visit; promotion codes do not "
                       "apply to it.")
    if booking.gift_card_cents > 0:
        raise Conflict("A gift card pays part of this deposit; remove it before changing "
                       "the promotion code.")


def _reprice(booking: Booking, promotion) -> None:
    policy = _Policy(booking.policy_deposit_kind, booking.policy_deposit_value)
    discount = pricing.discount_for(promotion, booking.price_cents) if promotion else 0
    booking.discount_cents = discount
    booking.promotion_id = promotion.id if promotion else None
    booking.promotion = promotion
    booking.deposit_cents = pricing.deposit_for(policy, booking.price_cents - discount)


# --- confirmation ----------------------------------------------------------------------------


def confirm(booking: Booking, *, payment: Payment | None, now: datetime) -> bool:
    """Make a held booking (or a lapsed one whose slot is still free) confirmed.

    The only way into ``confirmed``: a deposit needs its succeeded payment of
    exactly that amount; a zero deposit needs none. Returns False when the slot
    was given away meanwhile (the database refuses the overlap): the caller refunds.
    """
    _check_confirmable(booking, payment)
    if booking.status is BookingStatus.CONFIRMED:
        return True
    if booking.status not in (BookingStatus.HELD, BookingStatus.EXPIRED):
        return False
    try:
        with db.session.begin_nested():
            booking.status = BookingStatus.CONFIRMED
            booking.confirmed_at = now
            booking.hold_expires_at = None
            db.session.flush()
    except IntegrityError as exc:
        if not is_overlap(exc):
            raise
        db.session.refresh(booking)
        return False
    _after_confirm(booking, now)
    return True


def _check_confirmable(booking: Booking, payment: Payment | None) -> None:
    if booking.client_id is None:
        raise NotReady("Sign in before confirming the booking.")
    if booking.card_deposit_cents > 0:  # what a gift card did not pay is paid by card
        if payment is None or payment.status is not PaymentStatus.SUCCEEDED or (
            payment.booking_id != booking.id
        ):
            raise NotReady("The deposit has not been paid.")
        if payment.amount_cents != booking.card_deposit_cents:
            raise NotReady("The payment does not match the deposit.")


def _after_confirm(booking: Booking, now: datetime) -> None:
    if booking.promotion_id:
        booking.promotion.redemptions_count += 1
    audit.record(actor=booking.client, action="booking.confirm", obj=booking, now=now,
                 detail={"deposit_cents": booking.deposit_cents})
    notifications.booking_confirmed(booking)


def require_ready_to_pay(booking: Booking) -> None:
    """Raise ``NotReady`` unless the health screening lets this booking go ahead."""
    outcome = booking.screening_outcome
    if outcome is None:
        if INTAKE_REQUIRED:
            raise NotReady("Please answer the health questions first.")
        return
    if outcome is ScreeningOutcome.NOT_NOW:
        raise NotReady("Your health answers mean this treatment should wait; it cannot be booked.")
    if outcome is ScreeningOutcome.CLEARANCE and not booking.clearance_confirmed:
        raise NotReady("Please confirm that your doctor has cleared you for massage.")
    if outcome is ScreeningOutcome.GENTLE_ONLY and (
        booking.service.modality.intensity is not Intensity.GENTLE
    ):
        raise NotReady("Your health answers allow gentle techniques only.")


def confirm_without_deposit(booking: Booking, *, now: datetime) -> None:
    """Confirm a live hold whose policy asks for no deposit."""
    require_live_hold(booking, now)
    require_ready_to_pay(booking)
    if booking.deposit_cents != 0:
        raise NotReady("This booking needs its deposit paid first.")
    if not confirm(booking, payment=None, now=now):
        raise HoldLapsed("Your hold on this time ran out, so the slot was released.")
