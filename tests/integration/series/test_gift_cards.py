"""A gift card of the clinic paying a series through the site: all of it (paid at once,
no card payment), part of it (the card pays the rest), the card payment for the rest
declined or abandoned (the part goes back once), the code removed, unused sessions
refunded gift card first, another clinic's card refused, and the owner's figures. The
card's balance always equals its ledger's sum."""

import quopri
from datetime import timedelta

from sqlalchemy import func, select

from marketplace.models import (
    EntryKind,
    GiftCardEntry,
    OutboxEmail,
    SeriesPurchase,
    SeriesStatus,
    db,
)
from marketplace.services.clinics import exports
from marketplace.services.clinics import money as clinic_money
from marketplace.services.giftcards import ledger
from marketplace.services.series import reconcile
from tests.support import factories
from tests.support.giftcards import card_with_code
from tests.support.series import apply_gift_card, create_offer


def _entries(card):
    return [(e.kind, e.amount_cents) for e in db.session.scalars(
        select(GiftCardEntry).where(GiftCardEntry.gift_card_id == card.id)
        .order_by(GiftCardEntry.id))]


def test_a_card_covering_the_price_pays_the_series_at_once(client, apply_a_gift_card):
    applied = apply_a_gift_card(gift_cents=40000, price_cents=30000, sessions=3,
                                typed=lambda code: code.lower().replace("-", " "))
    response, card, row = applied.response, applied.card, applied.row
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/series/{row.reference}")
    assert row.status is SeriesStatus.PAID
    assert (row.gift_card_cents, row.card_cents, row.intent_id) == (30000, 0, None)
    assert card.balance_cents == 10000 == ledger.ledger_sum(card)
    page = client.get(f"/series/{row.reference}").get_data(as_text=True)
    assert "Sessions left" in page
    assert "of it by gift card" in page


def test_part_by_gift_card_and_the_rest_by_card(client, apply_a_gift_card, gateway):
    applied = apply_a_gift_card()  # 150 dollars of 400
    card, row = applied.card, applied.row
    assert applied.response.status_code == 303
    assert (row.status, row.gift_card_cents, row.card_cents) == (
        SeriesStatus.PENDING, 15000, 25000)
    page = client.get(f"/series/{row.reference}").get_data(as_text=True)
    assert "Pay $250 by card" in page
    assert "Remove the gift card" in page
    response = client.post(f"/series/{row.reference}/pay",
                           data={"card": "pm_card_visa", "agree": "y"})
    assert response.status_code == 303
    db.session.expire_all()
    assert row.status is SeriesStatus.PAID
    assert gateway.retrieve_intent(row.intent_id).amount == 25000
    assert card.balance_cents == 0 == ledger.ledger_sum(card)
    # Used up now: the next series is refused with the checkout's words.
    refused = apply_gift_card(client, applied.b, applied.offer, applied.code)
    assert refused.status_code == 422
    assert "used up" in refused.get_data(as_text=True)


def test_a_declined_card_for_the_rest_gives_the_gift_part_back_once(
        client, apply_a_gift_card, gateway, now):
    applied = apply_a_gift_card()
    card, code, row = applied.card, applied.code, applied.row
    response = client.post(f"/series/{row.reference}/pay",
                           data={"card": "pm_card_chargeCustomerFail", "agree": "y"})
    assert response.status_code == 402
    db.session.expire_all()
    assert (row.status, row.gift_card_cents) == (SeriesStatus.DECLINED, 0)
    assert card.balance_cents == 15000 == ledger.ledger_sum(card)
    assert _entries(card)[1:] == [(EntryKind.REDEMPTION, -15000), (EntryKind.RETURN, 15000)]
    assert reconcile.reconcile(gateway=gateway, now=now + timedelta(hours=1)) == (0, 0)
    assert len(_entries(card)) == 3  # returned once
    # The code again on the declined series, then a good card pays the rest.
    again = client.post(f"/series/{row.reference}/gift-card",
                        data={"code": code, "action": "apply"})
    assert again.status_code == 303
    client.post(f"/series/{row.reference}/pay", data={"card": "pm_card_visa", "agree": "y"})
    db.session.expire_all()
    assert row.status is SeriesStatus.PAID
    assert gateway.retrieve_intent(row.intent_id).amount == 25000
    assert card.balance_cents == 0 == ledger.ledger_sum(card)


def test_an_abandoned_purchase_gives_the_gift_part_back(apply_a_gift_card, gateway, now):
    applied = apply_a_gift_card()
    card, row = applied.card, applied.row
    assert card.balance_cents == 0
    assert reconcile.reconcile(gateway=gateway, now=now + timedelta(minutes=31)) == (1, 0)
    db.session.expire_all()
    assert (row.status, row.gift_card_cents) == (SeriesStatus.DECLINED, 0)
    assert card.balance_cents == 15000 == ledger.ledger_sum(card)
    assert reconcile.reconcile(gateway=gateway, now=now + timedelta(minutes=40)) == (0, 0)
    assert card.balance_cents == 15000 == ledger.ledger_sum(card)


def test_removing_the_code_gives_the_part_back(client, auth, apply_a_gift_card, gateway):
    applied = apply_a_gift_card()
    card, code, row = applied.card, applied.code, applied.row
    response = client.post(f"/series/{row.reference}/gift-card", data={"action": "remove"})
    assert response.status_code == 303
    db.session.expire_all()
    assert (row.status, row.gift_card_cents, row.card_cents) == (
        SeriesStatus.PENDING, 0, 40000)
    assert card.balance_cents == 15000 == ledger.ledger_sum(card)
    client.post(f"/series/{row.reference}/gift-card", data={"action": "remove"})
    assert len(_entries(card)) == 3  # nothing more to give back
    client.post(f"/series/{row.reference}/pay", data={"card": "pm_card_visa", "agree": "y"})
    db.session.expire_all()
    assert gateway.retrieve_intent(row.intent_id).amount == 40000
    # Someone else cannot touch it.
    auth.logout()
    auth.login(factories.create_user())
    assert client.post(f"/series/{row.reference}/gift-card",
                       data={"code": code}).status_code == 404


def test_a_refund_of_unused_sessions_goes_to_the_gift_card_first(
        client, apply_a_gift_card, gateway):
    applied = apply_a_gift_card()  # 4 x 100 dollars, refunded per session
    card, row = applied.card, applied.row
    client.post(f"/series/{row.reference}/pay", data={"card": "pm_card_visa", "agree": "y"})
    db.session.expire_all()
    assert row.status is SeriesStatus.PAID
    response = client.post(f"/series/{row.reference}/refund", data={})
    assert response.status_code == 303
    db.session.expire_all()
    assert (row.status, row.refund_cents) == (SeriesStatus.CLOSED, 40000)
    assert row.refunded_at is not None
    assert card.balance_cents == 15000 == ledger.ledger_sum(card)
    assert gateway.refunded_amount(row.intent_id) == 25000  # only the card-paid part
    assert _entries(card)[-1] == (EntryKind.RETURN, 15000)
    page = client.get(f"/series/{row.reference}").get_data(as_text=True)
    assert "$150.00 goes back to your gift card and $250.00 to your card" in page
    mail = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id.desc())).first()
    text = " ".join(quopri.decodestring(mail.message).decode().split())
    assert "$150 went back to your gift card and $250 goes back to your card" in text, text


def test_a_partial_refund_of_a_series_the_gift_card_paid_in_full(client, apply_a_gift_card):
    applied = apply_a_gift_card(gift_cents=30000, price_cents=30000, sessions=3)
    card, row = applied.card, applied.row
    assert row.status is SeriesStatus.PAID
    client.post(f"/series/{row.reference}/refund", data={})
    db.session.expire_all()
    assert (row.status, row.refund_cents) == (SeriesStatus.CLOSED, 30000)
    assert row.refunded_at is not None  # nothing to send to a card payment
    assert card.balance_cents == 30000 == ledger.ledger_sum(card)


def test_another_clinics_card_and_unknown_codes_are_refused(
        client, auth, create_bookable_clinic, gateway, now):
    b = create_bookable_clinic()
    other = create_bookable_clinic()
    offer = create_offer(b, now=now)
    card, code = card_with_code(other, gateway=gateway, now=now, amount_cents=15000)
    auth.login(factories.create_user())
    response = apply_gift_card(client, b, offer, code)
    assert response.status_code == 422
    assert f"This gift card is for {other.clinic.name}" in response.get_data(as_text=True)
    unknown = apply_gift_card(client, b, offer, "AAAA-BBBB-CCCC-DDDD")
    assert unknown.status_code == 422
    assert "We do not know that gift card code" in unknown.get_data(as_text=True)
    no_rules = client.post(f"/clinics/{b.clinic.slug}/series/{offer.id}/gift-card",
                           data={"code": code})
    assert no_rules.status_code == 422
    assert db.session.scalar(select(func.count(SeriesPurchase.id))) == 0  # nothing started
    assert card.balance_cents == 15000 == ledger.ledger_sum(card)


def test_the_owner_sees_the_gift_part_once(client, auth, apply_a_gift_card, now):
    applied = apply_a_gift_card()
    b, row = applied.b, applied.row
    client.post(f"/series/{row.reference}/pay", data={"card": "pm_card_visa", "agree": "y"})
    db.session.expire_all()
    tz = b.clinic.timezone
    p = clinic_money.period("week", anchor=None, first=None, last=None, tz=tz, now=now)
    series = clinic_money.series(clinic=b.clinic, p=p, tz=tz, now=now)
    gifts = clinic_money.gift_cards(clinic=b.clinic, p=p, tz=tz)
    assert (series.sold, series.gift_card) == (40000, 15000)
    assert (gifts.sold, gifts.redeemed, gifts.outstanding) == (15000, 15000, 0)
    assert [m.series_reference for m in gifts.movements
            if m.kind is EntryKind.REDEMPTION] == [row.reference]
    csv = exports.series_csv(clinic=b.clinic, p=p, tz=tz, actor=b.owner, now=now)
    assert csv.splitlines()[0].endswith(",paid_by_gift_card")
    assert csv.splitlines()[1].endswith(",150.00")
    gift_csv = exports.gift_cards_csv(clinic=b.clinic, p=p, tz=tz, actor=b.owner, now=now)
    assert gift_csv.splitlines()[-1].endswith(f",{row.reference}")
    auth.logout()
    auth.login(b.owner)
    page = client.get(f"/owner/clinics/{b.clinic.slug}/money").get_data(as_text=True)
    assert "Of which paid by gift card" in page
    assert f"Series {row.reference}" in page
