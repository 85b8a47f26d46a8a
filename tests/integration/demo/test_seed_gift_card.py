"""The demo seed's gift card: bought by the demo client at Solely Therapeutic Massage for
the second demo client, delivered, and partly spent on a demo booking's deposit, with a
ledger that adds up; the buyer's "Gift cards" page and the owner's money page show it.
(``flask seed-payments`` paying its purchase at localstripe: test_seed_payments.py.)"""

from datetime import timedelta

from sqlalchemy import func, select

from marketplace.demo import giftcards as seed_giftcards
from marketplace.demo import seed
from marketplace.demo.common import DEMO_PASSWORD
from marketplace.models import (
    Booking,
    BookingStatus,
    EntryKind,
    GiftCard,
    GiftCardEntry,
    GiftCardStatus,
    Payment,
    User,
    db,
)
from marketplace.services.booking.gift_cards import find_card
from marketplace.services.common.local_time import local_today
from marketplace.services.giftcards import ledger


def _card() -> GiftCard:
    return db.session.scalar(select(GiftCard).where(GiftCard.reference == "DEMOGIFTS2"))


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def test_the_demo_gift_card_paid_a_deposit_and_its_ledger_adds_up(app, now):
    report = seed.seed_demo(now=now)
    db.session.commit()
    card = _card()
    booking = db.session.scalar(select(Booking).where(Booking.reference == "DEMOU2S2"))
    assert card.buyer.email == "client@demo.test"
    assert card.recipient_email == "client2@demo.test"
    assert card.clinic.slug == "solely-therapeutic-massage"
    assert card.status is GiftCardStatus.ACTIVE
    assert card.paid_at <= card.delivered_at < booking.created_at <= now
    assert card.expires_at == card.paid_at.replace(year=card.paid_at.year + 5)
    assert [(e.kind, e.amount_cents, e.balance_after_cents, e.booking_id)
            for e in card.entries] == [
        (EntryKind.PURCHASE, 5000, 5000, None),
        (EntryKind.REDEMPTION, -booking.deposit_cents, 5000 - booking.deposit_cents,
         booking.id)]
    assert booking.deposit_cents == 2300  # 20% of the $115 myofascial release session
    assert card.balance_cents == ledger.ledger_sum(card) == 2700
    assert booking.status is BookingStatus.CONFIRMED
    assert booking.gift_card_cents == booking.deposit_cents
    assert booking.card_deposit_cents == 0
    assert db.session.scalar(select(Payment).where(Payment.booking_id == booking.id)) is None
    assert ledger.applied_to(booking) == (card, 2300)
    # The published code is the card's, and only its hash is stored.
    assert report.gift_card_code == "KNEA-DEDC-ARDS-2627"
    assert find_card(report.gift_card_code) == card
    assert card.code_hash != seed_giftcards.DEMO_GIFT_CODE
    assert card.code_last4 == "2627"

    seed.seed_demo(now=now + timedelta(hours=1))  # a re-run adds nothing
    db.session.commit()
    assert db.session.scalar(select(func.count(GiftCard.id))) == 1
    assert db.session.scalar(select(func.count(GiftCardEntry.id))) == 2
    assert _card().balance_cents == 2700


def test_the_buyer_and_the_owner_see_the_demo_card(app, now, client, auth):
    seed.seed_demo(now=now)
    db.session.commit()
    card = _card()
    auth.login(_user("client@demo.test"), DEMO_PASSWORD)
    mine = client.get("/gift-cards")
    assert mine.status_code == 200
    assert b"$50 for Solely Therapeutic Massage" in mine.data
    assert b"For Robin Client" in mine.data
    assert b"$27 left" in mine.data
    page = client.get(f"/gift-cards/{card.reference}")
    assert page.status_code == 200
    assert b"2627" in page.data
    assert b"KNEADEDCARDS" not in page.data
    auth.logout()

    auth.login(_user("owner.solely@demo.test"), DEMO_PASSWORD)
    first = local_today(card.timezone, card.paid_at)
    money = client.get("/owner/clinics/solely-therapeutic-massage/money", query_string={
        "period": "custom", "date_from": first.isoformat(),
        "date_to": local_today(card.timezone, now).isoformat()})
    assert money.status_code == 200
    text = money.get_data(as_text=True)
    assert "<dt>Sold (1)</dt><dd>$50</dd>" in text
    assert "<dt>Redeemed</dt><dd>$23</dd>" in text
    assert "<dt>Outstanding now</dt><dd>$27</dd>" in text
    assert text.count("DEMOGIFTS2") == 2  # the purchase and the redemption
    assert "DEMOU2S2" in text

