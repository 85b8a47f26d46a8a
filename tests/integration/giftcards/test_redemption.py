"""Spending a gift card on a deposit: all of it (confirmed at once), part of it (the
rest by card, the part returned when that fails), codes that cannot pay, a cancellation
giving the part back under the deposit's rule, the owner's figures, and the page."""

from datetime import timedelta

import pytest

from marketplace.models import BookingStatus, EntryKind, GiftCardStatus, Party, db
from marketplace.services import booking as bookings
from marketplace.services.booking import deposits, reconcile
from marketplace.services.clinics import exports
from marketplace.services.clinics import money as clinic_money
from marketplace.services.giftcards import delivery, ledger
from tests.support import factories
from tests.support.booking import days_ahead, hold
from tests.support.giftcards import card_with_code, code_mailed_to


def _held(app, b, client, now, days=3):
    return hold(app, b, days_ahead(b, days, 10, now=now), client=client, now=now)


def test_a_card_covering_the_deposit_confirms_without_a_card_payment(
        app, create_bookable_clinic, gateway, now):
    b = create_bookable_clinic()
    card, code = card_with_code(b, gateway=gateway, now=now)
    client = factories.create_user()
    booking = _held(app, b, client, now)
    taken = bookings.redeem_gift_card(booking, code=code.lower(), client=client, now=now)
    db.session.commit()
    assert taken == booking.deposit_cents == 2300
    assert booking.status is BookingStatus.CONFIRMED
    assert booking.payments == []
    assert card.balance_cents == 200 == ledger.ledger_sum(card)
    report = reconcile.reconcile_payments(gateway=gateway, now=now)
    assert report.problems == []  # confirmed with its deposit: the gift card paid it


def test_a_partial_card_leaves_the_rest_to_the_card_payment(
        app, create_bookable_clinic, gateway, now):
    b = create_bookable_clinic()
    card, code = card_with_code(b, gateway=gateway, now=now)
    first = _held(app, b, factories.create_user(), now, days=2)
    bookings.redeem_gift_card(first, code=code, client=first.client, now=now)
    client = factories.create_user()
    booking = _held(app, b, client, now, days=4)
    assert bookings.redeem_gift_card(booking, code=code, client=client, now=now) == 200
    db.session.commit()
    assert booking.status is BookingStatus.HELD
    assert booking.card_deposit_cents == 2100
    result = deposits.pay_deposit(booking, payment_method="pm_card_visa", gateway=gateway,
                                  now=now)
    assert result.outcome is deposits.Outcome.CONFIRMED
    assert result.payment.amount_cents == 2100
    assert card.balance_cents == 0
    third = _held(app, b, client, now, days=5)
    with pytest.raises(bookings.GiftCardRefused, match="used up"):
        bookings.redeem_gift_card(third, code=code, client=client, now=now)


def test_a_declined_card_payment_gives_the_gift_part_back(
        app, create_bookable_clinic, gateway, now):
    b = create_bookable_clinic()
    card, code = card_with_code(b, gateway=gateway, now=now, amount_cents=2500)
    other = _held(app, b, factories.create_user(), now, days=2)
    bookings.redeem_gift_card(other, code=code, client=other.client, now=now)  # leaves 200
    client = factories.create_user()
    booking = _held(app, b, client, now, days=4)
    bookings.redeem_gift_card(booking, code=code, client=client, now=now)
    db.session.commit()
    result = deposits.pay_deposit(booking, payment_method="pm_card_chargeCustomerFail",
                                  gateway=gateway, now=now)
    assert result.outcome is deposits.Outcome.DECLINED
    assert "went back to your gift card" in result.message
    assert booking.gift_card_cents == 0
    assert card.balance_cents == 200 == ledger.ledger_sum(card)
    assert [e.kind for e in card.entries][-1] is EntryKind.RETURN


def test_a_lapsed_hold_gives_the_gift_part_back(app, create_bookable_clinic, gateway, now):
    b = create_bookable_clinic()
    card, code = card_with_code(b, gateway=gateway, now=now, amount_cents=10000)
    client = factories.create_user()
    booking = _held(app, b, client, now)
    bookings.redeem_gift_card(booking, code=code, client=client, now=now)  # confirmed
    booking2 = _held(app, b, factories.create_user(), now, days=5)
    booking2.deposit_cents = 9000  # more than what is left: a part
    bookings.redeem_gift_card(booking2, code=code, client=booking2.client, now=now)
    db.session.commit()
    assert card.balance_cents == 0
    later = booking2.hold_expires_at + timedelta(minutes=1)
    report = reconcile.reconcile_payments(gateway=gateway, now=later)
    assert report.gift_card_returns == 1
    assert card.balance_cents == 10000 - 2300
    assert booking2.gift_card_cents == 0


@pytest.mark.parametrize("case", ["unknown", "garbage", "other_clinic", "expired"])
def test_codes_that_cannot_pay_say_why(app, create_bookable_clinic, gateway, now, case):
    b = create_bookable_clinic()
    other = create_bookable_clinic()
    card, code = card_with_code(other if case == "other_clinic" else b, gateway=gateway, now=now)
    if case == "expired":
        delivery.expire_due(now=card.expires_at)
    client = factories.create_user()
    booking = _held(app, b, client, now)
    typed = {"unknown": "ABCD-EFGH-JKMN-PQRS", "garbage": "'; drop table --"}.get(case, code)
    expected = {"unknown": "do not know", "garbage": "do not know",
                "other_clinic": "cannot pay at", "expired": "expired"}[case]
    with pytest.raises(bookings.GiftCardRefused, match=expected):
        bookings.redeem_gift_card(booking, code=typed, client=client, now=now)


@pytest.mark.parametrize(("by", "returned"), [(Party.CLINIC, 2300), (Party.CLIENT, 0)])
def test_a_cancellation_returns_the_gift_part_as_the_deposit_rule_says(
        app, create_bookable_clinic, gateway, now, by, returned):
    b = create_bookable_clinic()
    card, code = card_with_code(b, gateway=gateway, now=now)
    client = factories.create_user()
    booking = _held(app, b, client, now)
    if by is Party.CLIENT:  # cancelling late (inside the policy's 30 days): the deposit is kept
        booking.policy_cancellation_hours = 24 * 30
    bookings.redeem_gift_card(booking, code=code, client=client, now=now)
    db.session.commit()
    actor = b.owner if by is Party.CLINIC else client
    result = bookings.cancel(booking, by=by, actor=actor, reason="", now=now, gateway=gateway)
    assert result.gift_card_cents == returned
    assert card.balance_cents == 200 + returned == ledger.ledger_sum(card)


def test_owner_money_page_and_csv_show_sales_redemptions_and_outstanding(
        app, create_bookable_clinic, gateway, now, client, auth):
    b = create_bookable_clinic()
    card, code = card_with_code(b, gateway=gateway, now=now, amount_cents=5000)
    buyer = factories.create_user()
    booking = _held(app, b, buyer, now)
    bookings.redeem_gift_card(booking, code=code, client=buyer, now=now)
    db.session.commit()
    p = clinic_money.period("week", anchor=None, first=None, last=None,
                            tz=b.clinic.timezone, now=now)
    gifts = clinic_money.gift_cards(clinic=b.clinic, p=p, tz=b.clinic.timezone)
    assert (gifts.sold, gifts.sold_count, gifts.redeemed, gifts.outstanding) == (
        5000, 1, 2300, 2700)
    text = exports.gift_cards_csv(clinic=b.clinic, p=p, tz=b.clinic.timezone, actor=b.owner,
                                  now=now)
    lines = text.strip().splitlines()
    assert lines[0].startswith("at_local,gift_card,entry,amount")
    assert "purchase,50.00" in lines[1]
    assert card.reference in lines[2]
    assert booking.reference in lines[2]
    assert lines[2].endswith("50.00,23.00,0.00,27.00,")  # no series
    auth.login(b.owner)
    page = client.get(f"/owner/clinics/{b.clinic.slug}/money")
    assert page.status_code == 200
    assert b"Gift cards" in page.data
    assert b"<dd>$27</dd>" in page.data  # outstanding now


def test_buy_and_redeem_through_the_site(app, create_bookable_clinic, stripe_app, now,
                                         client, auth):
    b = create_bookable_clinic()
    buyer = factories.create_user()
    auth.login(buyer)
    url = f"/clinics/{b.clinic.slug}/gift-cards/new"
    assert client.get(url).status_code == 200
    bad = client.post(url, data={"preset": "other", "custom": "7", "recipient_name": "A",
                                 "recipient_email": "nope", "card": "pm_card_visa"})
    assert bad.status_code == 422
    assert b"whole-dollar amount" in bad.data
    declined = client.post(url, data={"preset": "25", "recipient_name": "Sam",
                                      "recipient_email": "sam@example.com",
                                      "card": "pm_card_chargeCustomerFail"})
    assert declined.status_code == 402
    assert b"Payment declined" in declined.data
    ok = client.post(url, data={"preset": "25", "recipient_name": "Sam",
                                "recipient_email": "sam@example.com", "card": "pm_card_visa"})
    assert ok.status_code == 303
    assert client.get("/gift-cards").status_code == 200
    code = code_mailed_to("sam@example.com")
    booking = _held(app, b, buyer, now)
    db.session.commit()
    checkout = f"/book/{booking.reference}"
    wrong = client.htmx("POST", f"{checkout}/gift-card", data={"code": "AAAA-BBBB-CCCC-DDDD"})
    assert wrong.status_code == 422
    assert b"do not know that gift card code" in wrong.data
    used = client.post(f"{checkout}/gift-card", data={"code": code, "action": "apply"})
    assert used.status_code == 303
    db.session.refresh(booking)
    assert booking.status is BookingStatus.CONFIRMED
    assert booking.gift_card_cents == 2300


def test_only_the_buyer_sees_a_card(app, create_bookable_clinic, gateway, now, client, auth):
    b = create_bookable_clinic()
    card, _ = card_with_code(b, gateway=gateway, now=now)
    auth.login(factories.create_user())
    assert client.get(f"/gift-cards/{card.reference}").status_code == 404
    auth.logout()
    auth.login(card.buyer)
    page = client.get(f"/gift-cards/{card.reference}")
    assert page.status_code == 200
    assert card.status is GiftCardStatus.ACTIVE
