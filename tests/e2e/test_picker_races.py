"""A client who chooses a time while another day is still loading gets their hold, and
the late answer for that day cannot take the page or the address bar back."""

from __future__ import annotations

import contextlib
import re

import pytest
from playwright.sync_api import Error, Page, expect

from tests.e2e.test_booking_journey import SOLELY


@pytest.fixture
def page(browser, live_server):
    """A page whose console may report the one request htmx cancels here, and nothing else."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    cancelled = ("htmx:sendAbort", "htmx:afterRequest")  # the day's load, given up on purpose
    assert [e for e in errors if not e.startswith(cancelled)] == []


def test_a_time_chosen_while_a_day_loads_wins_over_the_late_day(page: Page):
    page.goto(f"/clinics/{SOLELY}/book")
    page.get_by_label("Therapeutic massage with neuromuscular therapy", exact=False).first.check()
    slots = page.locator(".slot-grid .slot")
    expect(slots.first).to_be_visible()
    held_back = []
    page.route(re.compile(r".*/book\?.*date=.*"),
               lambda route: held_back.append(route))  # the day's answer waits
    page.locator(".day:not(.day-empty):not([aria-current])").first.click()
    for _ in range(100):  # until the day's request is caught (route handlers run here)
        if held_back:
            break
        page.wait_for_timeout(50)
    assert len(held_back) == 1
    slots.first.click()  # a time of the day still shown
    expect(page).to_have_url(re.compile(r"/book/[A-Z0-9]{8}$"))
    with contextlib.suppress(Error):  # htmx already gave up on it
        held_back[0].continue_()
    page.wait_for_timeout(500)
    expect(page).to_have_url(re.compile(r"/book/[A-Z0-9]{8}$"))
    expect(page.get_by_text("Sign in to continue")).to_be_visible()
