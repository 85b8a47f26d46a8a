"""Finding and choosing a clinic in a real browser: search by condition and ZIP,
filters with and without JavaScript, the back button, profiles, comparing three
clinics, and the seed clinics where the product says they must be."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.a11y import assert_accessible

SOLELY = "Solely Therapeutic Massage"
CMT = "Center for Massage Therapy"


def results(page: Page):
    return page.locator("#results .result")


def result_names(page: Page) -> list[str]:
    return page.locator("#results .result-title").all_inner_texts()


def test_search_by_condition_and_zip(page: Page):
    page.goto("/")
    page.get_by_role("link", name="Sciatica (soft-tissue / piriformis)").click()
    expect(page).to_have_url(re.compile(r"/search\?condition=sciatica"))
    page.get_by_label("Near", exact=True).fill("33701")
    page.get_by_label("Near", exact=True).press("Enter")
    expect(page).to_have_url(re.compile(r"near=33701"))
    expect(page.locator(".condition-note")).to_contain_text(
        "For sciatica (soft-tissue / piriformis), clinics offering")
    expect(page.locator(".condition-note")).to_contain_text("neuromuscular therapy (NMT)")
    expect(results(page).filter(has_text=SOLELY)).to_have_count(1)
    expect(results(page).first).to_contain_text("mi away")
    assert_accessible(page)


@pytest.mark.parametrize("query", ["technique=neuromuscular-therapy", "q=trigger+point"])
def test_solely_is_found_for_nmt_within_ten_miles_of_33701(page: Page, query):
    page.goto(f"/search?{query}&near=33701&radius_mi=10")
    assert SOLELY in result_names(page)
    expect(page.locator(".result-count")).to_contain_text("within 10 miles of 33701")


def test_the_denver_clinic_is_found_near_80210(page: Page):
    page.goto("/search?near=80210")
    assert CMT in result_names(page)


def test_filtering_with_javascript_updates_results_and_url_in_place(page: Page):
    page.goto("/search?near=33701&radius_mi=25")
    before = page.locator(".result-count").inner_text()
    page.evaluate("document.body.dataset.marker = 'same-page'")  # gone after a full load
    page.get_by_label("Technique", exact=True).select_option("cupping")
    expect(page).to_have_url(re.compile(r"technique=cupping"))
    expect(page.locator(".result-count")).not_to_have_text(before)
    assert page.evaluate("document.body.dataset.marker") == "same-page"
    assert "=&" not in page.url
    assert not page.url.endswith("=")
    for card in results(page).all():
        expect(card).to_contain_text("Cupping")
    page.get_by_text("Price, date and rating").click()
    page.get_by_label("Max price per 60 min ($)").fill("100")
    page.get_by_label("Max price per 60 min ($)").press("Tab")
    expect(page).to_have_url(re.compile(r"max_price=100"))
    assert page.evaluate("document.body.dataset.marker") == "same-page"
    assert_accessible(page)


def test_filtering_without_javascript(browser, live_server, artifacts_dir):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/search")
    page.get_by_label("Near", exact=True).fill("80210")
    page.get_by_label("Technique", exact=True).select_option("neuromuscular-therapy")
    page.get_by_label("Sort by").select_option("price")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"near=80210.*technique=neuromuscular-therapy"))
    assert CMT in result_names(page)
    prices = [int(re.sub(r"\D", "", p.split(".")[0])) for p in
              page.locator(".result .price").all_inner_texts()]
    assert prices == sorted(prices)
    page.get_by_label("Near", exact=True).fill("00000")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".alert-error")).to_contain_text("do not know the ZIP code 00000")
    expect(page.get_by_label("Near", exact=True)).to_have_value("00000")  # what was typed is kept
    page.screenshot(path=str(artifacts_dir / "search-no-js.png"), full_page=True)
    context.close()


def test_the_back_button_after_filtering(page: Page):
    page.goto("/search?near=33701")
    all_nearby = page.locator(".result-count").inner_text()
    page.get_by_label("Condition", exact=True).select_option("plantar-fasciitis")
    expect(page).to_have_url(re.compile(r"condition=plantar-fasciitis"))
    filtered = page.locator(".result-count").inner_text()
    assert filtered != all_nearby
    page.go_back()
    expect(page).to_have_url(re.compile(r"/search\?near=33701$"))
    expect(page.locator(".result-count")).to_have_text(all_nearby)
    expect(page.get_by_label("Condition", exact=True)).to_have_value("")
    page.go_forward()
    expect(page).to_have_url(re.compile(r"condition=plantar-fasciitis"))
    expect(page.locator(".result-count")).to_have_text(filtered)
    expect(page.get_by_label("Condition", exact=True)).to_have_value("plantar-fasciitis")


def test_opening_a_profile(page: Page):
    page.goto("/search?technique=neuromuscular-therapy&near=33701&radius_mi=10")
    page.get_by_role("link", name=SOLELY).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SOLELY)
    expect(page.locator('a[href="tel:7272795205"]').first).to_be_visible()
    expect(page.locator("#services")).to_contain_text("$115")
    expect(page.locator("#policy")).to_contain_text("at least 24 hours (1 day) before")
    slots = page.locator("#slots-list .slot")
    expect(slots.first).to_be_visible()
    expect(page.locator("#slots-list")).to_contain_text(re.compile(r"E[SD]T"))
    first_service = page.locator("#slots-list p").first.inner_text()
    page.get_by_label("Service", exact=True).select_option(label="Swedish massage (60 min)")
    expect(page.locator("#slots-list p").first).not_to_have_text(first_service)
    expect(page.locator("#slots-list")).to_contain_text("Swedish massage")
    expect(page).to_have_url(re.compile(r"service=\d+"))
    expect(page.locator("#reviews")).to_contain_text("Verified visit")
    page.locator("#therapists").get_by_role("link").first.click()
    expect(page.locator("h1")).to_contain_text("LMT")
    assert_accessible(page)


def test_comparing_three_clinics(page: Page):
    page.goto("/search?technique=neuromuscular-therapy&near=33701&radius_mi=25")
    toggles = page.locator("#results .compare-toggle button")
    names = result_names(page)[:4]
    for i in range(3):
        toggles.nth(i).click()
        expect(toggles.nth(i)).to_contain_text("In comparison")
    expect(page.locator("#compare-tray")).to_contain_text("(3 of 3)")
    toggles.nth(3).click()
    expect(page.locator("#results .compare-toggle").nth(3)).to_contain_text(
        "You can compare up to 3 clinics")
    # The tray follows to another page.
    page.get_by_role("link", name=names[0]).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(names[0])
    expect(page.locator("#compare-tray")).to_contain_text("(3 of 3)")
    page.get_by_role("link", name="Compare 3 clinics").click()
    expect(page).to_have_url(re.compile(r"/compare\?c=.+&c=.+&c=.+"))
    table = page.locator(".compare-table")
    for name in names[:3]:
        expect(table).to_contain_text(name)
    for row in ("Price per 60 minutes", "First open slot", "Deposit", "Cancellation window",
                "Rating", "Techniques offered", "Therapists and credentials"):
        expect(table.get_by_role("rowheader", name=re.compile(row))).to_be_visible()
    page.get_by_label("Price per 60 minutes for").select_option("neuromuscular-therapy")
    expect(page).to_have_url(re.compile(r"technique=neuromuscular-therapy"))
    expect(table).to_contain_text("Neuromuscular therapy")
    shared = page.url
    assert_accessible(page)
    # Anyone opening the link sees the same comparison, tray or not.
    other = page.context.browser.new_context(base_url=page.url.split("/compare")[0])
    stranger = other.new_page()
    stranger.goto(shared)
    for name in names[:3]:
        expect(stranger.locator(".compare-table")).to_contain_text(name)
    other.close()


def test_compare_tray_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/search?near=80210")
    page.locator("#results .compare-toggle button").first.click()
    expect(page).to_have_url(re.compile(r"/search\?near=80210"))
    expect(page.locator(".flash")).to_contain_text("is in your comparison")
    expect(page.locator("#compare-tray")).to_contain_text("(1 of 3)")
    context.close()


@pytest.mark.parametrize("path", ["/search?near=80210&sort=soonest",
                                  "/clinics/solely-therapeutic-massage",
                                  "/compare?c=solely-therapeutic-massage&c=flex-spine-sport"])
def test_discover_pages_fit_a_phone(phone_page: Page, path):
    phone_page.goto(path)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"
