"""Booking in Chromium on the demo data: a new client picks a time in the clinic's
local time, signs up from the flow without losing it, answers the health questions,
pays with the offline test card (declined first, then accepted), gets the
confirmation page and e-mail with its .ics, then cancels or moves the booking.
Also: without JavaScript, on a 390 px phone, and when a hold runs out."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
import requests
from playwright.sync_api import Page, expect
from sqlalchemy import select

from marketplace.models import (
    Booking,
    BookingStatus,
    Payment,
    PaymentEvent,
    PaymentStatus,
    ScreeningOutcome,
    db,
    utcnow,
)
from tests.e2e.mailbox import confirm_registration
from tests.support import factories
from tests.support.a11y import assert_accessible

SOLELY = "solely-therapeutic-massage"
TIME_LABEL = re.compile(r"\d{1,2}:\d{2} [AP]M E[SD]T")


@pytest.fixture(scope="module", autouse=True)
def webhooks_to_the_live_app(localstripe, live_server, live_app):
    """localstripe posts signed payment_intent events to the live app, as Stripe would."""
    requests.post(f"{localstripe.url}/_config/webhooks/e2e-{live_server.port}", timeout=5, data={
        "url": f"{live_server.url}/webhooks/stripe",
        "secret": live_app.config["STRIPE_WEBHOOK_SECRET"]})
    yield
    requests.post(f"{localstripe.url}/_config/webhooks/e2e-{live_server.port}", timeout=5,
                  data={"url": "http://127.0.0.1:9/", "secret": "off"})


def new_email() -> str:
    return f"client-{time.time_ns()}@example.com"


def open_day(page: Page, n: int):
    """The picker's ``n``-th day with open times, counted from the first shown; or, when
    the days shown have fewer (late on a Monday, a clinic open on weekdays has four
    left), the first open day of the next ones shown (the plain "Later" link)."""
    open_days = page.locator(".day:not(.day-empty)")
    expect(open_days.first).to_be_visible()
    if open_days.count() <= n:
        first = open_days.first.locator(".day-date").inner_text()
        page.get_by_role("link", name="Later ›").click()
        expect(open_days.first.locator(".day-date")).not_to_have_text(first)  # the next week
        n = 0
    return open_days.nth(n)


def choose_nmt_and_a_time(page: Page, *, nth: int = 0, day: int = 3) -> str:
    """Open the booking page, pick the NMT service, the ``day``-th day with open times
    (days ahead, so the free-cancellation window is still open) and its nth time;
    returns the time's label."""
    page.goto(f"/clinics/{SOLELY}/book")
    page.get_by_label("Therapeutic massage with neuromuscular therapy", exact=False).first.check()
    if page.get_by_role("button", name="Show open times").is_visible():
        page.get_by_role("button", name="Show open times").click()
    chosen = open_day(page, day)
    heading = chosen.locator(".day-date").inner_text()
    href = chosen.get_attribute("href")
    chosen.click()
    expect(page.locator(f"a.day[aria-current='date'][href='{href}']")).to_be_visible()
    expect(page.locator(".htmx-request")).to_have_count(0)  # that day's times have arrived
    expect(page.locator("#times-heading")).to_contain_text(heading.split()[-1])
    slots = page.locator(".slot-grid .slot")
    expect(slots.first).to_be_visible()
    slot = slots.nth(min(nth, slots.count() - 1))
    label = slot.inner_text().strip()
    assert TIME_LABEL.fullmatch(label), label  # local time with its zone: "9:00 AM EST"
    slot.click()
    expect(page).to_have_url(re.compile(r"/book/[A-Z0-9]{8}$"))  # the address bar follows
    expect(page.get_by_role("heading", name=re.compile("^Therapeutic massage.* at Solely"))) \
        .to_be_visible()
    return label


def register_from_the_flow(page: Page, email: str, *, audit: bool = True) -> None:
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Your name").fill("Robin Tester")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill(factories.TEST_PASSWORD)
    page.get_by_label("Repeat the password").fill(factories.TEST_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    confirm_registration(page, email, audit=audit)


def answer_nothing_to_report(page: Page) -> None:
    page.get_by_role("link", name="Answer the health questions").click()
    expect(page.get_by_text("Does any of this apply to you now?")).to_be_visible()
    page.get_by_label(re.compile("Share my answers with")).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Pay the deposit")).to_be_visible()


def pay(page: Page, card: str) -> None:
    page.get_by_label(card).check()
    page.get_by_label("I have read the cancellation policy above").check()
    page.get_by_role("button", name=re.compile("Pay .* deposit")).click()


def booking_of(live_app, email: str) -> Booking:
    with live_app.app_context():
        booking = db.session.scalars(
            select(Booking).join(Booking.client).where(Booking.client.has(email=email))
            .order_by(Booking.id.desc())).first()
        db.session.expunge_all()
        return booking


def wait_for_mail(smtp_server, address: str, subject_start: str, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in smtp_server.to(address) if m["Subject"].startswith(subject_start)]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no '{subject_start}' mail to {address}")


def test_a_new_client_books_and_pays_after_a_declined_card(page: Page, live_app, smtp_server):
    email = new_email()
    label = choose_nmt_and_a_time(page)
    expect(page.get_by_text("Sign in to continue")).to_be_visible()
    expect(page.locator("[data-countdown]")).to_have_text(re.compile(r"\(\d+:\d\d left\)"))
    assert_accessible(page)
    register_from_the_flow(page, email)
    expect(page.get_by_text(label, exact=False).first).to_be_visible()  # the same time, held
    answer_nothing_to_report(page)
    assert_accessible(page)
    pay(page, "Visa ending 0341: the bank declines it")
    expect(page.get_by_role("alert")).to_contain_text("Payment declined")
    expect(page.get_by_role("alert")).to_contain_text("still held")
    assert booking_of(live_app, email).status is BookingStatus.HELD
    pay(page, "Visa ending 4242: the payment succeeds")
    expect(page.get_by_role("heading", name="You are booked")).to_be_visible()
    expect(page.locator(".lead")).to_contain_text(label)
    assert_accessible(page)
    booking = booking_of(live_app, email)
    assert booking.status is BookingStatus.CONFIRMED
    assert booking.screening_outcome is ScreeningOutcome.PROCEED
    message = wait_for_mail(smtp_server, email, "Booked:")
    [ics] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    calendar = ics.get_payload(decode=True).decode()
    assert "DTSTART;TZID=America/New_York:" in calendar
    assert f"booking-{booking.reference}@" in calendar
    _webhook_recorded(live_app, booking)


def test_a_card_whose_bank_asks_to_confirm(page: Page, live_app):
    """3-D Secure offline: the stand-in bank's check is refused once (the time stays
    held), then confirmed, and the booking is made with one charge."""
    email = _client(live_app)
    _sign_in(page, email)
    choose_nmt_and_a_time(page, nth=17, day=4)
    answer_nothing_to_report(page)
    pay(page, "Visa ending 3220: the bank asks you to confirm (3-D Secure)")
    expect(page.get_by_role("heading", name="Your bank’s security check")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Your bank wants to confirm this payment.")
    assert_accessible(page)
    page.get_by_role("button", name="Refuse it").click()
    expect(page.get_by_role("alert")).to_contain_text("security check was not passed")
    expect(page.get_by_role("alert")).to_contain_text("still held")
    assert booking_of(live_app, email).status is BookingStatus.HELD
    pay(page, "Visa ending 3220: the bank asks you to confirm (3-D Secure)")
    page.get_by_role("button", name="Confirm the payment").click()
    expect(page.get_by_role("heading", name="You are booked")).to_be_visible()
    booking = booking_of(live_app, email)
    assert booking.status is BookingStatus.CONFIRMED
    with live_app.app_context():
        statuses = sorted(s.value for s in db.session.scalars(
            select(Payment.status).where(Payment.booking_id == booking.id)))
    assert statuses == ["failed", "succeeded"]
    _webhook_recorded(live_app, booking)


def _webhook_recorded(live_app, booking) -> None:
    """localstripe's signed payment_intent.succeeded reached the app and was recorded once."""
    with live_app.app_context():
        intent = db.session.scalar(select(Payment.intent_id).where(
            Payment.booking_id == booking.id, Payment.status == PaymentStatus.SUCCEEDED))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            rows = db.session.scalars(select(PaymentEvent).where(
                PaymentEvent.intent_id == intent,
                PaymentEvent.type == "payment_intent.succeeded")).all()
            if rows:
                break
            db.session.rollback()
            time.sleep(0.2)
        assert len(rows) == 1
        assert rows[0].processed_at is not None


def _sign_in(page: Page, email: str, password: str = factories.TEST_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name=re.compile("Sign out"))).to_be_visible()


def _client(live_app) -> str:
    with live_app.app_context():
        user = factories.create_user()
        db.session.commit()
        return user.email


def _book(page: Page, live_app, *, nth: int = 0) -> tuple[str, str]:
    email = _client(live_app)
    _sign_in(page, email)
    label = choose_nmt_and_a_time(page, nth=nth)
    answer_nothing_to_report(page)
    pay(page, "Visa ending 4242: the payment succeeds")
    expect(page.get_by_role("heading", name="You are booked")).to_be_visible()
    return email, label


def test_cancel_inside_the_free_window_refunds_the_deposit(page: Page, live_app, smtp_server):
    email, _ = _book(page, live_app, nth=3)
    page.get_by_role("link", name="Change or cancel").click()
    expect(page.get_by_text(re.compile(r"If you cancel now, your \$23 deposit is refunded"))) \
        .to_be_visible()
    page.get_by_label("Yes, cancel this booking").check()
    page.get_by_role("button", name="Cancel booking").click()
    expect(page.get_by_text(re.compile(r"\$23 is refunded"))).to_be_visible()
    with live_app.app_context():
        booking = db.session.scalars(select(Booking).where(
            Booking.client.has(email=email))).one()
        assert booking.status is BookingStatus.CANCELLED
        assert booking.payments[0].refunded_cents == 2300
    wait_for_mail(smtp_server, email, "Cancelled:")


def test_cancel_inside_the_last_24_hours_keeps_the_deposit(page: Page, live_app):
    with live_app.app_context():
        b = factories.create_bookable_clinic()
        client = factories.create_user()
        soon = utcnow().replace(second=0, microsecond=0) + timedelta(hours=6)
        booking = factories.create_booking(b, starts_at=soon, client=client,
                                           confirmed_at=utcnow())
        db.session.add(Payment(booking=booking, idempotency_key=f"e2e-{booking.reference}",
                               intent_id=f"pi_e2e_{booking.reference}", amount_cents=2300,
                               status=PaymentStatus.SUCCEEDED, succeeded_at=utcnow()))
        db.session.commit()
        email, reference = client.email, booking.reference
    _sign_in(page, email)
    page.goto(f"/bookings/{reference}")
    expect(page.get_by_text("the clinic keeps your $23 deposit")).to_be_visible()
    expect(page.get_by_text("can no longer be moved online")).to_be_visible()
    page.get_by_label("Yes, cancel this booking").check()
    page.get_by_role("button", name="Cancel booking").click()
    expect(page.get_by_text(re.compile(r"deposit of \$23 is kept"))).to_be_visible()


def test_reschedule_to_another_open_time(page: Page, live_app):
    email, label = _book(page, live_app, nth=5)
    page.get_by_role("link", name="Change or cancel").click()
    page.get_by_role("link", name="Choose another time").click()
    expect(page.get_by_role("heading", name="Move your booking")).to_be_visible()
    day = open_day(page, 2)
    date_text = day.locator(".day-date").inner_text()
    day.click()
    expect(page.locator("#times-heading")).to_contain_text(date_text.split()[-1])
    target = page.locator(".slot-grid .slot").nth(2)
    new_label = target.inner_text().strip()
    target.click()
    # A tap only asks: "Move your visit from X to Y?" with Confirm / Keep current time.
    question = page.get_by_role("heading", name=re.compile(
        "Move your visit from .* to .*" + re.escape(new_label)))
    expect(question).to_be_visible()
    assert booking_of(live_app, email).reschedule_count == 0
    assert_accessible(page)
    page.get_by_role("button", name="Confirm the move").click()
    expect(page.get_by_text(re.compile("Moved from .* to .*" + re.escape(new_label)))) \
        .to_be_visible()
    booking = booking_of(live_app, email)
    assert booking.reschedule_count == 1
    assert booking.status is BookingStatus.CONFIRMED


def test_an_expired_hold_says_so_and_offers_the_next_times(page: Page, live_app):
    email = _client(live_app)
    _sign_in(page, email)
    choose_nmt_and_a_time(page, nth=7)
    with live_app.app_context():
        booking = db.session.scalars(select(Booking).where(
            Booking.client.has(email=email))).one()
        booking.hold_expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    page.reload()
    expect(page.get_by_role("heading", name="Your hold ran out")).to_be_visible()
    other = page.locator(".slot-grid-dated .slot").first
    expect(other).to_be_visible()
    other.click()
    expect(page.get_by_role("heading", name="Health questions")).to_be_visible()


def test_the_whole_journey_works_without_javascript(browser, live_server, live_app,
                                                    artifacts_dir):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        email = new_email()
        page.goto(f"/clinics/{SOLELY}/book")
        page.get_by_label("Therapeutic massage with neuromuscular therapy", exact=False).first \
            .check()
        page.get_by_role("button", name="Show open times").click()
        open_day(page, 4).click()
        page.locator(".slot-grid .slot").nth(2).click()
        expect(page.get_by_text("Sign in to continue")).to_be_visible()
        register_from_the_flow(page, email, audit=False)  # axe needs JavaScript
        answer_nothing_to_report(page)
        pay(page, "Visa ending 4242: the payment succeeds")
        expect(page.get_by_role("heading", name="You are booked")).to_be_visible()
        page.screenshot(path=str(artifacts_dir / "booking-no-js-confirmed.png"), full_page=True)
        assert booking_of(live_app, email).status is BookingStatus.CONFIRMED
    finally:
        context.close()


def test_booking_on_a_390px_phone(phone_page: Page, live_app):
    page = phone_page
    label = choose_nmt_and_a_time(page, nth=11)
    overflow = page.evaluate("document.scrollingElement.scrollWidth")
    assert overflow <= 390, f"the page scrolls sideways ({overflow}px)"
    expect(page.get_by_text(label).first).to_be_visible()
    register_from_the_flow(page, new_email())
    answer_nothing_to_report(page)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    pay(page, "Visa ending 4242: the payment succeeds")
    expect(page.get_by_role("heading", name="You are booked")).to_be_visible()
    assert_accessible(page)


def test_the_bank_check_survives_reload_and_back_and_ends_cleanly_when_the_hold_lapses(
        page: Page, live_app):
    """3-D Secure offline, issue 'Trust': reloading the address the payment was posted
    to, or coming back to the booking, shows the bank's check again (no 405, no endless
    "Waiting for your bank"); once the hold runs out, visiting the page cancels the
    payment and says so, and My bookings files it under the times not booked."""
    email = _client(live_app)
    _sign_in(page, email)
    choose_nmt_and_a_time(page, nth=5, day=5)
    answer_nothing_to_report(page)
    pay(page, "Visa ending 3220: the bank asks you to confirm (3-D Secure)")
    expect(page.get_by_role("heading", name="Your bank’s security check")).to_be_visible()
    reference = booking_of(live_app, email).reference
    assert page.url.endswith(f"/book/{reference}/pay")  # what the address bar shows
    page.goto(page.url)  # Enter in the address bar, or a reload after the resubmit warning
    expect(page).to_have_url(re.compile(rf"/book/{reference}$"))
    expect(page.get_by_role("button", name="Confirm the payment")).to_be_visible()
    expect(page.get_by_role("button", name="Refuse it")).to_be_visible()
    page.goto("/bookings")
    page.go_back()
    expect(page.get_by_role("button", name="Confirm the payment")).to_be_visible()
    page.reload()
    expect(page.get_by_role("button", name="Confirm the payment")).to_be_visible()
    with live_app.app_context():  # the client walks away until the hold runs out
        booking = db.session.scalar(select(Booking).where(Booking.reference == reference))
        booking.hold_expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    page.reload()
    expect(page.get_by_role("heading", name="Your hold ran out")).to_be_visible()
    expect(page.get_by_text("was not answered before your hold ran out")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm the payment")).to_have_count(0)
    assert_accessible(page)
    assert booking_of(live_app, email).status is BookingStatus.EXPIRED
    with live_app.app_context():
        statuses = [s.value for s in db.session.scalars(
            select(Payment.status).join(Booking).where(Booking.reference == reference))]
    assert statuses == ["canceled"]
    page.goto("/bookings")
    expect(page.get_by_role("heading", name="Coming up")).to_be_visible()
    page.get_by_text("Show them").click()
    expect(page.locator(".unfinished-holds")).to_contain_text(reference)
    assert_accessible(page)
