"""A gift card paid with a card whose bank asks for 3-D Secure, against the real
localstripe: confirmed (paid once), refused (declined, another card pays), another card
while the check waits (the waiting intent cancelled first), left unanswered and settled
by the webhook or ``reconcile-payments``; and through the site: the check shown on the
card's page, again after a reload, a return visit that changes nothing."""

from __future__ import annotations

from datetime import timedelta

from marketplace.models import EntryKind, GiftCardStatus, db
from marketplace.services.booking import payment_events, reconcile
from marketplace.services.giftcards import ledger, purchase
from marketplace.services.giftcards import reconcile as giftcard_reconcile
from tests.support import factories
from tests.support.booking import intent_event, provider_payments, succeeded_charges
from tests.support.giftcards import THREE_D_SECURE, bought_awaiting_check
from tests.support.mailbox import mails_to

Outcome = purchase.Outcome


def _intents(localstripe, reference: str) -> list[dict]:
    return provider_payments(localstripe, reference, kind="gift_card")


def _charged(localstripe, reference: str) -> int:
    return succeeded_charges(localstripe, reference, kind="gift_card")


# --- the service ---------------------------------------------------------------------------


def test_a_confirmed_bank_check_pays_once(awaiting_check, gateway, localstripe, now):
    card, result = awaiting_check.card, awaiting_check.result
    assert result.client_secret
    assert result.client_secret.startswith(card.intent_id)
    assert card.status is GiftCardStatus.PENDING
    assert card.entries == []
    assert card.balance_cents == 0
    assert mails_to("friend@example.test") == 0
    again = purchase.refresh(card, gateway=gateway, now=now)  # a reload: still waiting
    assert again.outcome is Outcome.REQUIRES_ACTION
    assert gateway.retrieve_intent(card.intent_id).status == "requires_action"
    paid = purchase.answer_bank_check(card, approve=True, gateway=gateway, now=now)
    assert paid.outcome is Outcome.PAID
    assert card.status is GiftCardStatus.ACTIVE
    assert [e.kind for e in card.entries] == [EntryKind.PURCHASE]
    assert ledger.ledger_sum(card) == card.balance_cents == card.amount_cents
    twice = purchase.answer_bank_check(card, approve=True, gateway=gateway, now=now)
    assert twice.outcome is Outcome.PAID  # a double click: nothing more
    assert purchase.refresh(card, gateway=gateway, now=now) is None
    assert _charged(localstripe, card.reference) == 1
    assert len(card.entries) == 1
    assert mails_to("friend@example.test") == 1  # the code, once
    assert mails_to(card.buyer.email) == 1  # the receipt, once


def test_a_refused_bank_check_declines_and_another_card_pays(
        awaiting_check, gateway, localstripe, now):
    card = awaiting_check.card
    refused = purchase.answer_bank_check(card, approve=False, gateway=gateway, now=now)
    assert refused.outcome is Outcome.DECLINED
    assert refused.message == "Your bank's security check was not passed."
    assert card.status is GiftCardStatus.DECLINED
    assert card.entries == []
    paid = purchase.pay(card, payment_method="pm_card_visa", gateway=gateway,
                        now=now + timedelta(minutes=2))
    assert paid.outcome is Outcome.PAID
    assert card.attempts == 2
    assert _charged(localstripe, card.reference) == 1
    assert card.balance_cents == card.amount_cents


def test_another_card_while_the_check_waits_cancels_it_first(
        awaiting_check, gateway, localstripe, now):
    card = awaiting_check.card
    waiting = card.intent_id
    same = purchase.pay(card, payment_method=THREE_D_SECURE, gateway=gateway,
                        now=now + timedelta(seconds=5))  # the same card again: the same check
    assert same.outcome is Outcome.REQUIRES_ACTION
    assert (card.intent_id, card.attempts) == (waiting, 1)
    paid = purchase.pay(card, payment_method="pm_card_visa", gateway=gateway,
                        now=now + timedelta(seconds=10))
    assert paid.outcome is Outcome.PAID
    assert card.attempts == 2
    assert card.intent_id != waiting
    assert gateway.retrieve_intent(waiting).status == "canceled"
    # The old check answered late (a tab left open) can no longer charge.
    late = gateway.retrieve_intent(waiting)
    assert late.status == "canceled"
    assert purchase.answer_bank_check(card, approve=True, gateway=gateway,
                                      now=now).outcome is Outcome.PAID
    assert [pi["status"] for pi in _intents(localstripe, card.reference)] in (
        ["canceled", "succeeded"], ["succeeded", "canceled"])
    assert len(card.entries) == 1


def test_the_webhooks_settle_a_check_answered_after_the_browser_left(
        awaiting_check, gateway, localstripe, now):
    card, result = awaiting_check.card, awaiting_check.result
    asked = payment_events.handle_event(
        intent_event("evt_gift_3ds_1", "payment_intent.requires_action",
                     {"id": card.intent_id, "amount": card.amount_cents, "metadata": {}}),
        gateway=gateway, now=now)
    db.session.commit()
    assert "requires_action" in asked
    assert card.status is GiftCardStatus.PENDING
    # The buyer confirmed at their bank, and the browser went away before it came back.
    gateway.answer_bank_check(card.intent_id, client_secret=result.client_secret,
                              approve=True)
    event = intent_event("evt_gift_3ds_2", "payment_intent.succeeded",
                         {"id": card.intent_id, "amount": card.amount_cents, "metadata": {}})
    settled = payment_events.handle_event(event, gateway=gateway, now=now)
    replay = payment_events.handle_event(event, gateway=gateway, now=now)
    db.session.commit()
    assert "paid" in settled
    assert replay.startswith("duplicate")
    assert card.status is GiftCardStatus.ACTIVE
    assert [e.kind for e in card.entries] == [EntryKind.PURCHASE]
    # A refusal elsewhere is a payment_failed: declined, nothing charged.
    other, other_result = bought_awaiting_check(awaiting_check.b, gateway=gateway, now=now,
                                                email="other@example.test")
    gateway.answer_bank_check(other.intent_id, client_secret=other_result.client_secret,
                              approve=False)
    failed = payment_events.handle_event(
        intent_event("evt_gift_3ds_3", "payment_intent.payment_failed",
                     {"id": other.intent_id, "amount": other.amount_cents, "metadata": {}}),
        gateway=gateway, now=now)
    db.session.commit()
    assert "declined" in failed
    assert other.status is GiftCardStatus.DECLINED
    assert other.failure_message == "Your bank's security check was not passed."
    assert _charged(localstripe, other.reference) == 0


def test_reconcile_settles_an_answered_check_and_cancels_an_unanswered_one(
        awaiting_check, gateway, localstripe, now):
    answered, result = awaiting_check.card, awaiting_check.result
    gateway.answer_bank_check(answered.intent_id, client_secret=result.client_secret,
                              approve=True)
    left, _ = bought_awaiting_check(awaiting_check.b, gateway=gateway, now=now,
                                    email="left@example.test")
    report = reconcile.reconcile_payments(gateway=gateway, now=now + timedelta(minutes=6))
    assert report.gift_cards_settled == 1
    assert answered.status is GiftCardStatus.ACTIVE
    assert left.status is GiftCardStatus.PENDING  # its bank's check may still be answered
    assert gateway.retrieve_intent(left.intent_id).status == "requires_action"
    later = now + giftcard_reconcile.BANK_CHECK_TIME + timedelta(minutes=1)
    report = reconcile.reconcile_payments(gateway=gateway, now=later)
    assert report.gift_cards_settled == 1
    assert left.status is GiftCardStatus.DECLINED
    assert "was not answered in time" in left.failure_message
    assert gateway.retrieve_intent(left.intent_id).status == "canceled"
    late = purchase.answer_bank_check(left, approve=True, gateway=gateway, now=later)
    assert late is None  # settled: nothing waits for an answer any more
    assert _charged(localstripe, left.reference) == 0
    assert reconcile.reconcile_payments(
        gateway=gateway, now=later + timedelta(minutes=1)).gift_cards_settled == 0
    assert len(answered.entries) == 1


# --- through the site ----------------------------------------------------------------------


def test_the_form_offers_the_3_d_secure_test_card(client, auth, create_bookable_clinic,
                                                  stripe_app):
    b = create_bookable_clinic()
    auth.login(factories.create_user())
    page = client.get(f"/clinics/{b.clinic.slug}/gift-cards/new").get_data(as_text=True)
    assert f'value="{THREE_D_SECURE}"' in page
    assert "Visa ending 3220: the bank asks you to confirm (3-D Secure)" in page


def test_buying_with_a_bank_check_shows_it_on_the_card_page_and_confirming_pays_once(
        client, bought_on_site, localstripe):
    asked, card, page_url = bought_on_site.response, bought_on_site.card(), bought_on_site.url
    assert asked.status_code == 303
    assert asked.headers["Location"] == page_url  # a reload is a GET of the card's page
    page = client.get(page_url).get_data(as_text=True)
    assert "Your bank wants to confirm this payment." in page
    assert "Your bank’s security check" in page
    assert "Confirm the payment" in page
    assert "Refuse it" in page
    assert "Or pay with another card" in page
    assert "every 3s" not in page  # no polling while the bank waits for the buyer
    again = client.get(page_url).get_data(as_text=True)  # reload, or back to it
    assert "Confirm the payment" in again
    fragment = client.htmx("GET", page_url).get_data(as_text=True)
    assert "Confirm the payment" in fragment
    assert _charged(localstripe, card.reference) == 0
    landed = client.get(f"{page_url}/pay/bank-check")  # the address bar after the POST
    assert landed.status_code == 303
    assert landed.headers["Location"] == page_url
    done = client.post(f"{page_url}/pay/bank-check", data={"decision": "approve"})
    assert done.status_code == 303
    assert done.headers["Location"] == page_url
    paid = client.get(page_url).get_data(as_text=True)
    assert "the gift card is paid" in paid
    assert "ends in" in paid
    assert "Confirm the payment" not in paid
    twice = client.post(f"{page_url}/pay/bank-check", data={"decision": "approve"})
    assert twice.status_code == 303  # a double click: nothing more
    back = client.get(f"{page_url}/pay/return")  # Stripe's return address, visited again
    assert back.status_code == 303
    assert back.headers["Location"] == page_url
    card = bought_on_site.card()
    assert card.status is GiftCardStatus.ACTIVE
    assert _charged(localstripe, card.reference) == 1
    assert len(card.entries) == 1
    assert mails_to("sam@example.com") == 1


def test_a_refused_bank_check_says_so_and_another_card_pays(client, bought_on_site,
                                                            localstripe):
    card, page_url = bought_on_site.card(), bought_on_site.url
    refused = client.post(f"{page_url}/pay/bank-check", data={"decision": "refuse"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 402
    assert "Payment declined: Your bank&#39;s security check was not passed." in text
    assert "Nothing was charged; try another card." in text
    assert "Pay for the card" in text
    assert bought_on_site.card().status is GiftCardStatus.DECLINED
    paid = client.post(f"{page_url}/pay", data={"card": "pm_card_visa"})
    assert paid.status_code == 303
    assert bought_on_site.card().status is GiftCardStatus.ACTIVE
    assert _charged(localstripe, card.reference) == 1


def test_another_card_instead_of_the_waiting_check_through_the_site(
        client, bought_on_site, localstripe):
    waiting, page_url = bought_on_site.card().intent_id, bought_on_site.url
    paid = client.post(f"{page_url}/pay", data={"card": "pm_card_visa"})
    assert paid.status_code == 303
    card = bought_on_site.card()
    assert card.status is GiftCardStatus.ACTIVE
    assert card.attempts == 2
    assert [pi["status"] for pi in _intents(localstripe, card.reference)
            if pi["id"] == waiting] == ["canceled"]
    late = client.post(f"{page_url}/pay/bank-check", data={"decision": "approve"})
    assert late.status_code == 303  # the old check, answered late: nothing more
    assert _charged(localstripe, card.reference) == 1


def test_the_return_address_asks_the_provider_and_a_second_visit_changes_nothing(
        client, bought_on_site, localstripe, gateway):
    card, page_url = bought_on_site.card(), bought_on_site.url
    waiting = client.get(f"{page_url}/pay/return")  # back before answering: the check again
    assert waiting.status_code == 303
    assert waiting.headers["Location"] == page_url
    state = gateway.retrieve_intent(card.intent_id)
    gateway.answer_bank_check(card.intent_id, client_secret=state.client_secret, approve=True)
    back = client.get(f"{page_url}/pay/return")  # as Stripe.js sends the buyer back
    assert back.status_code == 303
    assert back.headers["Location"] == page_url
    assert "the gift card is paid" in client.get(page_url).get_data(as_text=True)
    for _ in range(2):
        again = client.get(f"{page_url}/pay/return")
        assert again.status_code == 303
        assert again.headers["Location"] == page_url
    card = bought_on_site.card()
    assert card.status is GiftCardStatus.ACTIVE
    assert _charged(localstripe, card.reference) == 1
    assert len(card.entries) == 1
    assert mails_to(bought_on_site.buyer.email) == 1


def test_the_bank_check_refuses_a_made_up_answer_and_exists_only_offline(
        client, auth, bought_on_site, stripe_app, localstripe, monkeypatch):
    card, url = bought_on_site.card(), f"{bought_on_site.url}/pay/bank-check"
    odd = client.post(url, data={"decision": "maybe"})
    assert odd.status_code == 422
    assert "Confirm or refuse the payment." in odd.get_data(as_text=True)
    assert bought_on_site.card().status is GiftCardStatus.PENDING
    auth.logout()
    auth.login(factories.create_user())
    assert client.post(url, data={"decision": "approve"}).status_code == 404  # not theirs
    assert _charged(localstripe, card.reference) == 0
    auth.logout()
    auth.login(bought_on_site.buyer)
    monkeypatch.setitem(stripe_app.config, "STRIPE_API_BASE", "")  # real Stripe: its own page
    assert client.post(url, data={"decision": "approve"}).status_code == 404
