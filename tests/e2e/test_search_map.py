"""The search map in Chromium, on a desktop and a 390 px phone: it opens with its button
(Leaflet is not fetched before), comes back by itself once opened, its pins are the
listed clinics (count and names), a changed filter redraws them, selecting a pin
highlights its card, pointing at a card highlights its pin, and axe passes. Map tiles
are answered locally with a blank image (conftest.py); no test reaches a tile server.
Without JavaScript the map is not shown and the list works alone."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.a11y import assert_accessible

SEARCH = "/search?near=33701&radius_mi=25"


def listed(page: Page) -> list[str]:
    return page.locator("#results .result-title").all_inner_texts()


def map_data(page: Page) -> dict:
    return json.loads(page.locator("#search-map-data").text_content())


def open_map(page: Page) -> None:
    """Press "Show the map": it becomes "Hide the map" and the map is drawn."""
    button = page.get_by_role("button", name="Show the map")
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()
    expect(page.get_by_role("button", name="Hide the map")).to_have_attribute(
        "aria-expanded", "true")


def assert_map_matches_list(page: Page) -> None:
    expect(page.locator("#results .result-title").first).to_be_visible()
    names = listed(page)
    data = map_data(page)
    assert [c["name"] for c in data["clinics"]] == names
    expected = sum(len(c["pins"]) for c in data["clinics"])
    assert expected >= len(names) > 0
    expect(page.locator("#search-map .leaflet-marker-pane > *").first).to_be_visible()
    page.wait_for_function(
        """n => { const box = document.getElementById('search-map');
                  const lone = box.querySelectorAll('img.leaflet-marker-icon').length;
                  const grouped = [...box.querySelectorAll('.marker-cluster [aria-hidden]')]
                    .reduce((sum, el) => sum + Number(el.textContent), 0);
                  return lone + grouped === n; }""", arg=expected)
    for alt in page.locator("#search-map img.leaflet-marker-icon").evaluate_all(
            "els => els.map(el => el.alt)"):
        assert alt.split(", ")[0] in names, alt


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_map_follows_the_list(request, device, tile_requests):
    page: Page = request.getfixturevalue("page" if device == "desktop" else "phone_page")
    asked = len(tile_requests)
    page.goto(SEARCH)
    map_box = page.get_by_role("region", name="Map of these results")
    expect(map_box).to_be_visible()
    open_map(page)
    assert_map_matches_list(page)
    expect(page.locator("#search-map .leaflet-tile-loaded").first).to_be_attached()
    assert len(tile_requests) > asked  # the tiles came from the local stand-in
    assert all(url.startswith("https://tile.openstreetmap.org/") for url in tile_requests)
    expect(page.locator("[data-map-note]")).to_be_hidden()
    expect(page.locator(".search-map-help")).to_contain_text(
        "The dashed circle is 25 miles around 33701")
    if device == "desktop":  # beside the list
        box, results = map_box.bounding_box(), page.locator("#results").bounding_box()
        assert box["x"] > results["x"] + results["width"] - 1
        expect(page.get_by_role("link", name="See these clinics on the map")).to_be_hidden()
    else:  # below it, a link away, and nothing is wider than the phone
        box, results = map_box.bounding_box(), page.locator("#results").bounding_box()
        assert box["y"] >= results["y"] + results["height"] - 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_role("link", name="See these clinics on the map").click()
        expect(map_box).to_be_in_viewport()
    assert_accessible(page)

    # A changed filter redraws the pins from the new results, in place.
    page.evaluate("document.body.dataset.marker = 'same-page'")
    before = map_data(page)
    page.get_by_label("Technique", exact=True).select_option("neuromuscular-therapy")
    expect(page).to_have_url(re.compile(r"technique=neuromuscular-therapy"))
    page.wait_for_function(
        "before => document.getElementById('search-map-data').textContent !== before",
        arg=json.dumps(before, separators=(",", ":")))
    assert page.evaluate("document.body.dataset.marker") == "same-page"
    assert map_data(page) != before
    assert listed(page)  # results, whichever clinics other tests added nearby
    assert_map_matches_list(page)

    # Selecting a pin highlights its card (and brings it into view); its popup links it.
    page.locator("#search-map").scroll_into_view_if_needed()
    pin = page.locator("#search-map img.leaflet-marker-icon").first
    if not pin.count():  # every pin clustered: open the first cluster down to its pins
        page.locator("#search-map .marker-cluster").first.click()
        pin = page.locator("#search-map img.leaflet-marker-icon").first
    expect(pin).to_be_visible()
    name = pin.get_attribute("title")
    # Clinics other tests left at the searched point stack their pins there: a click at
    # the pin's centre would reach whichever lies on top, so the click goes to this one.
    pin.dispatch_event("click")
    card = page.locator("#results .result").filter(
        has=page.get_by_role("heading", name=name, exact=True))
    expect(card).to_have_class(re.compile(r"map-card-active"))
    expect(card).to_be_in_viewport()
    expect(page.locator(".leaflet-popup-content").get_by_role("link", name=name)).to_have_attribute(
        "href", card.get_by_role("link", name=name, exact=True).get_attribute("href"))
    assert_accessible(page)


def test_pointing_at_a_card_highlights_its_pin(page: Page):
    page.goto(SEARCH)
    open_map(page)
    assert_map_matches_list(page)
    for card in page.locator("#results .result").all()[:4]:
        card.hover()
        active = page.locator("#search-map .map-pin-active")
        expect(active.first).to_be_visible()
        name = card.locator(".result-title").inner_text()
        title = active.first.get_attribute("title")
        assert title is None or title == name  # a lone pin is the clinic's; else its cluster
    page.locator("#search-form .button").hover()
    expect(page.locator("#search-map .map-pin-active")).to_have_count(0)
    # The keyboard does the same: focusing a card's link highlights its pin.
    page.locator("#results .result-title a").first.focus()
    expect(page.locator("#search-map .map-pin-active").first).to_be_visible()
    # Pins are buttons in the tab order: Enter on one picks out its card.
    pin = page.locator("#search-map img.leaflet-marker-icon").first
    if not pin.count():  # every pin clustered (other tests add clinics nearby): zoom in
        page.locator("#search-map .marker-cluster").first.click()
        pin = page.locator("#search-map img.leaflet-marker-icon").first
    expect(pin).to_have_attribute("tabindex", "0")
    expect(pin).to_have_attribute("role", "button")
    pin.focus()
    page.keyboard.press("Enter")
    name = pin.get_attribute("title")
    expect(page.locator("#results .result.map-card-active .result-title")).to_have_text(name)
    clusters = page.locator("#search-map .marker-cluster")
    if clusters.count():
        expect(clusters.first).to_have_accessible_name(
            re.compile(r"^\d+ clinics here: select to zoom in$"))


def test_the_map_comes_with_a_boosted_visit_and_the_back_button(page: Page):
    """Leaflet is loaded by the search page alone, so a link followed with htmx from
    another page (hx-boost) must bring it, and so must coming back to the results."""
    page.goto(SEARCH)
    open_map(page)
    page.goto("/")
    page.get_by_role("link", name="Sciatica (soft-tissue / piriformis)").click()
    expect(page).to_have_url(re.compile(r"/search\?condition=sciatica"))
    assert_map_matches_list(page)
    page.locator("#results .result-title a").first.click()
    expect(page).to_have_url(re.compile(r"/clinics/"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/search\?condition=sciatica"))
    assert_map_matches_list(page)
    page.get_by_label("Near", exact=True).fill("80210")
    page.get_by_label("Near", exact=True).press("Enter")  # the first draw with a searched place
    expect(page.locator(".search-map-help")).to_contain_text("around 80210")
    assert_map_matches_list(page)


def test_a_search_with_no_results_hides_the_map(page: Page):
    page.goto(SEARCH)
    expect(page.locator("#search-map")).to_be_visible()
    open_map(page)
    page.get_by_label("Technique, condition, clinic or therapist").fill("zzqx nothing matches")
    page.get_by_label("Technique, condition, clinic or therapist").press("Enter")
    expect(page.locator(".empty")).to_be_visible()
    expect(page.locator("#search-map")).to_be_hidden()


def test_when_tiles_fail_the_pins_and_the_list_still_work(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.route(lambda url: url.startswith("https://tile.openstreetmap.org/"),
                  lambda route: route.fulfill(status=503, body="down"))  # ahead of conftest's
    page = context.new_page()
    script_errors: list[str] = []
    page.on("pageerror", lambda exc: script_errors.append(str(exc)))
    page.goto(SEARCH)
    open_map(page)
    expect(page.locator("[data-map-note]")).to_be_visible()
    expect(page.locator("[data-map-note]")).to_have_text(
        "The map could not load its images; the list has every result.")
    assert_map_matches_list(page)
    assert listed(page)  # results, whichever clinics other tests added nearby
    assert not script_errors
    context.close()


def test_the_map_loads_only_when_asked_and_comes_back_by_itself(page: Page):
    leaflet: list[str] = []
    page.on("request", lambda r: leaflet.append(r.url) if "/vendor/leaflet" in r.url else None)
    page.goto(SEARCH)
    button = page.get_by_role("button", name="Show the map")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-controls", "search-map-canvas")
    expect(page.locator("#search-map .leaflet-container")).to_have_count(0)
    assert_accessible(page)  # closed, at 1280 px
    page.wait_for_load_state("networkidle")
    assert leaflet == []  # nothing of Leaflet before the button is pressed
    results = page.locator("#results").bounding_box()

    # The keyboard opens it: Leaflet's CSS and JS (content-hashed) arrive, the map draws.
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Hide the map")).to_be_focused()
    assert_map_matches_list(page)
    assert page.locator("#results").bounding_box() == results  # the list did not move
    files = [u for u in leaflet if u.endswith((".js", ".css"))]  # not the pin images
    assert len([u for u in files if u.endswith(".js")]) == 2
    assert len([u for u in files if u.endswith(".css")]) == 3
    assert all(re.search(r"-[0-9a-f]{32}\.(js|css)$", u) for u in files), files
    assert page.evaluate("document.querySelectorAll('link[href*=\"leaflet\"]').length") == 3

    # A returning client gets the map at once, without pressing anything.
    page.reload()
    expect(page.get_by_role("button", name="Hide the map")).to_be_visible()
    assert_map_matches_list(page)

    # Hidden again, it stays hidden after a reload, and the list is whole.
    page.get_by_role("button", name="Hide the map").click()
    expect(page.locator("#search-map .leaflet-container")).to_have_count(0)
    expect(page.locator("#search-map .leaflet-marker-pane")).to_have_count(0)
    expect(page.get_by_role("button", name="Show the map")).to_be_focused()
    page.reload()
    expect(page.get_by_role("button", name="Show the map")).to_be_visible()
    expect(page.locator("#search-map .leaflet-container")).to_have_count(0)
    assert listed(page)


def test_without_javascript_there_is_no_map_and_the_list_works(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False,
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(SEARCH)
    assert listed(page)  # results, whichever clinics other tests added nearby
    expect(page.locator("#search-map")).to_be_hidden()
    results = page.locator("#results").bounding_box()
    assert results["width"] > 700  # the list keeps the width the map would have taken
    context.close()
