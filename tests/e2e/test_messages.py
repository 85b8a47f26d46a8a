"""Messages in Chromium: a client asks a clinic a question from its profile, the owner
answers in the console (in place, with htmx), and the client reads the answer; every new
page passes axe on the way."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from marketplace.models import db
from tests.support.a11y import assert_accessible
from tests.support.factories import TEST_PASSWORD, create_bookable_clinic, create_user

QUESTION = "My right shoulder has been frozen for a month.\nCan neuromuscular therapy help?"
ANSWER = "Yes: we start gently and see how the shoulder responds. Book a 60-minute session."


@pytest.fixture
def cast(live_app) -> dict:
    with live_app.app_context():
        b = create_bookable_clinic()
        client = create_user()
        cast = {"slug": b.clinic.slug, "name": b.clinic.name, "owner": b.owner.email,
                "client": client.email, "client_name": client.name}
        db.session.commit()
        db.session.remove()
    return cast


def sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_a_question_from_the_profile_is_answered_in_the_console(page: Page, cast: dict):
    sign_in(page, cast["client"])
    page.goto(f"/clinics/{cast['slug']}")
    page.get_by_role("link", name="Ask a question").click()
    expect(page.get_by_role("heading", name=f"Ask {cast['name']} a question")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send").click()  # empty: told, nothing sent
    expect(page.locator(".ask-form")).to_contain_text("Write a message before sending it.")
    page.get_by_label("Subject (optional)").fill("Frozen shoulder")
    page.get_by_label("Your question").fill(QUESTION)
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".flash")).to_contain_text("Your message is sent.")
    expect(page.locator(".message-body").last).to_have_text(QUESTION)
    assert_accessible(page)
    sign_out(page)

    sign_in(page, cast["owner"])
    page.goto(f"/owner/clinics/{cast['slug']}/messages")
    expect(page.locator(".owner-nav")).to_contain_text("Messages 1 unread")
    assert_accessible(page)
    page.get_by_role("link", name=cast["client_name"]).click()
    expect(page.locator(".message-body").first).to_have_text(QUESTION)
    expect(page.locator(".owner-nav")).not_to_contain_text("unread")
    assert_accessible(page)
    url = page.url
    page.get_by_label("Your message").fill(ANSWER)
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#conversation [role=status]")).to_have_text("Sent.")
    expect(page.locator(".message-body").last).to_have_text(ANSWER)
    expect(page.get_by_label("Your message")).to_have_value("")
    assert page.url == url  # answered in place
    sign_out(page)

    sign_in(page, cast["client"])
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Messages 1 unread")).to_be_visible()
    nav.get_by_role("link", name="Messages").click()
    assert_accessible(page)
    page.get_by_role("link", name=cast["name"]).click()
    expect(page.locator(".message-body").last).to_have_text(ANSWER)
    expect(nav.get_by_role("link", name="Messages", exact=True)).to_be_visible()
    assert_accessible(page)
