"""The owner console in Chromium: a new owner registers and sets up a clinic that an
admin then verifies; the listing is edited in place with htmx and with plain
forms without JavaScript; a change that would strand a booking is refused with
the booking named; the schedule and the CSV export work; the pages pass axe."""

from __future__ import annotations

import csv
import io
import re
import secrets
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from marketplace.demo.seed import DEMO_PASSWORD
from marketplace.models import db, utcnow
from tests.e2e.mailbox import confirm_registration
from tests.e2e.test_reviews_and_admin import sign_in, sign_out
from tests.support.a11y import assert_accessible
from tests.support.factories import create_bookable_clinic, create_booking, create_user

SOLELY = "solely-therapeutic-massage"


def register_owner(page: Page, email: str) -> None:
    page.goto("/register")
    page.get_by_label("Running a clinic").check()
    page.get_by_label("Your name").fill("Nadia Fern")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill("a long and happy password")
    page.get_by_label("Repeat the password").fill("a long and happy password")
    page.get_by_role("button", name="Create account").click()
    confirm_registration(page, email)
    expect(page.get_by_role("heading", name="My clinics")).to_be_visible()


def test_a_new_owner_sets_up_a_clinic_that_an_admin_verifies(page: Page):
    tag = secrets.token_hex(3)
    name = f"Fernwood Trigger Point Rooms {tag}"
    register_owner(page, f"nadia-{tag}@example.com")
    page.get_by_role("link", name="Add a new clinic").click()
    page.get_by_label("Clinic name").fill(name)
    page.get_by_label("About the clinic").fill("Trigger point therapy for desk-job necks.")
    page.get_by_label("Phone").first.fill("727-555-0177")
    page.get_by_label("Street address").fill("250 Central Ave")
    page.get_by_label("ZIP code").fill("33701")
    page.get_by_role("button", name="Create the clinic").click()
    expect(page.get_by_text("Waiting for verification").first).to_be_visible()
    expect(page.get_by_text("(to do)").first).to_be_attached()

    # A therapist, added in place: the list comes back with them, the URL stays.
    page.get_by_role("navigation", name=name).get_by_role("link", name="Therapists").click()
    expect(page.get_by_role("heading", name="Therapists", exact=True)).to_be_visible()
    url = page.url
    add = page.locator("#therapists form").last
    add.get_by_label("Name", exact=True).fill("Ines Calder")
    add.get_by_label("Credentials").fill("LMT, CNMT")
    add.get_by_label("Licence number").fill(f"MA{tag}")
    add.get_by_label("Licensing state").select_option("FL")
    add.get_by_label("Neuromuscular therapy").check()
    add.get_by_role("button", name="Add the therapist").click()
    expect(page.get_by_text("Ines Calder added.")).to_be_visible()
    expect(page.get_by_role("heading", name="Ines Calder")).to_be_visible()
    assert page.url == url

    page.get_by_role("link", name="Services", exact=True).click()
    add = page.locator("#services form").last
    add.get_by_label("Name", exact=True).fill("Neuromuscular therapy, 60 min")
    add.get_by_label("Technique").select_option(label="Neuromuscular therapy")
    add.get_by_label("Price ($)").fill("110")
    add.get_by_label("Ines Calder").check()
    add.get_by_role("button", name="Add the service").click()
    expect(page.get_by_text("$110 for 60 minutes")).to_be_visible()

    page.get_by_role("link", name="Hours", exact=True).click()
    page.get_by_role("link", name="Ines Calder").click()
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        page.get_by_label(day).check()
    page.get_by_label("From", exact=True).fill("09:00")
    page.get_by_label("Until", exact=True).fill("17:00")
    page.get_by_role("button", name="Add these hours").click()
    expect(page.get_by_text("Hours added.")).to_be_visible()
    expect(page.locator(".span-item")).to_have_count(5)

    page.get_by_role("link", name="Overview").click()
    expect(page.get_by_role("heading", name="Ready for clients")).to_be_visible()
    sign_out(page)

    sign_in(page, "admin@demo.test", DEMO_PASSWORD)
    page.goto("/admin/clinics?q=Fernwood")
    page.get_by_role("link", name=name).click()
    page.get_by_label(f"Ines Calder: FL MA{tag}").check()
    page.get_by_role("button", name=f"Verify and publish {name}").click()
    expect(page.get_by_text(f"{name} is verified and now listed.")).to_be_visible()


@pytest.fixture
def booked(live_app):
    """A clinic of its own with an owner, and a confirmed booking next week."""
    with live_app.app_context():
        b = create_bookable_clinic()
        person = create_user(name="Quinn Harlow")
        booking = create_booking(b, starts_at=utcnow().replace(microsecond=0)
                                 + timedelta(days=7), client=person)
        values = (b.owner.email, b.clinic.slug, b.clinic.name, b.therapist.id,
                  b.therapist.name, booking.reference)
        db.session.commit()
        db.session.remove()
    return values


def test_inline_edits_with_htmx_keep_input_and_refuse_stranding(page: Page, booked):
    email, slug, clinic_name, therapist_id, therapist, reference = booked
    from tests.support.factories import TEST_PASSWORD

    sign_in(page, email, TEST_PASSWORD)
    page.goto(f"/owner/clinics/{slug}/therapists")
    item = page.locator(f"#therapist-{therapist_id}")
    item.get_by_role("link", name=f"Edit {therapist}").click()
    form = item.locator("form")
    expect(form).to_be_visible()
    assert page.url.endswith("/therapists")  # edited in place, no navigation
    form.get_by_label("Name", exact=True).fill("")
    form.get_by_label("Short bio").fill("Kept while the name is fixed.")
    form.get_by_role("button", name="Save").click()
    expect(item.get_by_text("This field is required.")).to_be_visible()
    expect(form.get_by_label("Short bio")).to_have_value("Kept while the name is fixed.")
    form.get_by_label("Name", exact=True).fill(therapist)
    form.get_by_label("Takes bookings").uncheck()
    form.get_by_role("button", name="Save").click()
    expect(item.get_by_role("alert")).to_contain_text("cannot be made inactive")
    expect(item.get_by_role("link", name=reference)).to_be_visible()
    item.get_by_role("link", name="Cancel").click()
    expect(item.get_by_role("link", name=f"Edit {therapist}")).to_be_visible()
    assert_accessible(page)


def test_the_listing_works_without_javascript(browser, live_server, booked, artifacts_dir):
    email, slug, _, therapist_id, therapist, _ = booked
    from tests.support.factories import TEST_PASSWORD

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, email, TEST_PASSWORD)
        page.goto(f"/owner/clinics/{slug}/therapists")
        page.locator(f"#therapist-{therapist_id}").get_by_role(
            "link", name=f"Edit {therapist}").click()
        assert page.url.endswith(f"/therapists/{therapist_id}/edit")
        form = page.locator(f"#therapist-{therapist_id} form")
        form.get_by_label("Credentials").fill("LMT, CNMT, NCBTMB")
        form.get_by_role("button", name="Save").click()
        expect(page.get_by_text(f"{therapist} saved.")).to_be_visible()
        assert page.url.endswith("/therapists")
        expect(page.get_by_text("LMT, CNMT, NCBTMB")).to_be_visible()
        page.goto(f"/owner/clinics/{slug}/profile")
        page.get_by_label("Website (optional)").fill("not a web address")
        page.get_by_role("button", name="Save the profile").click()
        expect(page.get_by_text("starting with https://")).to_be_visible()
        expect(page.get_by_label("Website (optional)")).to_have_value("not a web address")
    finally:
        page.screenshot(path=str(artifacts_dir / "owner-no-js-profile.png"), full_page=True)
        context.close()


def test_the_week_the_booking_and_the_csv(page: Page, booked):
    email, slug, _, _, _, reference = booked
    from tests.support.factories import TEST_PASSWORD

    sign_in(page, email, TEST_PASSWORD)
    page.goto(f"/owner/clinics/{slug}/schedule")
    page.get_by_role("link", name="Next week →").click()
    entry = page.locator(".entry-confirmed")
    expect(entry).to_contain_text("Quinn Harlow")
    assert "date=" in page.url  # the week is in the address, so back and reload work
    assert_accessible(page)
    page.get_by_label("Day").check()
    expect(page.locator(".schedule-day")).to_be_visible()
    assert "view=day" in page.url
    page.go_back()
    expect(page.locator(".schedule-day")).to_have_count(0)

    page.goto(f"/owner/clinics/{slug}/bookings/{reference}")
    expect(page.get_by_text("You can mark the visit completed or a no-show once it has started."))\
        .to_be_visible()
    assert_accessible(page)

    page.goto(f"/owner/clinics/{slug}/money")
    assert_accessible(page)
    start = utcnow().date()
    page.get_by_label("From", exact=True).last.fill(start.isoformat())
    page.get_by_label("To", exact=True).last.fill((start + timedelta(days=30)).isoformat())
    with page.expect_download() as download:
        page.get_by_role("button", name="Bookings CSV").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
    assert [r["reference"] for r in rows] == [reference]
    assert rows[0]["client_name"] == "Quinn Harlow"


def test_an_owner_subscribes_to_a_therapists_calendar(page: Page, booked):
    """The address is shown once, reads as a calendar with the booking (a first name and
    an initial), and stops when it is replaced."""
    import icalendar

    from tests.support.factories import TEST_PASSWORD

    email, slug, _, therapist_id, therapist, reference = booked
    sign_in(page, email, TEST_PASSWORD)
    page.goto(f"/owner/clinics/{slug}")
    page.get_by_role("link", name="Calendar", exact=True).click()
    row = page.locator(f"#feed-{therapist_id}")
    row.get_by_role("button", name="Make an address").click()
    address = row.get_by_label("Your calendar address")
    expect(address).to_be_visible()
    url = address.input_value()
    assert_accessible(page)
    feed = page.request.get(url)
    assert feed.ok
    assert feed.headers["content-type"].startswith("text/calendar")
    (event,) = icalendar.Calendar.from_ical(feed.body()).walk("VEVENT")
    assert str(event["SUMMARY"]).endswith(": Quinn H.")
    assert reference in str(event["DESCRIPTION"])

    page.reload()  # shown once: a reload shows that it is on, not the address
    expect(row.get_by_label("Your calendar address")).to_have_count(0)
    expect(row.get_by_text("last read by a calendar")).to_be_visible()
    row.get_by_role("button", name="Replace the address").click()
    newer = row.get_by_label("Your calendar address").input_value()
    assert newer != url
    assert page.request.get(url).status == 404
    assert page.request.get(newer).ok


def test_a_seed_owner_sees_their_week_on_a_phone(phone_page: Page):
    sign_in(phone_page, "owner.solely@demo.test", DEMO_PASSWORD)
    phone_page.goto(f"/owner/clinics/{SOLELY}/schedule")
    expect(phone_page.get_by_role("heading", name="Danielle Ortiz")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the schedule is {width}px wide on a 390px phone"
    phone_page.goto(f"/owner/clinics/{SOLELY}")
    expect(phone_page.get_by_role("heading", name="Coming up")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize(
    "path",
    ["", "/schedule?view=day", "/profile", "/policy", "/locations", "/services", "/hours",
     "/promotions", "/reviews", "/calendar"],
)
def test_the_console_pages_are_accessible(page: Page, path):
    sign_in(page, "owner.cmt@demo.test", DEMO_PASSWORD)
    page.goto(f"/owner/clinics/center-for-massage-therapy{path}")
    expect(page.get_by_role("navigation", name="Center for Massage Therapy")).to_be_visible()
    assert_accessible(page)


def test_the_booking_page_leaves_nothing_in_htmx_history(page: Page, booked):
    """Navigating away from the booking page (hx-boost) keeps no snapshot of it in the
    browser storage where htmx caches pages for the back button (sessionStorage in
    htmx 2, localStorage in 1); other pages are kept."""
    email, slug, _, _, _, reference = booked
    from tests.support.factories import TEST_PASSWORD

    sign_in(page, email, TEST_PASSWORD)
    page.goto(f"/owner/clinics/{slug}/bookings/{reference}")
    expect(page.get_by_text("Quinn Harlow").first).to_be_visible()
    page.get_by_role("link", name="Policy", exact=True).click()  # boosted, away from it
    expect(page).to_have_url(re.compile("/policy$"))
    page.get_by_role("link", name="Services", exact=True).click()  # boosted: policy is kept
    expect(page).to_have_url(re.compile("/services$"))
    cache = page.evaluate("() => (sessionStorage.getItem('htmx-history-cache') || '[]')"
                          " + (localStorage.getItem('htmx-history-cache') || '[]')")
    assert f"/clinics/{slug}/policy" in cache  # htmx does keep ordinary pages
    assert f"/bookings/{reference}" not in cache
    assert "Quinn Harlow" not in cache
