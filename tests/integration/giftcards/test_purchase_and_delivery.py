"""Buying a gift card against localstripe (success, decline, a browser that went away
settled by the webhook or reconcile-payments, a replayed webhook), its delivery on the
chosen day exactly once, and expiry as a ledger entry."""

from datetime import timedelta

from marketplace.models import EntryKind, GiftCardStatus, db
from marketplace.services.booking import payment_events, reconcile
from marketplace.services.common.local_time import local_today
from marketplace.services.giftcards import codes, delivery, ledger, purchase
from tests.support import factories
from tests.support.booking import intent_event
from tests.support.giftcards import bought, code_mailed_to
from tests.support.mailbox import mails_to

Outcome = purchase.Outcome


def test_a_good_card_pays_credits_the_ledger_and_sends_the_code_today(
        app, create_bookable_clinic, gateway, now):
    b = create_bookable_clinic()
    buyer = factories.create_user()
    card, result = bought(b, buyer, gateway=gateway, now=now, amount_cents=7500)
    assert result.outcome is Outcome.PAID
    assert card.status is GiftCardStatus.ACTIVE  # today: sent at once
    assert card.balance_cents == 7500 == ledger.ledger_sum(card)
    assert [e.kind for e in card.entries] == [EntryKind.PURCHASE]
    assert card.expires_at.year == now.year + purchase.VALID_YEARS
    state = gateway.retrieve_intent(card.intent_id)
    assert (state.status, state.amount, state.metadata["gift_card"]) == (
        "succeeded", 7500, card.reference)
    code = code_mailed_to("friend@example.test")
    assert code is not None
    assert len(codes.normalise(code)) == 16
    assert card.code_hash == codes.code_hash(codes.normalise(code))
    assert code.replace("-", "") not in (card.code_hash or "")  # only the hash is kept
    assert mails_to(buyer.email) == 1  # the receipt


def test_a_declined_card_charges_nothing_and_another_card_pays_once(
        app, create_bookable_clinic, gateway, now):
    b = create_bookable_clinic()
    card, result = bought(b, factories.create_user(), gateway=gateway, now=now,
                          card="pm_card_chargeCustomerFail")
    assert result.outcome is Outcome.DECLINED
    assert "declined" in result.message.lower()
    assert card.status is GiftCardStatus.DECLINED
    assert card.balance_cents == 0
    assert card.entries == []
    again = purchase.pay(card, payment_method="pm_card_visa", gateway=gateway,
                         now=now + timedelta(minutes=2))
    assert again.outcome is Outcome.PAID
    assert card.attempts == 2
    assert card.idempotency_key.endswith("-2")
    assert purchase.pay(card, payment_method="pm_card_visa", gateway=gateway,
                        now=now).outcome is Outcome.PAID  # a second click: nothing more
    assert ledger.ledger_sum(card) == card.amount_cents == card.balance_cents


def _abandoned(b, gateway, now):
    """A purchase whose intent was charged at the provider but whose browser went away."""
    card = purchase.start(buyer=factories.create_user(), clinic=b.clinic, amount_cents=5000,
                          recipient_name="R", recipient_email="r@example.test", message="",
                          deliver_on=None, now=now)
    db.session.commit()
    state = gateway.create_intent(amount=5000, payment_method="pm_card_visa",
                                  metadata={"gift_card": card.reference},
                                  idempotency_key=card.idempotency_key)
    card.intent_id = state.id
    db.session.commit()
    gateway.confirm_intent(state.id, idempotency_key="c")
    return card, state


def test_the_webhook_confirms_a_purchase_and_a_replay_changes_nothing(
        app, create_bookable_clinic, gateway, now):
    b = create_bookable_clinic()
    card, state = _abandoned(b, gateway, now)
    event = intent_event("evt_gift_1", "payment_intent.succeeded",
                         {"id": state.id, "amount": 5000, "metadata": {}})
    result = payment_events.handle_event(event, gateway=gateway, now=now)
    db.session.commit()
    assert "gift card" in result
    assert card.status is GiftCardStatus.ACTIVE
    again = payment_events.handle_event(event, gateway=gateway, now=now)
    other = payment_events.handle_event({**event, "id": "evt_gift_2"}, gateway=gateway, now=now)
    db.session.commit()
    assert again.startswith("duplicate")
    assert "paid" in other
    assert [e.kind for e in card.entries] == [EntryKind.PURCHASE]
    assert card.balance_cents == 5000
    assert mails_to("r@example.test") == 1


def test_reconcile_confirms_a_purchase_whose_browser_went_away(
        app, create_bookable_clinic, gateway, now):
    b = create_bookable_clinic()
    card, _ = _abandoned(b, gateway, now)
    reconcile.reconcile_payments(gateway=gateway, now=now)
    assert card.status is GiftCardStatus.PENDING  # too young: a browser may still have it
    report = reconcile.reconcile_payments(gateway=gateway, now=now + timedelta(minutes=6))
    assert report.gift_cards_settled == 1
    assert card.status is GiftCardStatus.ACTIVE
    again = reconcile.reconcile_payments(gateway=gateway, now=now + timedelta(minutes=7))
    assert again.gift_cards_settled == 0
    assert len(card.entries) == 1


def test_a_later_day_is_sent_by_the_job_once(app, create_bookable_clinic, gateway, now):
    b = create_bookable_clinic()
    day = local_today(b.clinic.timezone, now) + timedelta(days=3)
    card, result = bought(b, factories.create_user(), gateway=gateway, now=now,
                          deliver_on=day, email="later@example.test")
    assert result.outcome is Outcome.PAID
    assert card.status is GiftCardStatus.PAID
    assert code_mailed_to("later@example.test") is None
    assert card.code_hash is None
    assert delivery.deliver_due(now=now + timedelta(days=1)) == 0
    when = now + timedelta(days=3, hours=12)
    assert delivery.deliver_due(now=when) == 1
    assert delivery.deliver_due(now=when) == 0  # run twice: sent once
    assert delivery.deliver(card, now=when) is False  # another host losing the claim
    db.session.refresh(card)
    assert card.status is GiftCardStatus.ACTIVE
    assert mails_to("later@example.test") == 1
    assert code_mailed_to("later@example.test")


def test_the_delivery_day_must_be_today_to_a_year_ahead(app, create_bookable_clinic, now):
    import pytest

    from marketplace.services.common.errors import FieldError

    b = create_bookable_clinic()
    today = local_today(b.clinic.timezone, now)
    for day, amount in ((today - timedelta(days=1), 2500), (today + timedelta(days=366), 2500),
                        (today, 2450), (today, 2400), (today, 50100)):
        with pytest.raises(FieldError):
            purchase.start(buyer=factories.create_user(), clinic=b.clinic, amount_cents=amount,
                           recipient_name="R", recipient_email="r@example.test", message="",
                           deliver_on=day, now=now)


def test_expiry_writes_off_what_is_left_once(app, create_bookable_clinic, gateway, now):
    b = create_bookable_clinic()
    card, _ = bought(b, factories.create_user(), gateway=gateway, now=now)
    assert delivery.expire_due(now=card.expires_at - timedelta(seconds=1)) == 0
    assert delivery.expire_due(now=card.expires_at) == 1
    assert delivery.expire_due(now=card.expires_at + timedelta(days=1)) == 0
    assert card.status is GiftCardStatus.EXPIRED
    assert card.balance_cents == 0
    assert [e.amount_cents for e in card.entries] == [2500, -2500]
    assert ledger.ledger_sum(card) == 0
