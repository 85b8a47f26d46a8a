"""Trust, end to end in Chromium: a verified review goes through moderation, is
reported and hidden; an owner answers another review; an admin verifies a
pending clinic and suspends a user. Each test makes its own clinic and people."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from marketplace.demo.seed import DEMO_PASSWORD
from marketplace.models import ClinicStatus, db
from marketplace.services.reviews.posting import refresh_clinic_rating
from tests.support.a11y import assert_accessible
from tests.support.factories import (
    TEST_PASSWORD,
    create_bookable_clinic,
    create_clinic,
    create_completed_visit,
    create_review,
    create_therapist,
    create_user,
)

ADMIN = "admin@demo.test"
EARLIER = "Ran fifteen minutes late and the room was cold; the massage itself was fine."
MINE = "Firm, careful trigger point work on my neck; I could turn my head the next morning."


@dataclass
class Cast:
    slug: str
    reference: str
    client: str
    owner: str
    reporter: str
    pending_clinic: str
    licence: str
    suspendee: str


@pytest.fixture
def cast(live_app) -> Cast:
    """A published clinic with one earlier 2-star review, a client with a completed
    visit there, a would-be reporter, a pending clinic and a user to suspend."""
    with live_app.app_context():
        b = create_bookable_clinic()
        create_review(create_completed_visit(b, days_ago=20), rating=2, body=EARLIER)
        visit = create_completed_visit(b, days_ago=2)
        pending = create_clinic(status=ClinicStatus.PENDING)
        therapist = create_therapist(pending, licence_number="MA40404", licence_state="FL")
        refresh_clinic_rating(b.clinic.id)
        people = [create_user(), create_user()]
        cast = Cast(
            slug=b.clinic.slug,
            reference=visit.reference,
            client=visit.client.email,
            owner=b.owner.email,
            reporter=people[0].email,
            pending_clinic=pending.name,
            licence=f"{therapist.name}: FL MA40404",
            suspendee=people[1].email,
        )
        db.session.commit()
        db.session.remove()
    return cast


def sign_in(page: Page, email: str, password: str = TEST_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def queue_item(page: Page, text: str):
    return page.locator("article.queue-item", has_text=text)


def test_review_is_moderated_reported_hidden_and_answered(page: Page, cast: Cast, artifacts_dir):
    # The client reviews the completed visit from "My reviews".
    sign_in(page, cast.client)
    page.get_by_role("link", name="My reviews").click()
    page.get_by_role("link", name="Write a review").click()
    page.get_by_role("group", name="Overall").get_by_label("4 out of 5").check()
    page.get_by_role("group", name="Pressure and technique").get_by_label("5 out of 5").check()
    page.get_by_label("Your review").fill(MINE)
    page.get_by_role("button", name="Send review").click()
    expect(page.locator(".flash")).to_contain_text("once a moderator has read it")
    expect(page.locator(".card", has_text=cast.reference)).to_contain_text("Waiting for moderation")
    sign_out(page)

    # An admin approves it in place; the clinic's average now counts it.
    sign_in(page, ADMIN, DEMO_PASSWORD)
    page.get_by_role("link", name="Admin").click()
    page.get_by_role("link", name="Moderation", exact=True).first.click()
    item = queue_item(page, MINE)
    item.get_by_role("button", name="Approve").click()
    expect(item).to_contain_text("Approved: the review is published.")
    expect(page).to_have_url("/admin/moderation")
    page.goto(f"/clinics/{cast.slug}")  # the clinic's profile
    expect(page.locator("[data-rating-average]")).to_have_text("3.0")
    expect(page.locator(".rating-headline")).to_contain_text("from 2 reviews")
    expect(page.locator(".review", has_text=MINE)).to_contain_text("Verified visit")
    expect(page.locator(".profile-header")).to_contain_text("(2 reviews)")
    sign_out(page)

    # Another user reports it, inline.
    sign_in(page, cast.reporter)
    page.goto(f"/clinics/{cast.slug}/reviews")
    review = page.locator(".review", has_text=MINE)
    review.get_by_role("link", name="Report this review").click()
    review.get_by_label("What is wrong with it?").select_option(label="Not about a real visit")
    review.get_by_label("Anything the moderators should know").fill("I work there; no such visit.")
    review.get_by_role("button", name="Send report").click()
    expect(review.get_by_role("status")).to_contain_text("A moderator will look at this review")
    sign_out(page)

    # The admin hides the reported review; the average drops back.
    sign_in(page, ADMIN, DEMO_PASSWORD)
    page.goto("/admin/moderation")
    item = queue_item(page, MINE)
    expect(item).to_contain_text("Reported 1×")
    expect(item).to_contain_text("I work there; no such visit.")
    item.get_by_text("Hide…").click()
    item.get_by_label("Reason for hiding (optional)").fill("Upheld a report of a fake visit.")
    item.get_by_role("button", name="Hide", exact=False).last.click()
    expect(item).to_contain_text("Hidden: the review no longer shows anywhere.")
    page.goto(f"/clinics/{cast.slug}/reviews")
    expect(page.locator("[data-rating-average]")).to_have_text("2.0")
    expect(page.get_by_text(MINE)).to_have_count(0)
    page.goto(f"/clinics/{cast.slug}")
    expect(page.locator("[data-rating-average]")).to_have_text("2.0")
    expect(page.get_by_text(MINE)).to_have_count(0)
    sign_out(page)

    # The owner answers the other review, in place.
    sign_in(page, cast.owner)
    page.goto(f"/owner/clinics/{cast.slug}/reviews")
    earlier = page.locator("article.owner-review", has_text=EARLIER)
    earlier.get_by_label("Your public response").fill("Sorry about the wait; we fixed the heater.")
    earlier.get_by_role("button", name="Publish response").click()
    expect(earlier).to_contain_text("Sent. Your response")
    expect(earlier.locator("form")).to_have_count(0)
    page.goto(f"/clinics/{cast.slug}/reviews")
    expect(page.locator(".review-response")).to_contain_text("we fixed the heater")
    page.screenshot(path=str(artifacts_dir / "reviews-public.png"), full_page=True)


def test_admin_verifies_a_pending_clinic_and_suspends_a_user(
    browser, live_server, page: Page, cast: Cast
):
    # The user to be suspended is signed in elsewhere.
    elsewhere = browser.new_context(base_url=live_server.url)
    their_page = elsewhere.new_page()
    sign_in(their_page, cast.suspendee)

    sign_in(page, ADMIN, DEMO_PASSWORD)
    page.goto("/admin/")
    page.get_by_role("link", name="Clinics to verify").click()
    page.get_by_role("link", name=cast.pending_clinic).click()
    page.get_by_label(cast.licence).check()
    page.get_by_role("button", name=f"Verify and publish {cast.pending_clinic}").click()
    expect(page.locator(".flash")).to_contain_text("is verified and now listed")
    expect(page.get_by_role("cell", name="licence checked on")).to_be_visible()
    page.get_by_role("link", name="Public reviews page").click()
    expect(page.locator(".licence-checks")).to_contain_text("licence checked on")

    page.goto("/admin/users")
    page.get_by_label("Name or e-mail").fill(cast.suspendee)
    page.get_by_role("button", name="Find").click()
    row = page.locator("#user-results tr", has_text=cast.suspendee)
    expect(row).to_have_count(1)
    row.get_by_role("link").click()
    page.get_by_label("Reason").fill("Posting fake reviews from several accounts.")
    page.get_by_role("button", name="Suspend").click()
    expect(page.locator(".flash")).to_contain_text("is suspended and signed out")

    page.goto("/admin/audit?action=user.suspend")
    expect(page.locator(".audit-table")).to_contain_text("user.suspend")

    their_page.reload()
    expect(their_page.get_by_role("link", name="Sign in")).to_be_visible()
    elsewhere.close()


@pytest.mark.parametrize(
    ("who", "paths"),
    [
        (None, ["/clinics/solely-therapeutic-massage/reviews"]),
        (
            "client@demo.test",
            ["/reviews/mine", "/bookings/DEMOB2M4/review", "/bookings/DEMOB2M4/report"],
        ),
        ("owner.solely@demo.test", ["/owner/clinics/solely-therapeutic-massage/reviews"]),
        (
            ADMIN,
            [
                "/admin/",
                "/admin/moderation",
                "/admin/clinics",
                "/admin/claims",
                "/admin/users",
                "/admin/audit",
            ],
        ),
    ],
)
def test_review_and_admin_pages_are_accessible(page: Page, who, paths):
    if who:
        sign_in(page, who, DEMO_PASSWORD)
    for path in paths:
        page.goto(path)
        assert_accessible(page)


def test_a_review_form_with_errors_is_accessible(page: Page):
    sign_in(page, "client@demo.test", DEMO_PASSWORD)
    page.goto("/bookings/DEMOB2M4/review")
    page.get_by_role("button", name="Send review").click()
    page.wait_for_selector(".alert-error")
    assert_accessible(page)
