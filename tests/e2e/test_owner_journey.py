"""The whole owner journey in Chromium: a new owner registers and creates a clinic
with a therapist, a service and hours; an admin verifies and publishes it; a
client finds it, books, answers the health questions (a doctor's clearance) and
pays; the owner sees the booking in the week view with its screening outcome,
marks the visit completed once it has happened, and exports the CSV."""

from __future__ import annotations

import csv
import io
import re
import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from marketplace.demo.seed import DEMO_PASSWORD
from marketplace.models import Booking, db, utcnow
from tests.e2e.test_booking_journey import booking_of, pay, register_from_the_flow
from tests.e2e.test_owner_console import register_owner
from tests.e2e.test_reviews_and_admin import sign_in, sign_out


def create_listing(page: Page, name: str, licence: str) -> str:
    """From "My clinics": a clinic with one therapist, one service and weekday hours."""
    page.get_by_role("link", name="Add a new clinic").click()
    page.get_by_label("Clinic name").fill(name)
    page.get_by_label("About the clinic").fill("Neuromuscular therapy for runners and desks.")
    page.get_by_label("Phone").first.fill("727-555-0166")
    page.get_by_label("Street address").fill("360 Central Ave")
    page.get_by_label("ZIP code").fill("33701")
    page.get_by_role("button", name="Create the clinic").click()
    expect(page.get_by_text("Waiting for verification").first).to_be_visible()
    slug = page.url.rstrip("/").rsplit("/", 1)[-1]
    page.goto(f"/owner/clinics/{slug}/therapists")
    add = page.locator("#therapists form").last
    add.get_by_label("Name", exact=True).fill("Theo Marsh")
    add.get_by_label("Credentials").fill("LMT, CNMT")
    add.get_by_label("Licence number").fill(licence)
    add.get_by_label("Licensing state").select_option("FL")
    add.get_by_label("Neuromuscular therapy").check()
    add.get_by_role("button", name="Add the therapist").click()
    expect(page.get_by_text("Theo Marsh added.")).to_be_visible()
    page.goto(f"/owner/clinics/{slug}/services")
    add = page.locator("#services form").last
    add.get_by_label("Name", exact=True).fill("Neuromuscular therapy, 60 minutes")
    add.get_by_label("Technique").select_option(label="Neuromuscular therapy")
    add.get_by_label("Price ($)").fill("100")
    add.get_by_label("Theo Marsh").check()
    add.get_by_role("button", name="Add the service").click()
    expect(page.get_by_text("$100 for 60 minutes")).to_be_visible()
    page.goto(f"/owner/clinics/{slug}/hours")
    page.get_by_role("link", name="Theo Marsh").click()
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        page.get_by_label(day).check()
    page.get_by_label("From", exact=True).fill("09:00")
    page.get_by_label("Until", exact=True).fill("18:00")
    page.get_by_role("button", name="Add these hours").click()
    expect(page.get_by_text("Hours added.")).to_be_visible()
    return slug


def book_with_clearance(page: Page, slug: str, name: str, email: str) -> None:
    """A new client finds the clinic, books its service and pays the deposit."""
    page.goto("/search")
    page.get_by_label("Technique, condition, clinic or therapist").fill(name)
    page.locator("#search-form").get_by_role("button", name="Search").click()
    result = page.locator("#results").get_by_role("link", name=name, exact=True)
    expect(result).to_be_visible()
    expect(page.locator(".htmx-request")).to_have_count(0)  # typing's search has answered too
    result.click()
    expect(page).to_have_url(re.compile(rf"/clinics/{slug}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    page.get_by_role("link", name="Book a visit").click()
    expect(page).to_have_url(re.compile(rf"/clinics/{slug}/book"))
    page.get_by_label("Neuromuscular therapy, 60 minutes", exact=False).first.check()
    if page.get_by_role("button", name="Show open times").is_visible():
        page.get_by_role("button", name="Show open times").click()
    open_days = page.locator(".day:not(.day-empty)")
    expect(open_days.first).to_be_visible()
    open_days.nth(min(2, open_days.count() - 1)).click()
    page.locator(".slot-grid .slot").first.click()
    expect(page).to_have_url(re.compile(r"/book/[A-Z0-9]{8}$"))
    register_from_the_flow(page, email)
    page.get_by_role("link", name="Answer the health questions").click()
    page.get_by_label("Kidney (renal) disease").check()
    page.get_by_label(re.compile("Share my answers with")).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("My doctor has cleared me for massage").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Pay the deposit")).to_be_visible()
    pay(page, "Visa ending 4242")
    expect(page.get_by_role("heading", name="You are booked")).to_be_visible()


def the_visit_happens(live_app, booking_id: int) -> None:
    """Time passes: the visit moves to an hour ago, as if the day had come."""
    with live_app.app_context():
        booking = db.session.get(Booking, booking_id)
        shift = (utcnow() - timedelta(hours=1)) - booking.starts_at
        for column in ("starts_at", "ends_at", "blocked_from", "blocked_until"):
            setattr(booking, column, getattr(booking, column) + shift)
        db.session.commit()
        db.session.remove()


def test_register_list_publish_book_see_mark_and_export(page: Page, live_app):
    tag = secrets.token_hex(3)
    name = f"Marsh Trigger Point Studio {tag}"
    owner_email = f"owner-{tag}@example.com"
    register_owner(page, owner_email)
    slug = create_listing(page, name, licence=f"MA{tag}")
    sign_out(page)

    sign_in(page, "admin@demo.test", DEMO_PASSWORD)
    page.goto(f"/admin/clinics?q={tag}")
    page.get_by_role("link", name=name).click()
    page.get_by_label(f"Theo Marsh: FL MA{tag}").check()
    page.get_by_role("button", name=f"Verify and publish {name}").click()
    expect(page.get_by_text(f"{name} is verified and now listed.")).to_be_visible()
    sign_out(page)

    client_email = f"client-{tag}@example.com"
    book_with_clearance(page, slug, name, client_email)
    booking = booking_of(live_app, client_email)
    sign_out(page)

    sign_in(page, owner_email, "a long and happy password")
    local_day = booking.starts_at.astimezone(ZoneInfo(booking.timezone))
    page.goto(f"/owner/clinics/{slug}/schedule?date={local_day.date().isoformat()}")
    entry = page.locator(".entry-confirmed")
    expect(entry).to_contain_text("Robin Tester")
    expect(entry).to_contain_text("doctor's clearance needed (confirmed)")
    entry.get_by_role("link").click()
    expect(page.get_by_role("heading", name=f"Booking {booking.reference}")).to_be_visible()
    expect(page.get_by_text("Kidney (renal) disease", exact=True)).to_be_visible()
    expect(page.get_by_text("The client confirmed they have it.")).to_be_visible()

    the_visit_happens(live_app, booking.id)
    page.reload()
    page.get_by_role("button", name="Mark completed").click()
    expect(page.get_by_text(f"Booking {booking.reference} marked completed.")).to_be_visible()
    expect(page.locator("#booking-status .badge")).to_have_text("Completed")

    page.get_by_role("link", name="Money").click()
    today = utcnow().date()
    page.get_by_label("From", exact=True).last.fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("To", exact=True).last.fill((today + timedelta(days=1)).isoformat())
    with page.expect_download() as download:
        page.get_by_role("button", name="Bookings CSV").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
    assert [(r["reference"], r["status"], r["screening_outcome"], r["deposit_paid"])
            for r in rows] == [(booking.reference, "completed", "clearance", "20.00")]
    assert rows[0]["client_email"] == client_email
