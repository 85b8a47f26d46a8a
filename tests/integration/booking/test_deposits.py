"""Deposits against a real localstripe: success, decline, an unreachable or slow
provider, retries that never charge twice, and the money invariants."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from marketplace.models import BookingStatus, OutboxEmail, Payment, PaymentStatus, db
from marketplace.services import booking as bookings
from marketplace.services.booking import deposits
from marketplace.services.common.errors import Conflict
from marketplace.services.payments import PaymentGateway
from tests.support import factories
from tests.support.booking import (
    SlowProxy,
    days_ahead,
    hold,
    succeeded_charges,
)

Outcome = deposits.Outcome


def _held(app, b, client=None, days=3, hour=10):
    return hold(app, b, days_ahead(b, days, hour), client=client or factories.create_user())


class StaleOnce(PaymentGateway):
    """Answers the first retrieve with a state that another request has just overtaken."""

    stale = None

    def retrieve_intent(self, intent_id):
        if self.stale is not None:
            state, self.stale = self.stale, None
            return state
        return super().retrieve_intent(intent_id)


def _gateway_to(app, base: str, **overrides) -> PaymentGateway:
    return PaymentGateway.from_config({**app.config, "STRIPE_API_BASE": base, **overrides})


def now():
    return datetime.now(UTC)


def test_a_good_card_pays_the_deposit_and_confirms(app, create_bookable_clinic, gateway,
                                                   localstripe):
    b = create_bookable_clinic()
    booking = _held(app, b)
    result = deposits.pay_deposit(booking, payment_method="pm_card_visa", gateway=gateway,
                                  now=now())
    assert result.outcome is Outcome.CONFIRMED
    assert booking.status is BookingStatus.CONFIRMED
    assert booking.hold_expires_at is None
    assert booking.confirmed_at is not None
    payment = result.payment
    assert payment.status is PaymentStatus.SUCCEEDED
    assert payment.amount_cents == booking.deposit_cents == 2300
    assert payment.intent_id.startswith("pi_")
    assert payment.idempotency_key == f"deposit-{booking.reference}-1"
    state = gateway.retrieve_intent(payment.intent_id)
    assert (state.status, state.amount, state.metadata["booking"]) == (
        "succeeded", 2300, booking.reference)
    subjects = db.session.scalars(select(OutboxEmail.subject)).all()
    assert any(s.startswith("Booked:") for s in subjects)
    assert any(s.startswith(f"New booking {booking.reference}") for s in subjects)


def test_a_declined_card_keeps_the_hold_and_a_second_card_succeeds(app, create_bookable_clinic,
                                                                   gateway, localstripe):
    b = create_bookable_clinic()
    booking = _held(app, b)
    declined = deposits.pay_deposit(booking, payment_method="pm_card_chargeCustomerFail",
                                    gateway=gateway, now=now())
    assert declined.outcome is Outcome.DECLINED
    assert "declined" in declined.message.lower()
    assert booking.status is BookingStatus.HELD
    assert declined.payment.status is PaymentStatus.FAILED
    assert declined.payment.failure_code == "card_declined"
    retry = deposits.pay_deposit(booking, payment_method="pm_card_visa", gateway=gateway,
                                 now=now())
    assert retry.outcome is Outcome.CONFIRMED
    assert retry.payment.id != declined.payment.id
    assert succeeded_charges(localstripe, booking.reference) == 1


def test_an_unreachable_provider_keeps_the_hold_and_the_retry_charges_once(
        app, create_bookable_clinic, gateway, localstripe):
    from tests.support.servers import free_port

    b = create_bookable_clinic()
    booking = _held(app, b)
    down = _gateway_to(app, f"http://127.0.0.1:{free_port()}")
    result = deposits.pay_deposit(booking, payment_method="pm_card_visa", gateway=down,
                                  now=now())
    assert result.outcome is Outcome.UNAVAILABLE
    assert "could not reach" in result.message
    assert booking.status is BookingStatus.HELD
    assert result.payment.intent_id is None  # recorded before the provider call, never sent
    assert result.payment.status is PaymentStatus.CANCELED  # so it can never charge
    retry = deposits.pay_deposit(booking, payment_method="pm_card_visa", gateway=gateway,
                                 now=now())
    assert retry.outcome is Outcome.CONFIRMED
    assert retry.payment.id != result.payment.id
    assert succeeded_charges(localstripe, booking.reference) == 1


def test_a_slow_provider_that_charged_is_asked_again_not_charged_again(
        app, create_bookable_clinic, gateway, localstripe):
    b = create_bookable_clinic()
    booking = _held(app, b)
    proxy = SlowProxy(localstripe.url, slow_paths=("/confirm",), delay=2.0)
    try:
        slow = _gateway_to(app, proxy.url, STRIPE_TIMEOUT_SECONDS=1)
        result = deposits.pay_deposit(booking, payment_method="pm_card_visa", gateway=slow,
                                      now=now())
    finally:
        proxy.stop()
    assert result.outcome is Outcome.UNAVAILABLE
    assert booking.status is BookingStatus.HELD
    assert result.payment.intent_id  # known before the confirmation was asked for
    assert succeeded_charges(localstripe, booking.reference) == 1  # it did go through
    retry = deposits.pay_deposit(booking, payment_method="pm_card_visa", gateway=gateway,
                                 now=now())
    assert retry.outcome is Outcome.CONFIRMED
    assert retry.payment.id == result.payment.id  # the same attempt, asked about again
    assert succeeded_charges(localstripe, booking.reference) == 1


def test_paying_extends_a_hold_about_to_lapse_but_not_forever(app, create_bookable_clinic):
    b = create_bookable_clinic()
    t0 = now()
    booking = hold(app, b, days_ahead(b, 3), client=factories.create_user(), now=t0)
    nearly = booking.hold_expires_at - timedelta(seconds=20)
    deposits._check_payable(booking, nearly)
    assert booking.hold_expires_at == nearly + deposits.PAYMENT_GRACE
    late = t0 + deposits.MAX_HOLD - timedelta(seconds=10)
    booking.hold_expires_at = late + timedelta(seconds=5)
    deposits._check_payable(booking, late)
    assert booking.hold_expires_at == t0 + deposits.MAX_HOLD


def test_a_lapsed_or_anonymous_hold_cannot_be_paid(app, create_bookable_clinic, gateway):
    b = create_bookable_clinic()
    anonymous = hold(app, b, days_ahead(b, 3), token=bookings.new_hold_token())
    with pytest.raises(bookings.NotReady):
        deposits.pay_deposit(anonymous, payment_method="pm_card_visa", gateway=gateway,
                             now=now())
    lapsed = _held(app, b, hour=14)
    with pytest.raises(bookings.HoldLapsed):
        deposits.pay_deposit(lapsed, payment_method="pm_card_visa", gateway=gateway,
                             now=now() + timedelta(hours=1))
    assert db.session.scalars(select(Payment)).all() == []


def test_no_confirmed_booking_without_its_deposit(app, create_bookable_clinic):
    b = create_bookable_clinic()
    booking = _held(app, b)
    with pytest.raises(bookings.NotReady, match="deposit"):
        bookings.confirm(booking, payment=None, now=now())
    failed = Payment(booking=booking, idempotency_key="x-1", amount_cents=2300,
                     status=PaymentStatus.FAILED)
    short = Payment(booking=booking, idempotency_key="x-2", amount_cents=100,
                    status=PaymentStatus.SUCCEEDED)
    db.session.add_all([failed, short])
    db.session.flush()
    for payment in (failed, short):
        with pytest.raises(bookings.NotReady):
            bookings.confirm(booking, payment=payment, now=now())
    assert booking.status is BookingStatus.HELD


def test_a_clinic_without_a_deposit_confirms_without_a_payment(app, create_bookable_clinic):
    from marketplace.models import DepositKind

    b = create_bookable_clinic(deposit_kind=DepositKind.FIXED, deposit_value=0)
    booking = _held(app, b)
    assert booking.deposit_cents == 0
    bookings.confirm_without_deposit(booking, now=now())
    assert booking.status is BookingStatus.CONFIRMED
    assert booking.payments == []


def test_a_deposit_booking_cannot_use_the_no_deposit_path(app, create_bookable_clinic):
    b = create_bookable_clinic()
    booking = _held(app, b)
    with pytest.raises(bookings.NotReady):
        bookings.confirm_without_deposit(booking, now=now())


def test_payments_are_unavailable_without_a_provider(app, create_bookable_clinic):
    b = create_bookable_clinic()
    booking = _held(app, b)
    unset = PaymentGateway.from_config({**app.config, "STRIPE_API_BASE": ""})
    result = deposits.pay_deposit(booking, payment_method="pm_card_visa", gateway=unset,
                                  now=now())
    assert result.outcome is Outcome.UNAVAILABLE
    assert "not set up" in result.message
    assert booking.status is BookingStatus.HELD


def test_an_unknown_payment_method_is_refused_without_a_charge(app, create_bookable_clinic,
                                                              gateway, localstripe):
    b = create_bookable_clinic()
    booking = _held(app, b)
    result = deposits.pay_deposit(booking, payment_method="pm_does_not_exist", gateway=gateway,
                                  now=now())
    assert result.outcome is Outcome.DECLINED
    assert booking.status is BookingStatus.HELD
    assert result.payment.status is PaymentStatus.FAILED


def test_the_price_cannot_change_while_a_payment_is_open(app, create_bookable_clinic):
    b = create_bookable_clinic()
    booking = _held(app, b)
    db.session.add(Payment(booking=booking, idempotency_key="open-1", amount_cents=2300,
                           status=PaymentStatus.PROCESSING, intent_id="pi_open"))
    db.session.flush()
    with pytest.raises(Conflict, match="payment is in progress"):
        bookings.remove_promotion(booking, now=now())


def test_a_second_click_while_the_first_is_being_sent_starts_no_second_payment(
        app, create_bookable_clinic, gateway, localstripe):
    b = create_bookable_clinic()
    booking = _held(app, b)
    in_flight = Payment(booking=booking, idempotency_key=f"deposit-{booking.reference}-1",
                        amount_cents=2300, status=PaymentStatus.CREATED, created_at=now())
    db.session.add(in_flight)
    db.session.commit()
    second = deposits.pay_deposit(booking, payment_method="pm_card_visa", gateway=gateway,
                                  now=now())
    assert second.outcome is Outcome.PROCESSING
    assert "already being sent" in second.message
    assert len(booking.payments) == 1
    assert succeeded_charges(localstripe, booking.reference) == 0
    # A minute later nobody is sending it any more: it is closed and a new attempt pays.
    later = deposits.pay_deposit(booking, payment_method="pm_card_visa", gateway=gateway,
                                 now=now() + deposits.IN_FLIGHT + timedelta(seconds=1))
    assert later.outcome is Outcome.CONFIRMED
    db.session.refresh(in_flight)
    assert in_flight.status is PaymentStatus.CANCELED
    assert succeeded_charges(localstripe, booking.reference) == 1


def test_an_intent_confirmed_by_another_request_is_settled_not_declined(
        app, create_bookable_clinic, gateway, localstripe):
    b = create_bookable_clinic()
    booking = _held(app, b)
    payment = Payment(booking=booking, idempotency_key=f"deposit-{booking.reference}-1",
                      amount_cents=2300, status=PaymentStatus.CREATED, created_at=now())
    db.session.add(payment)
    db.session.commit()
    state = gateway.create_intent(amount=2300, payment_method="pm_card_visa",
                                  metadata={"booking": booking.reference},
                                  idempotency_key=payment.idempotency_key)
    payment.intent_id, payment.status = state.id, PaymentStatus.PROCESSING
    db.session.commit()
    stale = StaleOnce.from_config(app.config)
    stale.stale = gateway.retrieve_intent(state.id)  # what we saw: requires_confirmation
    gateway.confirm_intent(state.id, idempotency_key="elsewhere")  # the first click's confirm
    result = deposits.pay_deposit(booking, payment_method="pm_card_visa", gateway=stale,
                                  now=now())
    assert result.outcome is Outcome.CONFIRMED
    assert succeeded_charges(localstripe, booking.reference) == 1
