"""A gift card in Chromium on the demo data: a signed-in client buys one for Solely
Therapeutic Massage with the offline test card, the recipient finds the code in the
e-mail (the demo outbox), books a time there and pays the whole deposit with it; the
booking is confirmed with no card payment and stays so on reload. The gift card pages
pass axe on a desktop and on a 390 px phone."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from marketplace.models import BookingStatus, GiftCard, GiftCardStatus, Payment, db
from tests.e2e.test_booking_journey import (
    SOLELY,
    _client,
    _sign_in,
    answer_nothing_to_report,
    booking_of,
    choose_nmt_and_a_time,
    webhooks_to_the_live_app,  # noqa: F401 - localstripe reports payments to the live app
)
from tests.support import factories
from tests.support.a11y import assert_accessible

CODE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")


def _recipient(live_app) -> str:
    """A client whose address the purchase form accepts (a deliverable-looking domain)."""
    with live_app.app_context():
        user = factories.create_user(email=f"friend-{time.time_ns()}@example.com")
        db.session.commit()
        return user.email


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name=re.compile("Sign out")).click()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()


def _code_from_the_outbox(page: Page, email: str) -> str:
    """Open the newest gift card e-mail to ``email`` in the demo outbox; its code."""
    page.goto("/demo/outbox")
    row = page.locator("tr", has_text=email).first
    row.get_by_role("link", name=re.compile("sent you a gift card for Solely")).click()
    text = page.locator(".message-text").inner_text()
    found = CODE.search(text)
    assert found, text
    assert "Solely Therapeutic Massage" in text
    return found.group(0)


def _gift_card_pages_on_a_phone(phone_page: Page, email: str, reference: str) -> None:
    _sign_in(phone_page, email)
    for path in (f"/clinics/{SOLELY}/gift-cards/new", "/gift-cards", f"/gift-cards/{reference}"):
        phone_page.goto(path)
        expect(phone_page.locator("h1")).to_be_visible()
        width = phone_page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways ({width}px)"
        assert_accessible(phone_page)


@pytest.mark.usefixtures("webhooks_to_the_live_app")
def test_a_gift_card_bought_then_paying_a_whole_deposit(page: Page, phone_page: Page,
                                                         live_app):
    buyer, recipient = _client(live_app), _recipient(live_app)
    _sign_in(page, buyer)
    page.goto(f"/clinics/{SOLELY}")
    page.get_by_role("link", name="Buy a gift card").click()
    expect(page.get_by_role("heading", name="A gift card for Solely Therapeutic Massage")) \
        .to_be_visible()
    assert_accessible(page)
    page.get_by_label("$25").check()
    page.get_by_label("Recipient’s name").fill("Dana Friend")
    page.get_by_label("Recipient’s e-mail").fill(recipient)
    page.get_by_label("Message (optional)").fill("For your shoulder.")
    page.get_by_label("Visa ending 4242: the payment succeeds").check()
    page.get_by_role("button", name="Pay and send the gift card").click()
    expect(page.get_by_role("heading", name=re.compile("^Gift card for Solely"))).to_be_visible()
    expect(page.get_by_text("ends in ")).to_be_visible()  # sent today: it has a code
    reference = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert_accessible(page)
    with live_app.app_context():
        card = db.session.scalar(select(GiftCard).where(GiftCard.reference == reference))
        assert (card.status, card.amount_cents, card.balance_cents) == (
            GiftCardStatus.ACTIVE, 2500, 2500)
        assert card.buyer.email == buyer
    page.goto("/gift-cards")
    expect(page.get_by_role("link", name="$25 for Solely Therapeutic Massage")).to_be_visible()
    assert_accessible(page)

    code = _code_from_the_outbox(page, recipient)
    page.goto("/")
    _sign_out(page)
    _sign_in(page, recipient)
    label = choose_nmt_and_a_time(page, nth=9, day=6)
    answer_nothing_to_report(page)
    page.get_by_label("Gift card code").fill(code.lower().replace("-", " "))  # as typed
    page.get_by_role("button", name="Use gift card").click()
    expect(page.get_by_role("heading", name="You are booked")).to_be_visible()
    expect(page.locator(".lead")).to_contain_text(label)
    booking = booking_of(live_app, recipient)
    assert booking.status is BookingStatus.CONFIRMED
    assert booking.gift_card_cents == booking.deposit_cents == 2300
    with live_app.app_context():
        assert db.session.scalars(
            select(Payment).where(Payment.booking_id == booking.id)).all() == []
        card = db.session.scalar(select(GiftCard).where(GiftCard.reference == reference))
        assert card.balance_cents == 200
    page.reload()  # the confirmation stands on its own, nothing is posted again
    expect(page.get_by_role("heading", name="You are booked")).to_be_visible()
    expect(page.locator(".lead")).to_contain_text(label)
    assert_accessible(page)
    assert booking_of(live_app, recipient).status is BookingStatus.CONFIRMED

    _sign_out(page)
    _sign_in(page, buyer)
    page.goto(f"/gift-cards/{reference}")
    expect(page.locator("dt:has-text('Left on the card') + dd")).to_have_text("$2")
    _gift_card_pages_on_a_phone(phone_page, buyer, reference)


@pytest.mark.usefixtures("webhooks_to_the_live_app")
def test_a_gift_card_whose_bank_asks_to_confirm_is_paid_once_confirmed(page: Page, live_app):
    """3-D Secure offline: the purchase waits for the bank's check on the card's page,
    which a reload and the back button show again (nothing is paid twice); confirming
    it pays the card once and sends it."""
    buyer, recipient = _client(live_app), _recipient(live_app)
    _sign_in(page, buyer)
    page.goto(f"/clinics/{SOLELY}/gift-cards/new")
    page.get_by_label("$50").check()
    page.get_by_label("Recipient’s name").fill("Dana Friend")
    page.get_by_label("Recipient’s e-mail").fill(recipient)
    page.get_by_label("Visa ending 3220: the bank asks you to confirm (3-D Secure)").check()
    page.get_by_role("button", name="Pay and send the gift card").click()
    expect(page.get_by_role("heading", name="Your bank’s security check")).to_be_visible()
    expect(page.get_by_text("Your bank wants to confirm this payment.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/gift-cards/[A-Z2-9]{10}$"))
    reference = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert_accessible(page)

    def card() -> GiftCard:
        with live_app.app_context():
            found = db.session.scalar(select(GiftCard).where(GiftCard.reference == reference))
            db.session.expunge(found)
            return found

    assert (card().status, card().balance_cents) == (GiftCardStatus.PENDING, 0)
    page.reload()  # the check is asked of the provider again, never paid again
    expect(page.get_by_role("button", name="Confirm the payment")).to_be_visible()
    page.goto("/gift-cards")
    page.go_back()
    expect(page.get_by_role("button", name="Confirm the payment")).to_be_visible()
    expect(page.get_by_role("button", name="Refuse it")).to_be_visible()
    assert card().intent_id is not None
    assert card().attempts == 1
    page.get_by_role("button", name="Confirm the payment").click()
    expect(page.get_by_text("the gift card is paid")).to_be_visible()
    expect(page.get_by_text("ends in ")).to_be_visible()  # sent today: it has a code
    expect(page.get_by_role("button", name="Confirm the payment")).to_have_count(0)
    assert_accessible(page)
    paid = card()
    assert (paid.status, paid.balance_cents, paid.attempts) == (GiftCardStatus.ACTIVE, 5000, 1)
    page.reload()
    page.go_back()  # back to the page as it was while the check waited
    if page.get_by_role("button", name="Confirm the payment").count():
        page.get_by_role("button", name="Confirm the payment").click()  # answered twice
    expect(page.locator("dt:has-text('Left on the card') + dd")).to_have_text("$50")
    with live_app.app_context():
        again = db.session.scalar(select(GiftCard).where(GiftCard.reference == reference))
        assert (again.status, again.balance_cents, len(again.entries)) == (
            GiftCardStatus.ACTIVE, 5000, 1)
