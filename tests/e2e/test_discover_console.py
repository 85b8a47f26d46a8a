"""The search page and the compare flow run clean under the strict CSP: no policy
violation (inline styles included, htmx's own among them) and nothing in the console,
not even for the fourth clinic the compare tray refuses."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

# Installed before any page script: every CSP violation the page causes, as text.
CSP_PROBE = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "") + " "
    + (e.sample || "") + " at " + e.sourceFile + ":" + e.lineNumber);
}, true);
"""


@pytest.fixture
def strict_page(browser, live_server):
    """A page that records CSP violations and every console error or warning."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280,
                                                                      "height": 900})
    context.set_default_timeout(10_000)
    context.add_init_script(CSP_PROBE)
    page = context.new_page()
    page.console_problems = []
    page.on("console", lambda msg: page.console_problems.append(f"{msg.type}: {msg.text}")
            if msg.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: page.console_problems.append(f"pageerror: {exc}"))
    yield page
    context.close()


def assert_clean(page: Page) -> None:
    violations = page.evaluate("window.__cspViolations")
    assert violations == [], f"CSP violations: {violations}"
    assert page.console_problems == [], f"console: {page.console_problems}"


def test_the_search_page_keeps_to_the_content_security_policy(strict_page: Page):
    page = strict_page
    page.goto("/search?q=trigger+point&near=33701&radius_mi=25")
    expect(page.locator("#results .result").first).to_be_visible()
    page.get_by_label("Sort by").select_option("price")
    expect(page).to_have_url(re.compile(r"sort=price"))
    expect(page.locator("#results .result-count")).to_contain_text("price per 60 minutes")
    page.get_by_label("Technique, condition, clinic or therapist").fill("myofascial")
    expect(page).to_have_url(re.compile(r"q=myofascial"))
    page.get_by_text("Price, date and rating").click()
    expect(page.get_by_label("Open slot on")).to_be_visible()
    page.get_by_label("Near", exact=True).fill("Denver, CO")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results .result-count")).to_contain_text("of Denver, CO")
    assert_clean(page)


def test_comparing_and_a_fourth_clinic_log_nothing(strict_page: Page):
    page = strict_page
    page.goto("/search?technique=neuromuscular-therapy&near=33701&radius_mi=25")
    toggles = page.locator("#results .compare-toggle button")
    for i in range(3):
        toggles.nth(i).click()
        expect(toggles.nth(i)).to_contain_text("In comparison")
    toggles.nth(3).click()
    refusal = page.locator("#results .compare-toggle").nth(3)
    expect(refusal).to_contain_text("You can compare up to 3 clinics")
    expect(refusal.locator("[role=alert], [aria-live]").first).to_be_attached()
    page.get_by_role("link", name="Compare 3 clinics").click()
    expect(page).to_have_url(re.compile(r"technique=neuromuscular-therapy&near=33701"))
    expect(page.locator(".compare-table")).to_contain_text("nearest")
    page.wait_for_load_state("load")  # htmx listens for the change only once it has started
    page.get_by_label("Price per 60 minutes for").select_option("myofascial-release")
    expect(page).to_have_url(re.compile(r"technique=myofascial-release"), timeout=15_000)
    assert_clean(page)
