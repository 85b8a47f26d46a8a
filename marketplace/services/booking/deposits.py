"""Deposits: charging them, and settling whatever the provider says about them.

One ``payments`` row per attempt, written and committed *before* the provider
is called, with our own idempotency key (localstripe ignores the provider's;
real Stripe forgets them after a day). The intent is created first and
confirmed in a second call, so its id is on our row before any money can
move: an answer lost to a timeout is recovered by asking for that intent
again, never by charging again.

``settle`` applies a provider state to our rows (from the browser's request,
a webhook or ``reconcile-payments``) and is safe to repeat: statuses only move
forward, and what a success leads to (confirm the booking, or refund when its
slot is gone) happens once, on the move into ``succeeded``.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ...models import Booking, BookingStatus, Payment, PaymentStatus, db
from .. import audit
from ..common.errors import Conflict
from ..payments import (
    PLAIN_ERRORS,
    IntentState,
    PaymentGateway,
    PaymentRefused,
    PaymentUnavailable,
)
from . import checkout, gift_cards, notifications
from . import holds as bookings
from .refunds import refund_payment

log = logging.getLogger(__name__)

#: A hold being paid for is kept at least this long after the payment starts...
PAYMENT_GRACE = timedelta(minutes=3)
#: ...but never longer than this after it was placed (no endless holds by retrying).
MAX_HOLD = timedelta(minutes=30)
#: An attempt without an intent yet is another request's, still talking to the provider.
IN_FLIGHT = timedelta(seconds=60)
_IN_FLIGHT = "Your payment is already being sent; this page updates when it is done."

_STATUS = {
    "succeeded": PaymentStatus.SUCCEEDED,
    "processing": PaymentStatus.PROCESSING,
    "requires_action": PaymentStatus.REQUIRES_ACTION,
    "requires_payment_method": PaymentStatus.FAILED,
    "canceled": PaymentStatus.CANCELED,
}
# Where each status may move next; everything else is a stale or repeated report.
_FORWARD = {
    PaymentStatus.CREATED: set(PaymentStatus) - {PaymentStatus.CREATED},
    PaymentStatus.PROCESSING: set(PaymentStatus) - {PaymentStatus.CREATED},
    PaymentStatus.REQUIRES_ACTION: set(PaymentStatus) - {PaymentStatus.CREATED},
    PaymentStatus.FAILED: {PaymentStatus.SUCCEEDED, PaymentStatus.CANCELED},
    PaymentStatus.CANCELED: set(),
    PaymentStatus.SUCCEEDED: {PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED},
    PaymentStatus.PARTIALLY_REFUNDED: {PaymentStatus.REFUNDED},
    PaymentStatus.REFUNDED: set(),
}


class Outcome(enum.StrEnum):
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    REQUIRES_ACTION = "requires_action"
    PROCESSING = "processing"
    UNAVAILABLE = "unavailable"
    SLOT_GONE = "slot_gone"  # paid, but the slot was lost meanwhile: refunded


@dataclass(frozen=True)
class PaymentResult:
    outcome: Outcome
    payment: Payment | None = None
    message: str = ""
    client_secret: str | None = None


# --- paying ------------------------------------------------------------------------------


def pay_deposit(
    booking: Booking, *, payment_method: str, gateway: PaymentGateway, now: datetime
) -> PaymentResult:
    """Charge a live hold's deposit with a server-confirmed PaymentIntent. Commits.

    A retry resumes the open attempt (same intent, so never a second charge);
    a new attempt starts only when the last one definitely cannot charge.
    The booking row is locked while deciding, so a double click waits for the
    first click's attempt and then finds it.
    """
    db.session.refresh(booking, with_for_update=True)
    _check_payable(booking, now)
    payment = bookings.open_payment(booking)
    try:
        if payment is not None:
            resumed = _resume(payment, payment_method, gateway=gateway, now=now)
            if isinstance(resumed, PaymentResult):
                return resumed
            if resumed is not None:
                return _finish(payment, resumed, gateway=gateway, now=now)
        payment = _new_attempt(booking, now)
        state = _create(payment, booking, payment_method, gateway=gateway)
        if isinstance(state, PaymentResult):
            return state
        state = gateway.confirm_intent(state.id, idempotency_key=f"{payment.idempotency_key}:c")
    except PaymentUnavailable as exc:
        db.session.commit()
        return PaymentResult(Outcome.UNAVAILABLE, payment, str(exc))
    except PaymentRefused as exc:  # e.g. confirmed meanwhile by another request: ask how it is
        db.session.rollback()
        return refresh_payment(booking, gateway=gateway, now=now) or PaymentResult(
            Outcome.DECLINED, payment, str(exc))
    return _finish(payment, state, gateway=gateway, now=now)


def _create(payment: Payment, booking: Booking, payment_method: str, *, gateway):
    """Create the intent and keep its id; a failure closes the attempt (it was never
    confirmed, so it cannot charge) and is the answer."""
    try:
        state = gateway.create_intent(
            amount=payment.amount_cents, payment_method=payment_method,
            metadata={"booking": booking.reference, "payment_id": str(payment.id)},
            idempotency_key=payment.idempotency_key,
        )
    except (PaymentUnavailable, PaymentRefused) as exc:
        unavailable = isinstance(exc, PaymentUnavailable)
        _close(payment, PaymentStatus.CANCELED if unavailable else PaymentStatus.FAILED,
               None if unavailable else "refused", str(exc))
        db.session.commit()
        return PaymentResult(Outcome.UNAVAILABLE if unavailable else Outcome.DECLINED,
                             payment, str(exc))
    payment.intent_id, payment.status = state.id, PaymentStatus.PROCESSING
    db.session.commit()
    return state


def refresh_payment(
    booking: Booking, *, gateway: PaymentGateway, now: datetime
) -> PaymentResult | None:
    """Ask the provider how the open attempt stands (after 3-D Secure, or while polling)."""
    payment = bookings.open_payment(booking)
    if payment is None or payment.intent_id is None:
        return None
    try:
        state = gateway.retrieve_intent(payment.intent_id)
    except (PaymentUnavailable, PaymentRefused) as exc:
        return PaymentResult(Outcome.UNAVAILABLE, payment, str(exc))
    return _finish(payment, state, gateway=gateway, now=now)


#: Provider states in which an intent waits for the client and has not charged.
UNFINISHED = ("requires_confirmation", "requires_action", "requires_payment_method")
#: The failure code of an attempt cancelled because its hold ran out first.
HOLD_LAPSED = "hold_lapsed"
_LAPSED = ("Your bank’s check was not answered before your hold ran out, so the payment "
           "was cancelled. Nothing was charged.")


def end_lapsed_attempt(
    booking: Booking, *, gateway: PaymentGateway, now: datetime
) -> PaymentResult | None:
    """The hold ran out while its payment waited for the client (the bank's 3-D Secure
    check left unanswered): cancel the intent at the provider so it can never charge,
    and let the hold go. Commits. None when the hold is live or no attempt is open.

    An attempt that succeeded or is processing at the provider is left alone here (None):
    it is settled as every paid attempt is, by the page and ``reconcile-payments``, which
    confirm the booking if the time is still free and refund it otherwise. Raises
    ``PaymentUnavailable`` when the provider cannot be asked: nothing changes then.
    """
    if booking.status not in (BookingStatus.HELD, BookingStatus.EXPIRED) or \
            bookings.hold_is_live(booking, now):
        return None
    payment = bookings.open_payment(booking)
    if payment is None:
        return None
    if payment.intent_id is None:  # never reached the provider, so it cannot charge
        if payment.created_at > now - IN_FLIGHT:
            return None
        _close(payment, PaymentStatus.CANCELED, None, "Abandoned before it reached the provider.")
        db.session.commit()
        return None
    state = gateway.retrieve_intent(payment.intent_id)
    if state.status not in UNFINISHED:
        return None  # charged or charging: settled as any paid attempt is (reconcile, page)
    state = gateway.cancel_intent(payment.intent_id)
    result = settle(payment, state, gateway=gateway, now=now)
    if payment.status is PaymentStatus.CANCELED:
        _close(payment, PaymentStatus.CANCELED, HOLD_LAPSED, _LAPSED)
        result = PaymentResult(Outcome.DECLINED, payment, _LAPSED)
    if booking.status is BookingStatus.HELD and not bookings.hold_is_live(booking, now):
        booking.status = BookingStatus.EXPIRED
    audit.record(actor=None, action="payment.lapsed_hold", obj=booking, now=now,
                 detail={"payment_id": payment.id, "status": payment.status.value})
    db.session.commit()
    return result


def lapsed_attempt(booking: Booking) -> Payment | None:
    """The attempt cancelled because the hold ran out during the bank's check, if any."""
    return db.session.scalar(
        select(Payment).where(Payment.booking_id == booking.id,
                              Payment.failure_code == HOLD_LAPSED).limit(1))


def answer_bank_check(
    booking: Booking, *, approve: bool, gateway: PaymentGateway, now: datetime
) -> PaymentResult | None:
    """Offline only: the client plays their bank in the 3-D Secure check that the open
    attempt waits for, then the attempt is settled as after the real check. None when
    no attempt is waiting for one (it was settled meanwhile): ask ``refresh_payment``."""
    payment = bookings.open_payment(booking)
    if payment is None or payment.intent_id is None:
        return None
    try:
        if not bookings.hold_is_live(booking, now):  # too late: the check is called off
            return end_lapsed_attempt(booking, gateway=gateway, now=now)
        state = gateway.retrieve_intent(payment.intent_id)
        if state.status == "requires_action":
            state = gateway.answer_bank_check(state.id, client_secret=state.client_secret or "",
                                              approve=approve)
    except (PaymentUnavailable, PaymentRefused) as exc:
        return PaymentResult(Outcome.UNAVAILABLE, payment, str(exc))
    return _finish(payment, state, gateway=gateway, now=now)


def _finish(payment, state, *, gateway, now) -> PaymentResult:
    result = settle(payment, state, gateway=gateway, now=now)
    db.session.commit()
    return result


def _check_payable(booking: Booking, now: datetime) -> None:
    if booking.client_id is None:
        raise checkout.NotReady("Sign in before paying the deposit.")
    bookings.require_live_hold(booking, now)
    if booking.card_deposit_cents <= 0:
        raise Conflict("This booking needs no card payment.")
    checkout.require_ready_to_pay(booking)
    latest = min(now + PAYMENT_GRACE, booking.created_at + MAX_HOLD)
    if booking.hold_expires_at < latest:
        booking.hold_expires_at = latest


def _new_attempt(booking: Booking, now: datetime) -> Payment:
    attempt = 1 + db.session.scalar(
        select(func.count(Payment.id)).where(Payment.booking_id == booking.id)
    )
    payment = Payment(
        booking=booking, idempotency_key=f"deposit-{booking.reference}-{attempt}",
        amount_cents=booking.card_deposit_cents, currency=booking.currency,
        status=PaymentStatus.CREATED, created_at=now,
    )
    db.session.add(payment)
    db.session.commit()  # our record of the attempt exists before the provider hears of it
    return payment


def _resume(payment: Payment, payment_method: str, *, gateway,
            now: datetime) -> IntentState | PaymentResult | None:
    """The open attempt's current state; a result when another request is still making
    it; None when it is dead and a new attempt should start."""
    if payment.intent_id is None:  # never confirmed, so it cannot have charged
        if payment.created_at > now - IN_FLIGHT:
            return PaymentResult(Outcome.PROCESSING, payment, _IN_FLIGHT)
        _close(payment, PaymentStatus.CANCELED, None, "Abandoned before it reached the provider.")
        return None
    state = gateway.retrieve_intent(payment.intent_id)
    if state.status in ("succeeded", "processing"):
        return state
    same_card = state.payment_method == payment_method
    if state.status in ("requires_confirmation", "requires_action") and same_card:
        if state.status == "requires_action":
            return state
        return gateway.confirm_intent(state.id, idempotency_key=f"{payment.idempotency_key}:c")
    if state.status in ("requires_confirmation", "requires_action"):
        state = gateway.cancel_intent(state.id)  # another card now: this intent must never charge
    settle(payment, state, gateway=gateway, now=now)
    db.session.commit()
    return None


def _close(payment: Payment, status: PaymentStatus, code: str | None, message: str) -> None:
    payment.status = status
    payment.failure_code = code
    payment.failure_message = message[:500]


# --- settling what the provider says ----------------------------------------------------------


def settle(
    payment: Payment, state: IntentState, *, gateway: PaymentGateway, now: datetime
) -> PaymentResult:
    """Apply the provider's state of this payment's intent. Does not commit; safe to repeat."""
    booking = payment.booking
    db.session.flush()
    db.session.refresh(booking, with_for_update=True)  # booking, then payment: one lock order
    db.session.refresh(payment, with_for_update=True)
    new = _STATUS.get(state.status)
    moved = new is not None and new in _FORWARD[payment.status]
    if moved:
        payment.status = new
        if new is PaymentStatus.SUCCEEDED:
            payment.succeeded_at = now
        elif new in (PaymentStatus.FAILED, PaymentStatus.CANCELED):
            message = PLAIN_ERRORS.get(state.error_code or "") or state.error_message
            _close(payment, new, state.error_code, message or _DECLINED)
            if gift_cards.after_failed_payment(booking, now=now):
                payment.failure_message = (payment.failure_message + _GIFT_BACK)[:500]
    if payment.status is PaymentStatus.SUCCEEDED and (
        moved or booking.status in (BookingStatus.HELD, BookingStatus.EXPIRED)
    ):
        return _after_success(payment, gateway=gateway, now=now)
    return _result_for(payment, state, booking)


_DECLINED = "The card was declined."
_GIFT_BACK = (" The gift card amount went back to your gift card; enter its code again to "
              "use it.")


def _result_for(payment: Payment, state: IntentState, booking: Booking) -> PaymentResult:
    if booking.status is BookingStatus.CONFIRMED and payment.status is PaymentStatus.SUCCEEDED:
        return PaymentResult(Outcome.CONFIRMED, payment)
    if payment.status is PaymentStatus.REQUIRES_ACTION:
        return PaymentResult(Outcome.REQUIRES_ACTION, payment, client_secret=state.client_secret)
    if payment.status in (PaymentStatus.FAILED, PaymentStatus.CANCELED):
        return PaymentResult(Outcome.DECLINED, payment, payment.failure_message or _DECLINED)
    return PaymentResult(Outcome.PROCESSING, payment)


def _after_success(payment: Payment, *, gateway, now) -> PaymentResult:
    """Money arrived: confirm its booking, or give the money back if there is nothing to confirm."""
    booking = payment.booking
    if _other_paid(payment):  # a second charge for one booking: the later one goes back
        refund_payment(payment, amount=payment.amount_cents, gateway=gateway, now=now)
        audit.record(actor=None, action="payment.duplicate_refund", obj=booking, now=now,
                     detail={"payment_id": payment.id})
        return _result_for(payment, IntentState(payment.intent_id or "", "succeeded", 0), booking)
    if booking.status in (BookingStatus.HELD, BookingStatus.EXPIRED):
        try:
            if checkout.confirm(booking, payment=payment, now=now):
                return PaymentResult(Outcome.CONFIRMED, payment)
        except checkout.NotReady as exc:
            log.warning("paid booking %s cannot be confirmed: %s", booking.reference, exc)
        return _refund_slot_gone(booking, payment, gateway=gateway, now=now)
    if booking.status is BookingStatus.CONFIRMED:
        return PaymentResult(Outcome.CONFIRMED, payment)
    # Cancelled (a hold released mid-payment, say): the money has no booking to pay for.
    refund_payment(payment, amount=payment.amount_cents, gateway=gateway, now=now)
    return PaymentResult(Outcome.SLOT_GONE, payment, _GONE)


def _other_paid(payment: Payment) -> bool:
    return db.session.scalar(
        select(func.count(Payment.id)).where(
            Payment.booking_id == payment.booking_id, Payment.id != payment.id,
            Payment.status.in_(bookings.PAID),
        )
    ) > 0


_GONE = ("Your payment went through, but your hold had run out and the time was taken by "
         "someone else. We refunded the whole deposit; it can take 5-10 days to show.")


def _refund_slot_gone(booking, payment, *, gateway, now) -> PaymentResult:
    if booking.status is BookingStatus.HELD:
        booking.status = BookingStatus.EXPIRED
    refund_payment(payment, amount=payment.amount_cents, gateway=gateway, now=now)
    audit.record(actor=None, action="booking.slot_gone_refund", obj=booking, now=now,
                 detail={"payment_id": payment.id, "amount_cents": payment.amount_cents})
    notifications.slot_gone_refunded(booking, amount_cents=payment.amount_cents)
    return PaymentResult(Outcome.SLOT_GONE, payment, _GONE)
