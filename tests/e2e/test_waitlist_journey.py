"""The waitlist in Chromium: a client finds no time on the day they want and joins the
waitlist from the booking page; a visit that day is cancelled and the job runs; the
client follows the link in the offer's e-mail and reaches the health questions of the
time held for them. axe passes on each new page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from marketplace.models import db, utcnow
from marketplace.services import waitlist
from marketplace.services.common.rules import BookingRules
from tests.e2e.test_reviews_and_admin import sign_in
from tests.support.a11y import assert_accessible
from tests.support.factories import create_bookable_clinic, create_user
from tests.support.waitlist import fill_day, free, target_day


def test_a_client_is_offered_a_cancelled_time_and_books_it(page: Page, live_app):
    with live_app.app_context():
        now = utcnow()
        b = create_bookable_clinic()
        day = target_day(b, now)
        freed_id = fill_day(b, day).id
        client = create_user(name="Rosa Waite")
        slug, service_id, email, name = b.clinic.slug, b.service.id, client.email, b.clinic.name
        db.session.commit()
        db.session.remove()

    sign_in(page, email)
    page.goto(f"/clinics/{slug}/book?service={service_id}&date={day.isoformat()}")
    expect(page.get_by_text("No open times on this day.")).to_be_visible()
    page.get_by_role("link", name="Join the waitlist").last.click()
    expect(page.get_by_role("heading", name=f"Join the waitlist at {name}")).to_be_visible()
    expect(page.get_by_label("First day")).to_have_value(day.isoformat())
    assert_accessible(page)
    page.get_by_label("Last day").fill(day.isoformat())
    page.get_by_label("Evening (from 5 PM)").uncheck()
    page.get_by_role("button", name="Join the waitlist").click()
    expect(page.get_by_role("heading", name="Your waitlists")).to_be_visible()
    expect(page.get_by_text("Waiting", exact=True)).to_be_visible()
    assert_accessible(page)

    with live_app.app_context():  # the clinic cancels a visit; cron runs the job
        from marketplace.models import Booking

        free(db.session.get(Booking, freed_id))
        db.session.commit()
        report = waitlist.run(now=utcnow(), rules=BookingRules.from_config(live_app.config))
        assert len(report.offered) == 1
        db.session.remove()

    page.goto("/demo/outbox")
    page.locator("tr", has_text=email).get_by_role(
        "link", name=re.compile("^A time opened up")).first.click()
    text = page.locator(".message-text").inner_text()
    link = re.search(r"https?://[^/\s]+(/waitlist/offers/\S+)", text)
    assert link, text
    page.goto(link.group(1))  # the site's own address (this server's port is its own)
    expect(page.get_by_role("heading", name=f"A time opened up at {name}")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", name="Health questions")).to_be_visible()
    assert re.search(r"/book/[A-Z0-9]+$", page.url)
