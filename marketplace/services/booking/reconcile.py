"""``flask --app wsgi reconcile-payments``: settle whatever is left between states.

Safe to run at any time and as often as you like (cron: every few minutes):

1. lapsed holds are marked expired;
2. payment attempts still open after a few minutes are asked about at the
   provider and settled; dead ones are cancelled there so they can never charge;
3. a succeeded payment whose booking is not confirmed confirms it, or is
   refunded when its slot is gone;
4. refunds owed (a cancellation while the provider was down, money for a
   booking that no longer exists, a second charge) are made;
5. what cannot be repaired automatically is reported: a confirmed booking
   without its deposit should never exist.

Each item is committed on its own, so one provider failure stops nothing else.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, select

from ...models import Booking, BookingStatus, Payment, PaymentStatus, db
from ..giftcards import reconcile as giftcard_reconcile
from ..payments import IntentState, PaymentGateway, PaymentRefused, PaymentUnavailable
from . import deposits, gift_cards, notifications
from . import holds as bookings
from .changes import refund_due_cents
from .refunds import refund_payment

log = logging.getLogger(__name__)

#: An attempt younger than this may still be in a browser's hands.
STALE_AFTER = timedelta(minutes=5)
#: Refunds owed are looked for among bookings changed in this period.
LOOKBACK = timedelta(days=120)


@dataclass
class ReconcileReport:
    expired_holds: int = 0
    settled: int = 0
    confirmed: int = 0
    refunded: int = 0
    cancelled_intents: int = 0
    unreachable: int = 0
    gift_cards_settled: int = 0
    gift_card_returns: int = 0
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as lines for the command's output."""
        return [
            f"Holds expired: {self.expired_holds}",
            f"Payments settled with the provider: {self.settled}",
            f"Bookings confirmed from a payment: {self.confirmed}",
            f"Refunds made: {self.refunded}",
            f"Unfinished intents cancelled at the provider: {self.cancelled_intents}",
            f"Provider unreachable for: {self.unreachable}",
            f"Gift card purchases settled: {self.gift_cards_settled}",
            f"Gift card parts of ended holds given back: {self.gift_card_returns}",
            *[f"PROBLEM: {p}" for p in self.problems],
        ]


def reconcile_payments(*, gateway: PaymentGateway, now: datetime) -> ReconcileReport:
    """Run every repair once; returns what was done."""
    report = ReconcileReport()
    report.expired_holds = bookings.expire_lapsed_holds(now=now)
    db.session.commit()
    _end_lapsed_attempts(report, gateway=gateway, now=now)
    _settle_open_attempts(report, gateway=gateway, now=now)
    _confirm_or_refund_paid(report, gateway=gateway, now=now)
    _send_refunds_owed(report, gateway=gateway, now=now)
    _settle_gift_cards(report, gateway=gateway, now=now)
    _find_unpaid_confirmed(report)
    return report


def _settle_gift_cards(report: ReconcileReport, *, gateway, now: datetime) -> None:
    """Gift card purchases nobody saw settle; gift card parts of holds that ended go back."""
    settled, unreachable = giftcard_reconcile.reconcile_purchases(gateway=gateway, now=now)
    report.gift_cards_settled += settled
    report.unreachable += unreachable
    report.gift_card_returns += gift_cards.return_unused(now=now)
    db.session.commit()


def end_lapsed_attempts(*, gateway: PaymentGateway, now: datetime) -> tuple[int, int]:
    """Cancel at the provider every payment still waiting for its client (the bank's
    3-D Secure check unanswered) whose hold has run out, and let those holds go, however
    young the attempt. Returns (cancelled, provider unreachable). Commits each one."""
    lapsed = db.session.scalars(
        select(Booking)
        .join(Payment, Payment.booking_id == Booking.id)
        .where(Payment.status.in_(bookings.OPEN_PAYMENT), Payment.intent_id.is_not(None),
               Booking.status.in_((BookingStatus.HELD, BookingStatus.EXPIRED)),
               Booking.hold_expires_at <= now)
        .order_by(Booking.id).distinct()
    ).all()
    cancelled = unreachable = 0
    for booking in lapsed:
        try:
            result = deposits.end_lapsed_attempt(booking, gateway=gateway, now=now)
        except (PaymentUnavailable, PaymentRefused) as exc:
            db.session.rollback()
            unreachable += 1
            log.warning("lapsed hold %s not settled: %s", booking.reference, exc)
            continue
        if result is not None and result.payment is not None and \
                result.payment.failure_code == deposits.HOLD_LAPSED:
            cancelled += 1
            notifications.payment_lapsed(booking)  # once: the message has a dedupe key
            db.session.commit()
    return cancelled, unreachable


def _end_lapsed_attempts(report: ReconcileReport, *, gateway, now: datetime) -> None:
    cancelled, unreachable = end_lapsed_attempts(gateway=gateway, now=now)
    report.cancelled_intents += cancelled
    report.unreachable += unreachable


def _settle_open_attempts(report: ReconcileReport, *, gateway, now: datetime) -> None:
    stale = db.session.scalars(
        select(Payment)
        .where(Payment.status.in_(bookings.OPEN_PAYMENT), Payment.created_at < now - STALE_AFTER)
        .order_by(Payment.id)
    ).all()
    for payment in stale:
        try:
            _settle_one(payment, report, gateway=gateway, now=now)
        except (PaymentUnavailable, PaymentRefused) as exc:
            db.session.rollback()
            report.unreachable += 1
            log.warning("payment %s not settled: %s", payment.id, exc)
            continue
        db.session.commit()


def _settle_one(payment: Payment, report: ReconcileReport, *, gateway, now: datetime) -> None:
    if payment.intent_id is None:  # never confirmed, so it never charged
        payment.status = PaymentStatus.CANCELED
        payment.failure_message = "Never reached the payment provider."
        return
    state = gateway.retrieve_intent(payment.intent_id)
    unfinished = ("requires_confirmation", "requires_action", "requires_payment_method")
    if state.status in unfinished and not bookings.hold_is_live(payment.booking, now):
        state = gateway.cancel_intent(payment.intent_id)
        report.cancelled_intents += 1
    was_confirmed = payment.booking.status is BookingStatus.CONFIRMED
    deposits.settle(payment, state, gateway=gateway, now=now)
    report.settled += 1
    if not was_confirmed and payment.booking.status is BookingStatus.CONFIRMED:
        report.confirmed += 1


def _confirm_or_refund_paid(report: ReconcileReport, *, gateway, now: datetime) -> None:
    paid_unconfirmed = db.session.scalars(
        select(Payment)
        .join(Booking, Booking.id == Payment.booking_id)
        .where(Payment.status == PaymentStatus.SUCCEEDED,
               Booking.status.in_((BookingStatus.HELD, BookingStatus.EXPIRED)))
        .order_by(Payment.id)
    ).all()
    for payment in paid_unconfirmed:
        state = _succeeded(payment)
        result = deposits.settle(payment, state, gateway=gateway, now=now)
        if result.outcome is deposits.Outcome.CONFIRMED:
            report.confirmed += 1
        db.session.commit()


def _succeeded(payment: Payment):
    return IntentState(payment.intent_id or "", "succeeded", payment.amount_cents)


def _send_refunds_owed(report: ReconcileReport, *, gateway, now: datetime) -> None:
    candidates = db.session.execute(
        select(Payment, Booking)
        .join(Booking, Booking.id == Payment.booking_id)
        .where(
            Payment.status.in_((PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED)),
            Booking.status.in_((BookingStatus.CANCELLED, BookingStatus.EXPIRED,
                                BookingStatus.CONFIRMED, BookingStatus.COMPLETED,
                                BookingStatus.NO_SHOW)),
            Payment.updated_at > now - LOOKBACK,
        )
        .order_by(Payment.id)
    ).all()
    for payment, booking in candidates:
        owed = _owed(payment, booking)
        if owed <= payment.refunded_cents:
            continue
        if refund_payment(payment, amount=owed, gateway=gateway, now=now):
            report.refunded += 1
        else:
            report.unreachable += 1
        db.session.commit()


def _owed(payment: Payment, booking: Booking) -> int:
    """The refund this payment owes: all of a second charge, else what the policy says."""
    first = bookings.paid_payment(booking)
    if first is not None and first.id != payment.id:
        return payment.amount_cents
    return refund_due_cents(booking, paid_cents=payment.amount_cents)


def _find_unpaid_confirmed(report: ReconcileReport) -> None:
    paid = exists().where(
        and_(Payment.booking_id == Booking.id, Payment.status == PaymentStatus.SUCCEEDED,
             Payment.amount_cents == Booking.deposit_cents - Booking.gift_card_cents)
    )
    by_card = Booking.deposit_cents > Booking.gift_card_cents  # a gift card paid the rest
    rows = db.session.scalars(
        select(Booking.reference).where(
            Booking.status == BookingStatus.CONFIRMED, by_card, ~paid
        ).limit(50)
    ).all()
    for reference in rows:
        report.problems.append(f"booking {reference} is confirmed without its deposit")
    count = db.session.scalar(select(func.count()).select_from(Booking).where(
        Booking.status == BookingStatus.CONFIRMED, by_card, ~paid))
    if count > len(rows):
        report.problems.append(f"... and {count - len(rows)} more")
