"""Buying a series against localstripe: paid in full with the rules stored (a later change
of the offer changes nothing bought), a decline then another card, the bank's 3-D Secure
check confirmed or refused, a purchase whose browser went away settled by the webhook (a
replay is a duplicate) or by reconcile-payments, and buying through the site."""

from datetime import timedelta

from sqlalchemy import func, select

from marketplace.models import LateRule, SeriesPurchase, SeriesStatus, db
from marketplace.services.payments import TEST_CARD_AUTHENTICATE
from marketplace.services.series import events, offers, purchase, reconcile
from tests.support import factories
from tests.support.booking import intent_event
from tests.support.mailbox import mails_to
from tests.support.series import bought, create_offer

Outcome = purchase.Outcome


def test_a_good_card_pays_the_series_and_stores_its_rules(app, create_bookable_clinic,
                                                          gateway, now):
    b = create_bookable_clinic()
    offer = create_offer(b, now=now)
    client = factories.create_user()
    row, result = bought(offer, client, gateway=gateway, now=now)
    assert result.outcome is Outcome.PAID
    assert row.status is SeriesStatus.PAID
    assert row.expires_at == now + timedelta(days=84)
    assert (row.sessions_total, row.price_cents, row.late_rule) == (4, 40000, LateRule.USED)
    assert row.cancellation_hours == b.clinic.cancellation_window_hours
    assert "refunded at $100 each" in row.policy_text
    state = gateway.retrieve_intent(row.intent_id)
    assert (state.status, state.amount, state.metadata["series"]) == (
        "succeeded", 40000, row.reference)
    assert mails_to(client.email) == 1
    offers.update_offer(offer=offer, data=offers.OfferData(
        service_id=b.service.id, sessions=6, price_cents=60000, validity_days=28,
        refund_rule=offer.refund_rule, refund_fee_cents=0, late_rule=LateRule.RETURNED),
        actor=b.owner, now=now)
    db.session.commit()
    db.session.refresh(row)
    assert (row.sessions_total, row.price_cents, row.late_rule) == (4, 40000, LateRule.USED)


def test_a_declined_card_charges_nothing_and_another_card_pays_once(
        app, create_bookable_clinic, gateway, now):
    b = create_bookable_clinic()
    row, result = bought(create_offer(b, now=now), factories.create_user(), gateway=gateway,
                         now=now, card="pm_card_chargeCustomerFail")
    assert result.outcome is Outcome.DECLINED
    assert row.status is SeriesStatus.DECLINED
    assert row.paid_at is None
    again = purchase.pay(row, payment_method="pm_card_visa", gateway=gateway,
                         now=now + timedelta(minutes=2))
    assert again.outcome is Outcome.PAID
    assert row.attempts == 2
    assert row.idempotency_key.endswith("-2")
    assert purchase.pay(row, payment_method="pm_card_visa", gateway=gateway,
                        now=now).outcome is Outcome.PAID  # a second click: nothing more


def test_the_banks_check_confirmed_pays_and_refused_declines(app, create_bookable_clinic,
                                                             gateway, now):
    b = create_bookable_clinic()
    offer = create_offer(b, now=now)
    row, result = bought(offer, factories.create_user(), gateway=gateway, now=now,
                         card=TEST_CARD_AUTHENTICATE)
    assert result.outcome is Outcome.REQUIRES_ACTION
    assert row.status is SeriesStatus.PENDING
    assert row.intent_id
    # paying again with the same card resumes the same check: never a second intent
    resumed = purchase.pay(row, payment_method=TEST_CARD_AUTHENTICATE, gateway=gateway, now=now)
    assert resumed.outcome is Outcome.REQUIRES_ACTION
    assert row.attempts == 1
    done = purchase.answer_bank_check(row, approve=True, gateway=gateway, now=now)
    assert done.outcome is Outcome.PAID
    assert row.status is SeriesStatus.PAID
    other, _ = bought(offer, factories.create_user(), gateway=gateway, now=now,
                      card=TEST_CARD_AUTHENTICATE)
    refused = purchase.answer_bank_check(other, approve=False, gateway=gateway, now=now)
    assert refused.outcome is Outcome.DECLINED
    assert other.status is SeriesStatus.DECLINED
    assert "security check" in refused.message


def _abandoned(offer, gateway, now):
    """A series whose intent was charged at the provider but whose browser went away."""
    row = purchase.start(client=factories.create_user(), offer=offer, now=now)
    db.session.commit()
    state = gateway.create_intent(amount=row.price_cents, payment_method="pm_card_visa",
                                  metadata={"series": row.reference},
                                  idempotency_key=row.idempotency_key)
    row.intent_id = state.id
    db.session.commit()
    gateway.confirm_intent(state.id, idempotency_key="c")
    return row, state


def test_the_webhook_settles_a_purchase_and_a_replay_changes_nothing(
        app, create_bookable_clinic, gateway, now):
    b = create_bookable_clinic()
    row, state = _abandoned(create_offer(b, now=now), gateway, now)
    event = intent_event("evt_series_1", "payment_intent.succeeded",
                         {"id": state.id, "amount": 40000, "metadata": {}})
    result = events.handle_event(event, gateway=gateway, now=now)
    db.session.commit()
    assert "series" in result
    assert row.status is SeriesStatus.PAID
    assert events.handle_event(event, gateway=gateway, now=now).startswith("duplicate")
    forged = intent_event("evt_other", "payment_intent.succeeded",
                          {"id": "pi_unknown", "amount": 40000, "metadata": {}})
    assert "ignored" in events.handle_event(forged, gateway=gateway, now=now)


def test_reconcile_settles_a_purchase_whose_browser_went_away(
        app, create_bookable_clinic, gateway, now):
    b = create_bookable_clinic()
    row, _ = _abandoned(create_offer(b, now=now), gateway, now)
    assert reconcile.reconcile(gateway=gateway, now=now) == (0, 0)  # too young
    assert reconcile.reconcile(gateway=gateway, now=now + timedelta(minutes=31)) == (1, 0)
    assert row.status is SeriesStatus.PAID
    assert reconcile.reconcile(gateway=gateway, now=now + timedelta(minutes=32)) == (0, 0)


def test_buying_through_the_site(client, auth, create_bookable_clinic, stripe_app, now):
    b = create_bookable_clinic()
    offer = create_offer(b, now=now)
    buyer = factories.create_user()
    url = f"/clinics/{b.clinic.slug}/series/{offer.id}/buy"
    assert client.get(url).status_code == 302  # sign in first
    auth.login(buyer)
    page = client.get(url).get_data(as_text=True)
    assert "The rules you buy under" in page
    assert "uses the session up" in page
    refused = client.post(url, data={"card": "pm_card_visa"})
    assert refused.status_code == 422  # the rules must be acknowledged
    assert db.session.scalar(select(func.count(SeriesPurchase.id))) == 0
    response = client.post(url, data={"card": "pm_card_visa", "agree": "y"})
    assert response.status_code == 303
    row = db.session.scalar(select(SeriesPurchase))
    assert response.headers["Location"].endswith(f"/series/{row.reference}")
    page = client.get(f"/series/{row.reference}").get_data(as_text=True)
    assert "Sessions left" in page
    assert "Book the course" in page
    auth.logout()
    auth.login(factories.create_user())
    assert client.get(f"/series/{row.reference}").status_code == 404
    assert client.get(f"/clinics/{b.clinic.slug}/series/999999/buy").status_code == 404


def test_with_real_keys_the_pages_use_the_stripe_card_field(client, auth, app,
                                                             create_bookable_clinic, now,
                                                             monkeypatch):
    b = create_bookable_clinic()
    offer = create_offer(b, now=now)
    monkeypatch.setitem(app.config, "STRIPE_PUBLISHABLE_KEY", "pk_test_series")
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", "")
    auth.login(factories.create_user())
    page = client.get(f"/clinics/{b.clinic.slug}/series/{offer.id}/buy").get_data(as_text=True)
    assert 'id="card-element"' in page
    assert 'data-stripe-key="pk_test_series"' in page
    assert 'name="payment_method_id"' in page
