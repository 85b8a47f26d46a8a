"""The demo's seeded deposits get real test payments at localstripe (``flask
seed-payments``), so cancelling a seeded booking refunds through the provider
and every charge there matches a row here."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from marketplace.demo import seed
from marketplace.demo.payments import SEEDED, attach_seeded_payments
from marketplace.models import (
    Booking,
    BookingStatus,
    GiftCard,
    Payment,
    PaymentStatus,
    User,
    db,
)
from marketplace.services.clinics import bookings as clinic_bookings
from marketplace.services.common.errors import Conflict
from marketplace.services.giftcards import ledger
from marketplace.services.payments import PaymentGateway
from tests.support.booking import provider_payments


def _seeded() -> list[Payment]:
    return db.session.scalars(select(Payment).join(Booking)
                              .where(Booking.reference.like("DEMO%"))).all()


def test_seeded_deposits_become_real_payments_and_refund_like_any_other(
        app, gateway, localstripe):
    seed.seed_demo(now=datetime.now(UTC))
    db.session.commit()
    before = {p.id: (p.amount_cents, p.refunded_cents, p.status) for p in _seeded()}
    assert before
    assert all(p.intent_id.startswith(SEEDED) for p in _seeded())

    report = attach_seeded_payments(gateway=gateway)

    assert (report.made, report.left) == (len(before), 0)
    assert report.refunded == sum(1 for _, refunded, _ in before.values() if refunded)
    for payment in _seeded():
        assert not payment.intent_id.startswith(SEEDED)
        assert (payment.amount_cents, payment.refunded_cents, payment.status) == before[payment.id]
        [at_provider] = provider_payments(localstripe, payment.booking.reference)
        assert (at_provider["id"], at_provider["status"], at_provider["amount"]) == (
            payment.intent_id, "succeeded", payment.amount_cents)
        assert gateway.refunded_amount(payment.intent_id) == payment.refunded_cents

    # The demo gift card's purchase is paid there too, its ledger untouched.
    assert report.gift_cards == 1
    card = db.session.scalar(select(GiftCard).where(GiftCard.reference == "DEMOGIFTS2"))
    assert not card.intent_id.startswith(SEEDED)
    state = gateway.retrieve_intent(card.intent_id)
    assert (state.status, state.amount, state.metadata["gift_card"]) == (
        "succeeded", card.amount_cents, card.reference)
    assert card.balance_cents == ledger.ledger_sum(card) == 2700

    again = attach_seeded_payments(gateway=gateway)  # nothing left to do
    assert (again.made, again.refunded, again.left, again.gift_cards) == (0, 0, 0, 0)

    upcoming = db.session.scalar(select(Booking).where(Booking.reference == "DEMOU1S1"))
    owner = db.session.scalar(select(User).where(User.email == "owner.solely@demo.test"))
    result = clinic_bookings.cancel_by_clinic(booking=upcoming, actor=owner, reason="Closed",
                                              now=datetime.now(UTC), gateway=gateway)
    assert upcoming.status is BookingStatus.CANCELLED
    assert result.refund_cents == upcoming.deposit_cents
    assert not result.refund_pending
    payment = db.session.scalar(select(Payment).where(Payment.booking_id == upcoming.id))
    assert payment.status is PaymentStatus.REFUNDED
    assert gateway.refunded_amount(payment.intent_id) == upcoming.deposit_cents


def test_seeded_deposits_are_never_charged_at_stripe_itself(app):
    real = PaymentGateway.from_config({**app.config, "STRIPE_API_BASE": "",
                                       "STRIPE_SECRET_KEY": "sk_test_real"})
    with pytest.raises(Conflict, match="stand-in"):
        attach_seeded_payments(gateway=real)


def test_the_command_reports_what_it_did(app, stripe_app, localstripe):
    seed.seed_demo(now=datetime.now(UTC))
    db.session.commit()
    count = len(_seeded())
    result = app.test_cli_runner().invoke(args=["seed-payments"])
    assert result.exit_code == 0, result.output
    assert f"Seeded deposits paid at the stand-in: {count} " in result.output
    assert "gift cards: 1;" in result.output
    assert "still without one: 0." in result.output


def test_the_command_refuses_without_the_stand_in(app, monkeypatch):
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", "")
    result = app.test_cli_runner().invoke(args=["seed-payments"])
    assert result.exit_code != 0
    assert "never at Stripe itself" in result.output
