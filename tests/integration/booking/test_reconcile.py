"""reconcile-payments: whatever the browser, the provider or a webhook left between
states is settled, against the real localstripe."""

from datetime import UTC, datetime, timedelta

from marketplace.models import BookingStatus, Payment, PaymentStatus, db
from marketplace.services import booking as bookings
from marketplace.services.booking.reconcile import STALE_AFTER, reconcile_payments
from tests.support import factories
from tests.support.booking import (
    confirmed,
    days_ahead,
    hold,
    paid_payment,
)


def now():
    return datetime.now(UTC)


def _charged(gateway, booking, *, method="pm_card_visa", confirm=True, created=None):
    """An intent charged at the provider whose answer never reached our rows."""
    state = gateway.create_intent(amount=booking.deposit_cents, payment_method=method,
                                  metadata={"booking": booking.reference},
                                  idempotency_key=f"r-{booking.reference}")
    payment = Payment(booking=booking, idempotency_key=f"r-{booking.reference}",
                      intent_id=state.id, amount_cents=booking.deposit_cents,
                      status=PaymentStatus.PROCESSING,
                      created_at=created or now() - STALE_AFTER - timedelta(minutes=1))
    db.session.add(payment)
    db.session.flush()
    if confirm:
        gateway.confirm_intent(state.id, idempotency_key="c")
    return payment


def test_a_payment_that_succeeded_while_the_browser_was_gone_confirms_its_booking(
        app, create_bookable_clinic, gateway):
    b = create_bookable_clinic()
    booking = hold(app, b, days_ahead(b, 3), client=factories.create_user())
    payment = _charged(gateway, booking)
    db.session.commit()
    report = reconcile_payments(gateway=gateway, now=now())
    assert (report.settled, report.confirmed) == (1, 1)
    db.session.refresh(booking)
    assert booking.status is BookingStatus.CONFIRMED
    assert payment.status is PaymentStatus.SUCCEEDED
    again = reconcile_payments(gateway=gateway, now=now())
    assert (again.settled, again.confirmed, again.refunded) == (0, 0, 0)


def test_a_payment_for_a_slot_that_is_gone_is_refunded(app, create_bookable_clinic, gateway):
    b = create_bookable_clinic()
    starts = days_ahead(b, 3)
    booking = hold(app, b, starts, client=factories.create_user(),
                   now=now() - timedelta(minutes=30))
    payment = _charged(gateway, booking)
    hold(app, b, starts, client=factories.create_user())  # someone else took the time
    db.session.commit()
    report = reconcile_payments(gateway=gateway, now=now())
    assert report.confirmed == 0
    db.session.refresh(payment)
    assert payment.status is PaymentStatus.REFUNDED
    assert gateway.refunded_amount(payment.intent_id) == booking.deposit_cents
    db.session.refresh(booking)
    assert booking.status is BookingStatus.EXPIRED


def test_an_unfinished_intent_of_a_lapsed_hold_is_cancelled_at_the_provider(
        app, create_bookable_clinic, gateway):
    b = create_bookable_clinic()
    booking = hold(app, b, days_ahead(b, 3), client=factories.create_user(),
                   now=now() - timedelta(hours=1))
    payment = _charged(gateway, booking, confirm=False)
    never_sent = Payment(booking=booking, idempotency_key="never", amount_cents=2300,
                         status=PaymentStatus.CREATED, created_at=now() - timedelta(hours=1))
    db.session.add(never_sent)
    db.session.commit()
    report = reconcile_payments(gateway=gateway, now=now())
    assert report.cancelled_intents == 1
    assert gateway.retrieve_intent(payment.intent_id).status == "canceled"
    db.session.refresh(payment)
    db.session.refresh(never_sent)
    assert payment.status is PaymentStatus.CANCELED
    assert never_sent.status is PaymentStatus.CANCELED


def test_a_recent_attempt_is_left_to_the_browser(app, create_bookable_clinic, gateway):
    b = create_bookable_clinic()
    booking = hold(app, b, days_ahead(b, 3), client=factories.create_user())
    payment = _charged(gateway, booking, confirm=False, created=now())
    db.session.commit()
    assert reconcile_payments(gateway=gateway, now=now()).settled == 0
    assert gateway.retrieve_intent(payment.intent_id).status == "requires_confirmation"


def test_a_second_charge_for_one_booking_is_refunded(app, create_bookable_clinic, gateway):
    b = create_bookable_clinic()
    booking = confirmed(app, b, days_ahead(b, 3), client=factories.create_user(),
                        gateway=gateway)
    second = _charged(gateway, booking)
    db.session.commit()
    reconcile_payments(gateway=gateway, now=now())
    db.session.refresh(second)
    assert second.status is PaymentStatus.REFUNDED
    assert gateway.refunded_amount(second.intent_id) == booking.deposit_cents
    first = bookings.paid_payment(booking)
    assert first.id != second.id
    assert first.refunded_cents == 0
    assert booking.status is BookingStatus.CONFIRMED


def test_a_confirmed_booking_without_its_deposit_is_reported(app, create_bookable_clinic,
                                                             create_booking, gateway, runner):
    b = create_bookable_clinic()
    unpaid = create_booking(b, starts_at=days_ahead(b, 5), client=factories.create_user())
    paid = create_booking(b, starts_at=days_ahead(b, 6), client=factories.create_user())
    paid_payment(paid)
    db.session.commit()
    report = reconcile_payments(gateway=gateway, now=now())
    assert report.problems == [f"booking {unpaid.reference} is confirmed without its deposit"]
    result = runner.invoke(args=["reconcile-payments"])
    assert result.exit_code == 1
    assert f"PROBLEM: booking {unpaid.reference}" in result.output


def test_the_command_expires_lapsed_holds(app, create_bookable_clinic, runner, gateway):
    b = create_bookable_clinic()
    lapsed = hold(app, b, days_ahead(b, 3), client=factories.create_user(),
                  now=now() - timedelta(hours=1))
    db.session.commit()
    result = runner.invoke(args=["reconcile-payments"])
    assert result.exit_code == 0, result.output
    assert "Holds expired: 1" in result.output
    db.session.refresh(lapsed)
    assert lapsed.status is BookingStatus.EXPIRED
    assert "Expired 0 hold(s)." in runner.invoke(args=["expire-holds"]).output


def _waiting_for_the_bank(app, b, gateway, *, days):
    """A hold whose payment waits for the bank's 3-D Secure check, which nobody answers."""
    from marketplace.services.booking import deposits

    booking = hold(app, b, days_ahead(b, days), client=factories.create_user())
    result = deposits.pay_deposit(booking, payment_method="pm_card_threeDSecure2Required",
                                  gateway=gateway, now=now())
    assert result.outcome is deposits.Outcome.REQUIRES_ACTION
    booking.hold_expires_at = now() - timedelta(seconds=5)  # the hold just ran out
    db.session.commit()
    return booking


def test_a_bank_check_left_unanswered_is_cancelled_once_the_hold_lapses(
        app, create_bookable_clinic, gateway, runner):
    b = create_bookable_clinic()
    booking = _waiting_for_the_bank(app, b, gateway, days=3)
    report = reconcile_payments(gateway=gateway, now=now())  # the attempt is not yet "stale"
    assert report.cancelled_intents == 1
    db.session.refresh(booking)
    assert booking.status is BookingStatus.EXPIRED
    (payment,) = booking.payments
    assert payment.status is PaymentStatus.CANCELED
    assert "was not answered before your hold ran out" in payment.failure_message
    assert gateway.retrieve_intent(payment.intent_id).status == "canceled"
    # expire-holds does the same for its part.
    other = _waiting_for_the_bank(app, b, gateway, days=4)
    result = runner.invoke(args=["expire-holds"])
    assert result.exit_code == 0, result.output
    assert "Payments waiting for the bank cancelled: 1" in result.output
    db.session.refresh(other)
    assert other.status is BookingStatus.EXPIRED
    assert gateway.retrieve_intent(other.payments[0].intent_id).status == "canceled"


def test_the_client_is_told_once_when_a_lapsed_bank_check_is_cancelled(
        app, create_bookable_clinic, gateway, runner):
    """Issue 'Trust': a payment called off because the hold ran out during the bank's
    check is e-mailed to the client, once, with a link to book again."""
    import email
    import email.policy

    from sqlalchemy import select

    from marketplace.models import OutboxEmail

    def lapsed_mail(booking):
        return db.session.scalars(select(OutboxEmail).where(
            OutboxEmail.to_addr == booking.client.email)).all()

    b = create_bookable_clinic()
    booking = _waiting_for_the_bank(app, b, gateway, days=3)
    reconcile_payments(gateway=gateway, now=now())
    (message,) = lapsed_mail(booking)
    assert message.dedupe_key == f"payment-lapsed:{booking.id}"
    text = email.message_from_bytes(message.message, policy=email.policy.default) \
        .get_body(("plain",)).get_content()
    assert f"Your payment for {b.clinic.name} on" in text
    assert "was not completed before your hold ran out; nothing was charged." in text
    assert f"Book again: {app.config['BASE_URL']}/clinics/{b.clinic.slug}/book" in text
    reconcile_payments(gateway=gateway, now=now())
    assert runner.invoke(args=["expire-holds"]).exit_code == 0
    assert len(lapsed_mail(booking)) == 1

    other = _waiting_for_the_bank(app, b, gateway, days=4)  # expire-holds tells them too
    assert runner.invoke(args=["expire-holds"]).exit_code == 0
    assert len(lapsed_mail(other)) == 1
