"""A client who wants a session in Spanish at a clinic with a pregnancy table filters
for both in a real browser (htmx updating the results and the URL in place), and the
profile shows the language and the amenity."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.support.a11y import assert_accessible

SOLELY = "Solely Therapeutic Massage"


def test_filter_by_language_and_amenity_then_see_them_on_the_profile(page: Page):
    page.goto("/search?near=33701&radius_mi=10")
    page.evaluate("document.body.dataset.marker = 'same-page'")  # gone after a full load
    page.get_by_text("Language and amenities").click()
    page.get_by_label("Language", exact=True).select_option("es")
    expect(page).to_have_url(re.compile(r"language=es"))
    page.get_by_label("Pregnancy table or bolsters").check()
    expect(page).to_have_url(re.compile(r"amenity=pregnancy-support"))
    expect(page.locator(".result-count")).to_contain_text(
        "with sessions in Spanish offering pregnancy table or bolsters")
    card = page.locator("#results .result").filter(has_text=SOLELY)
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Also speaks")
    assert page.evaluate("document.body.dataset.marker") == "same-page"
    assert_accessible(page)
    card.get_by_role("link", name=SOLELY, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SOLELY)
    facts = page.locator("#languages-amenities")
    expect(facts).to_contain_text("Spanish")
    expect(facts).to_contain_text("Pregnancy table or bolsters")
