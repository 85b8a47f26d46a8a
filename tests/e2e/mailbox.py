"""Following the link in a registration e-mail, as a person would in the demo: open
the demo outbox, open the newest message to that address, and go to its link."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.support.a11y import assert_accessible


def confirm_registration(page: Page, email: str, *, audit: bool = True) -> None:
    """After "Create account": check the inbox (the demo outbox) and open the link, in
    this browser, so whatever was held here carries on. ``audit`` runs axe on the
    link's page (it needs JavaScript: pass False in a browser without it)."""
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    page.get_by_role("link", name="demo outbox").click()
    row = page.locator("tr", has_text=email).first
    row.get_by_role("link", name=re.compile("Confirm your .* account")).click()
    text = page.locator(".message-text").inner_text()
    link = re.search(r"https?://\S+/register/welcome/\S+", text)
    assert link, text
    page.goto(link.group(0))
    expect(page.get_by_role("heading", name=re.compile("^Welcome"))).to_be_visible()
    if audit:
        assert_accessible(page)
    page.get_by_role("button", name="Confirm and continue").click()
