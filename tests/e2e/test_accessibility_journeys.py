"""Accessibility of the booking journey, step by step, in Chromium on the demo data.

- Keyboard only: a client signs in, picks a service, a day and a time, answers the
  health questions, pays and finds the booking again using nothing but Tab, Enter and
  Space (no mouse, no clicks, no arrow keys); every control they act on shows a focus
  ring; focus stays on the control that htmx re-renders.
- axe-core (WCAG 2.1 A/AA) finds no serious or critical problem at any step, on a
  desktop and on a 390 px phone, including the screening results, a declined card,
  an expired hold, "My bookings", a booking's page, cancelling and moving it.
"""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from marketplace.models import Booking, BookingStatus, db, utcnow
from tests.e2e.test_booking_journey import (
    SOLELY,
    _client,
    _sign_in,
    answer_nothing_to_report,
    booking_of,
    choose_nmt_and_a_time,
    pay,
)
from tests.support import factories
from tests.support.a11y import assert_accessible

IS_FOCUSED = "s => !!document.activeElement && document.activeElement.matches(s)"
FOCUS_STYLE = """() => {
  const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
  return {outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow,
          w: r.width, h: r.height};
}"""


def tab_to(page: Page, selector: str, limit: int = 150) -> None:
    """Press Tab until the focused element matches ``selector``; it must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(IS_FOCUSED, selector):
            style = page.evaluate(FOCUS_STYLE)
            assert min(style["w"], style["h"]) > 0, f"{selector} is focused but not shown"
            ring = style["outline"] != "none" and style["width"] >= 2
            assert ring or style["shadow"] != "none", f"{selector} shows no focus ring"
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def sign_in_by_keyboard(page: Page, email: str) -> None:
    page.goto("/login")
    tab_to(page, "#email")
    page.keyboard.type(email)
    tab_to(page, "#password")
    page.keyboard.type(factories.TEST_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_keyboard_only_booking(page: Page, live_app):
    email = _client(live_app)
    sign_in_by_keyboard(page, email)
    page.goto(f"/clinics/{SOLELY}/book")
    assert_accessible(page)

    tab_to(page, "input[type=radio][name=service]")  # the first service of the group
    service = page.evaluate("() => document.activeElement.value")
    page.keyboard.press("Space")
    expect(page.locator("#therapist")).to_be_visible()  # htmx re-rendered the picker...
    expect(page.locator(f"input[type=radio][value='{service}']")).to_be_focused()  # stayed
    assert_accessible(page)

    tab_to(page, "a.day:not(.day-empty):not([aria-current])")
    day = page.evaluate("() => document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    expect(page.locator(f"a.day[aria-current='date'][href='{day}']")).to_be_visible()
    expect(page.locator("a.day[aria-current='date']")).to_be_focused()
    assert_accessible(page)

    tab_to(page, ".slot-grid .slot")
    label = page.evaluate("() => document.activeElement.innerText.trim()")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/book/[A-Z0-9]{8}$"))
    expect(page.get_by_text(label).first).to_be_visible()
    assert_accessible(page)

    tab_to(page, "a[href$='/intake']")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Does any of this apply to you now?")).to_be_visible()
    assert_accessible(page)
    tab_to(page, "input[name=share_consent]")  # share the answers with the clinic
    page.keyboard.press("Space")
    tab_to(page, "#main button[type=submit]")  # "Continue": nothing to report
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Pay the deposit")).to_be_visible()
    assert_accessible(page)

    tab_to(page, "input[name=card][value=pm_card_visa]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=agree]")
    page.keyboard.press("Space")
    tab_to(page, "#payment-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="You are booked")).to_be_visible()
    assert_accessible(page)
    assert booking_of(live_app, email).status is BookingStatus.CONFIRMED

    tab_to(page, "a[href='/bookings']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My bookings")).to_be_visible()
    assert_accessible(page)
    tab_to(page, "#main h3 a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Cancel booking")).to_be_visible()
    assert_accessible(page)


def test_every_step_and_state_of_booking_is_accessible(page: Page, live_app):
    email = _client(live_app)
    _sign_in(page, email)
    choose_nmt_and_a_time(page, nth=9, day=5)
    assert_accessible(page)  # the hold, with its countdown
    page.get_by_role("link", name="Answer the health questions").click()
    page.get_by_label("Congestive heart failure", exact=False).check()
    page.get_by_label(re.compile("Share my answers with")).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("What to do next").first).to_be_visible()
    assert_accessible(page)  # a screening result that asks for a doctor's clearance
    page.get_by_label("Congestive heart failure", exact=False).uncheck()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Pay the deposit")).to_be_visible()
    pay(page, "Visa ending 0341: the bank declines it")
    expect(page.get_by_role("alert")).to_contain_text("Payment declined")
    assert_accessible(page)  # a declined card
    pay(page, "Visa ending 4242: the payment succeeds")
    expect(page.get_by_role("heading", name="You are booked")).to_be_visible()
    reference = booking_of(live_app, email).reference
    for path, heading in ((f"/bookings/{reference}", "Cancel booking"),
                          (f"/bookings/{reference}/cancel", "Cancel booking"),
                          (f"/bookings/{reference}/reschedule", "Move your booking"),
                          ("/bookings", "My bookings"), ("/account/settings", "Settings"),
                          ("/account/health-profile", "Clinics that can read your answers")):
        page.goto(path)
        expect(page.get_by_text(heading).first).to_be_visible()
        assert_accessible(page)


def test_an_expired_hold_and_a_taken_time_are_accessible(page: Page, live_app):
    email = _client(live_app)
    _sign_in(page, email)
    choose_nmt_and_a_time(page, nth=13, day=5)
    with live_app.app_context():
        booking = db.session.scalars(select(Booking).where(
            Booking.client.has(email=email))).one()
        booking.hold_expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    page.reload()
    expect(page.get_by_role("heading", name="Your hold ran out")).to_be_visible()
    assert_accessible(page)


def test_the_booking_journey_on_a_390px_phone_is_accessible_at_every_step(
        phone_page: Page, live_app):
    page = phone_page
    _sign_in(page, _client(live_app))
    page.goto(f"/clinics/{SOLELY}/book")
    assert_accessible(page)
    choose_nmt_and_a_time(page, nth=15, day=6)
    assert_accessible(page)
    answer_nothing_to_report(page)
    assert_accessible(page)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    pay(page, "Visa ending 4242: the payment succeeds")
    expect(page.get_by_role("heading", name="You are booked")).to_be_visible()
    assert_accessible(page)
    page.goto("/bookings")
    assert_accessible(page)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
