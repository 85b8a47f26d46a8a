"""The health profile in Chromium: a client fills in their profile, books, finds it
prefilled on the intake step, confirms it is current and shares it with the clinic;
the clinic's owner reads the answers; the client sees that read on their profile page
and withdraws their consent from My bookings; the owner is then told the answers are
withheld. axe on the new pages and states."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from marketplace.models import Clinic, ClinicMember, MemberRole, Role, db
from tests.e2e.test_booking_journey import (
    SOLELY,
    _sign_in,
    booking_of,
    choose_nmt_and_a_time,
    pay,
    webhooks_to_the_live_app,  # noqa: F401  (the payment's webhook reaches the app)
)
from tests.support import factories
from tests.support.a11y import assert_accessible

MEDICINES = "Ibuprofen 200 mg now and then"


def _cast(live_app) -> tuple[str, str, str]:
    """A client and a second owner of Solely (its e-mail), and Solely's name."""
    with live_app.app_context():
        client = factories.create_user()
        owner = factories.create_user(role=Role.OWNER)
        clinic = db.session.scalar(select(Clinic).where(Clinic.slug == SOLELY))
        db.session.add(ClinicMember(clinic=clinic, user=owner, role=MemberRole.OWNER))
        db.session.commit()
        return client.email, owner.email, clinic.name


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name=re.compile("Sign out")).click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_profile_shared_by_consent_then_withdrawn(page: Page, live_app):
    email, owner_email, clinic_name = _cast(live_app)
    _sign_in(page, email)

    # The profile, from account settings.
    page.goto("/account/settings")
    page.get_by_role("link", name="Health profile").click()
    expect(page.get_by_role("heading", name="Health profile", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Medicines you take").fill(MEDICINES)
    page.get_by_label("Anything else your therapist should know").fill("Tight left shoulder")
    page.get_by_role("button", name="Save my health profile").click()
    expect(page.get_by_text("Your health profile is saved")).to_be_visible()
    expect(page.get_by_label("Medicines you take")).to_have_value(MEDICINES)
    assert_accessible(page)

    # Booking: the profile is shown for review, must be confirmed and shared.
    choose_nmt_and_a_time(page, nth=1, day=4)
    page.get_by_role("link", name="Answer the health questions").click()
    expect(page.get_by_text(re.compile("From your health profile, last updated on"))) \
        .to_be_visible()
    expect(page.get_by_label("Medicines you take")).to_have_value(MEDICINES)
    expect(page.get_by_label(re.compile("Keep my health profile up to date"))).to_be_checked()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("still true today")).to_be_visible()
    expect(page.get_by_text(f"Tick this to share your answers with {clinic_name}")) \
        .to_be_visible()
    assert_accessible(page)
    page.get_by_label("These answers are true today").check()
    page.get_by_label(f"Share my answers with {clinic_name} for this booking").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Pay the deposit")).to_be_visible()
    pay(page, "Visa ending 4242: the payment succeeds")
    expect(page.get_by_role("heading", name="You are booked")).to_be_visible()
    reference = booking_of(live_app, email).reference
    _sign_out(page)

    # The owner reads the answers.
    _sign_in(page, owner_email)
    owner_page = f"/owner/clinics/{SOLELY}/bookings/{reference}"
    page.goto(owner_page)
    expect(page.get_by_text(MEDICINES)).to_be_visible()
    _sign_out(page)

    # The client sees the read, and withdraws from the booking's page.
    _sign_in(page, email)
    page.goto("/account/health-profile")
    reads = page.locator("table.reads-log")
    expect(reads).to_contain_text(clinic_name)
    expect(reads).to_contain_text(reference)
    expect(page.get_by_role("button", name=f"Stop sharing with {clinic_name}")).to_be_visible()
    page.goto(f"/bookings/{reference}")
    page.get_by_role("button", name=f"Stop sharing my answers with {clinic_name}").click()
    expect(page.get_by_text("can no longer read your health answers for this booking")) \
        .to_be_visible()
    assert_accessible(page)
    _sign_out(page)

    # The owner no longer sees them.
    _sign_in(page, owner_email)
    page.goto(owner_page)
    expect(page.get_by_text(re.compile("Answers withheld by the client"))).to_be_visible()
    expect(page.get_by_text(MEDICINES)).to_have_count(0)
    assert_accessible(page)
