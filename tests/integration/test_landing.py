"""A GET of an address that only takes POST (reloading the page a failed form left
in the address bar, going back to it) lands on the page the form lives on, never a 405."""

from __future__ import annotations

from collections import defaultdict

from marketplace.web.landing import LANDINGS, NO_PAGE
from tests.support.world import build_world


def _post_only_rules(app):
    by_path = defaultdict(list)
    for rule in app.url_map.iter_rules():
        by_path[rule.rule].append(rule)
    return [r for rules in by_path.values() if not any("GET" in r.methods for r in rules)
            for r in rules if "POST" in r.methods]


def test_every_post_only_address_has_a_page_to_land_on(app):
    endpoints = {r.endpoint for r in _post_only_rules(app)}
    missing = sorted(endpoints - set(LANDINGS) - NO_PAGE)
    assert not missing, f"POST-only routes without a page for a GET to land on: {missing}"
    stale = sorted((set(LANDINGS) | NO_PAGE) - endpoints)
    assert not stale, f"landings for routes that are gone or now take GET: {stale}"


def test_a_get_of_each_post_only_address_redirects_to_its_page(app, client):
    _, args = build_world()
    checked = 0
    for rule in _post_only_rules(app):
        if rule.endpoint in NO_PAGE:
            continue
        with app.test_request_context():
            url = app.url_for(rule.endpoint, **{a: args[a] for a in rule.arguments})
            expected = LANDINGS[rule.endpoint]({a: args[a] for a in rule.arguments})
        for method in ("GET", "HEAD"):
            answer = client.open(url, method=method)
            assert answer.status_code == 303, f"{method} {url}: {answer.status_code}"
            assert answer.headers["Location"] == expected, url
        checked += 1
    assert checked >= 25


def test_other_wrong_methods_are_still_a_405(client):
    assert client.delete("/bookings").status_code == 405
    assert client.get("/webhooks/stripe").status_code == 405
