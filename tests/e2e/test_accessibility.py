"""axe-core finds no serious or critical WCAG 2.1 AA problem on the public pages."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.a11y import assert_accessible


@pytest.mark.parametrize("path", [
    "/", "/search?q=trigger+point&near=33701&radius_mi=25", "/search?near=00000",
    "/login", "/register", "/password/forgot", "/no/such/page",
])
def test_public_pages_are_accessible(page: Page, path):
    page.goto(path)
    assert_accessible(page)


def test_a_form_with_errors_is_accessible(page: Page):
    page.goto("/register")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_selector(".alert-error")
    assert_accessible(page)


def test_keyboard_only_sign_in(page: Page):
    from marketplace.demo.seed import DEMO_PASSWORD

    page.goto("/login")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # brand
    page.locator("#email").focus()
    page.keyboard.type("client@demo.test")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/login"))
