"""A treatment series in Chromium on the demo data: a signed-in client reads Solely
Therapeutic Massage's series on its profile, buys it with the offline test card (the
rules acknowledged first), plans "Book the course" every week with one therapist, holds
all four visits at once, answers the health questions once for the first visit and
books the whole course; My bookings shows the series with no session left. The series
pages pass axe on a desktop and on a 390 px phone (no sideways scrolling)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from marketplace.models import BookingStatus, SeriesPurchase, User, db, utcnow
from marketplace.services.common.local_time import zone
from marketplace.services.common.rules import BookingRules
from marketplace.services.series import course, sessions
from tests.e2e.test_booking_journey import (
    SOLELY,
    _client,
    _sign_in,
    webhooks_to_the_live_app,  # noqa: F401 - localstripe reports payments to the live app
)
from tests.support.a11y import assert_accessible


def _series_of(live_app, email: str) -> SeriesPurchase:
    with live_app.app_context():
        row = db.session.scalars(select(SeriesPurchase).join(User, User.id ==
                                 SeriesPurchase.client_id).where(User.email == email)).one()
        db.session.expunge_all()
        return row


def _an_open_weekly_course(live_app, reference: str) -> tuple[str, str, str]:
    """(therapist name, local day, local time) of a weekly pattern whose four visits are
    all open, found with the same engine the page uses."""
    with live_app.app_context():
        row = db.session.scalar(select(SeriesPurchase).where(
            SeriesPurchase.reference == reference))
        now, rules = utcnow(), BookingRules.from_config(live_app.config)
        for therapist in (t for t in row.service.therapists if t.active):
            for days in range(1, 20):
                for hour in (10, 11, 13, 14, 15, 16, 17, 18):
                    local = (now.astimezone(zone(row.timezone)) + timedelta(days=days)).replace(
                        hour=hour, minute=0, second=0, microsecond=0)
                    try:
                        plan = course.plan(row, therapist_id=therapist.id,
                                           first_start=local.astimezone(now.tzinfo),
                                           every_days=7, now=now, rules=rules)
                    except Exception:  # noqa: BLE001, S112 - past the horizon: try another
                        continue
                    if plan.complete:
                        return therapist.name, local.date().isoformat(), f"{hour:02d}:00"
    raise AssertionError("no open weekly course in the demo data")


def _phone_pages(phone_page: Page, email: str, reference: str) -> None:
    _sign_in(phone_page, email)
    for path in (f"/series/{reference}", f"/series/{reference}/course", "/bookings"):
        phone_page.goto(path)
        expect(phone_page.locator("h1")).to_be_visible()
        width = phone_page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways ({width}px)"
        assert_accessible(phone_page)


@pytest.mark.usefixtures("webhooks_to_the_live_app")
def test_buying_a_series_and_booking_the_course(page: Page, phone_page: Page, live_app):
    email = _client(live_app)
    _sign_in(page, email)
    page.goto(f"/clinics/{SOLELY}")
    series = page.locator("#series")
    expect(series.get_by_text("Save $40")).to_be_visible()
    series.get_by_role("link", name=re.compile("Buy this series")).first.click()
    expect(page.get_by_role("heading", name="The rules you buy under")).to_be_visible()
    expect(page.get_by_text("uses the session up")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Visa ending 4242: the payment succeeds").check()
    page.get_by_role("button", name=re.compile("Pay .* for the series")).click()
    expect(page.get_by_text("Please confirm you have read the rules")).to_be_visible()
    page.get_by_label("Visa ending 4242: the payment succeeds").check()
    # the card form (the gift card form below has a box of its own)
    page.locator("form.payment-form").get_by_label(
        "I have read the rules of this series above").check()
    page.get_by_role("button", name=re.compile("Pay .* for the series")).click()
    expect(page.get_by_role("heading", name="Your series at Solely Therapeutic Massage")) \
        .to_be_visible()
    expect(page.get_by_text("the series is paid")).to_be_visible()
    assert_accessible(page)
    reference = _series_of(live_app, email).reference

    page.get_by_role("link", name="Book the course").click()
    expect(page.get_by_role("heading", name="Book the course")).to_be_visible()
    assert_accessible(page)
    therapist, day, time = _an_open_weekly_course(live_app, reference)
    page.get_by_label("Therapist").select_option(label=therapist)
    page.get_by_label("First visit").fill(day)
    page.get_by_label("At", exact=True).fill(time)
    page.get_by_label("Every week").check()
    page.get_by_role("button", name="Find the times").click()
    expect(page.get_by_role("button", name="Hold all 4 visits")).to_be_visible()
    assert "/course?" in page.url  # the plan has its own address
    assert_accessible(page)
    page.get_by_role("button", name="Hold all 4 visits").click()
    expect(page.get_by_role("heading", name="Your course, held for you")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Answer the health questions").click()
    expect(page.get_by_text("Does any of this apply to you now?")).to_be_visible()
    page.get_by_label(re.compile("Share my answers with")).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Confirm your booking")).to_be_visible()
    expect(page.get_by_text(re.compile("pays for this visit: no deposit"))).to_be_visible()
    page.goto(f"/series/{reference}")
    page.get_by_role("button", name="Book the course").click()
    expect(page.get_by_text("Your course is booked: 4 visits")).to_be_visible()
    with live_app.app_context():
        row = db.session.scalar(select(SeriesPurchase).where(
            SeriesPurchase.reference == reference))
        assert [b.status for b in row.bookings] == [BookingStatus.CONFIRMED] * 4
        assert sessions.sessions_left(row, utcnow()) == 0
    page.goto("/bookings")
    expect(page.get_by_role("heading", name="Your treatment series")).to_be_visible()
    expect(page.locator("#series").get_by_text("0 of 4 sessions left", exact=False)) \
        .to_be_visible()
    _phone_pages(phone_page, email, reference)
