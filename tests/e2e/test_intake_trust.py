"""Remembered health answers in Chromium (issue 'Trust'): a client whose last intake
named warfarin books again, sees the answers marked as from their last visit, unticks
the blood-thinner box but leaves "Warfarin" in the medicines, is stopped with the
reason naming warfarin, follows "Change this answer", removes it, confirms the answers
and goes on to pay. With htmx and without JavaScript; axe on every new state."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from marketplace.models import Booking, BookingStatus, Clinic, ScreeningOutcome, db, utcnow
from marketplace.services.intake.records import keyring_for, save_intake
from marketplace.services.intake.screening import IntakeAnswers, screen
from tests.e2e.test_booking_journey import (
    SOLELY,
    _sign_in,
    choose_nmt_and_a_time,
    open_day,
    pay,
    webhooks_to_the_live_app,  # noqa: F401  (the payment's webhook reaches the app)
)
from tests.support import factories
from tests.support.a11y import assert_accessible

THINNER_BOX = "A bleeding disorder, or blood-thinning medicine"
CONFIRM = "These answers are true today"
SHARE = re.compile("Share my answers with")


def _client_who_took_warfarin(live_app) -> str:
    """A client whose last intake (a month ago, at Solely) ticked blood thinners and
    named warfarin."""
    with live_app.app_context():
        user = factories.create_user()
        clinic = db.session.scalar(select(Clinic).where(Clinic.slug == SOLELY))
        answers = IntakeAnswers(contraindications=frozenset({"bleeding_disorder"}),
                                medications="Warfarin 5 mg", notes="Left shoulder")
        given = utcnow() - timedelta(days=30)
        save_intake(client=user, clinic=clinic, booking=None, answers=answers,
                    screening=screen(answers, visit_date=given.date()),
                    clearance_confirmed=False, keyring=keyring_for(live_app.config), now=given)
        db.session.commit()
        return user.email


def _bookings(live_app, email: str) -> list[Booking]:
    with live_app.app_context():
        rows = list(db.session.scalars(select(Booking).where(
            Booking.client.has(email=email)).order_by(Booking.id)))
        db.session.expunge_all()
        return rows


def check_axe(page: Page, js: bool) -> None:
    """axe runs inside the page, so only with JavaScript (the same states are checked
    there); with it disabled Playwright's evaluate never returns."""
    if js:
        assert_accessible(page)


def _journey(page: Page, live_app, email: str, *, nth: int, day: int, js: bool) -> None:
    _sign_in(page, email)
    if js:
        choose_nmt_and_a_time(page, nth=nth, day=day)
    else:  # the picker's plain links and buttons, as test_booking_journey does it
        page.goto(f"/clinics/{SOLELY}/book")
        page.get_by_label("Therapeutic massage with neuromuscular therapy", exact=False) \
            .first.check()
        page.get_by_role("button", name="Show open times").click()
        open_day(page, day).click()
        page.locator(".slot-grid .slot").nth(nth).click()
    page.get_by_role("link", name="Answer the health questions").click()

    # The remembered answers are marked, and must be confirmed.
    expect(page.get_by_text(re.compile(
        r"From your last visit on \w+ \d{1,2}, \d{4}: check these are still true"))) \
        .to_be_visible()
    expect(page.get_by_label(THINNER_BOX)).to_be_checked()
    expect(page.get_by_label("Medicines you take")).to_have_value("Warfarin 5 mg")
    check_axe(page, js)

    # Untick the box, leave "Warfarin" in the medicines, confirm: stopped, and told why.
    page.get_by_label(THINNER_BOX).uncheck()
    page.get_by_label(CONFIRM).check()
    page.get_by_label(SHARE).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Gentle techniques only")).to_be_visible()
    expect(page.get_by_text("Your medicines list names warfarin, a blood thinner.")) \
        .to_be_visible()
    assert [b.status for b in _bookings(live_app, email)] == [BookingStatus.CANCELLED]
    check_axe(page, js)

    # Change it on the spot: the answers are kept, the medicines field marked.
    page.get_by_role("link", name=re.compile("^Change this answer")).click()
    medicines = page.get_by_label("Medicines you take")
    expect(medicines).to_have_value("Warfarin 5 mg")
    expect(page.get_by_text("the screening result came from it")).to_be_visible()
    if js:
        expect(medicines).to_be_focused()
    assert re.search(r"/intake\?change=medications#medications$", page.url), page.url
    check_axe(page, js)

    # Forgetting to confirm says so and keeps what was typed.
    medicines.fill("Vitamin D")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("still true today")).to_be_visible()
    expect(page.get_by_label("Medicines you take")).to_have_value("Vitamin D")
    check_axe(page, js)

    page.get_by_label(CONFIRM).check()
    page.get_by_label(SHARE).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Pay the deposit")).to_be_visible()
    pay(page, "Visa ending 4242: the payment succeeds")
    expect(page.get_by_role("heading", name="You are booked")).to_be_visible()
    stopped, booked = _bookings(live_app, email)
    assert stopped.status is BookingStatus.CANCELLED
    assert booked.status is BookingStatus.CONFIRMED
    assert booked.starts_at == stopped.starts_at  # the same time, held again
    assert booked.screening_outcome is ScreeningOutcome.PROCEED


def test_a_remembered_medicine_is_named_and_changed_on_the_spot(page: Page, live_app):
    _journey(page, live_app, _client_who_took_warfarin(live_app), nth=9, day=2, js=True)


@pytest.mark.parametrize("js", [False])
def test_the_same_journey_without_javascript(browser, live_server, live_app, js):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=js)
    context.set_default_timeout(10_000)
    try:
        _journey(context.new_page(), live_app, _client_who_took_warfarin(live_app),
                 nth=13, day=2, js=js)
    finally:
        context.close()
