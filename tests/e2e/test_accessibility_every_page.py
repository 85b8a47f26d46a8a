"""axe-core on every page of the site: each GET route in the URL map that answers HTML,
opened in Chromium by its own audience (the least privileged visitor the
authorization matrix lets in: anonymous, a client, the clinic's owner, or an admin),
with the same world of data as the matrix. No serious or critical WCAG 2.1 A/AA
problem anywhere. A new page is checked as soon as it has its matrix entry.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from marketplace.models import db
from tests.integration.test_authorization_matrix import MATRIX
from tests.support import factories
from tests.support.a11y import assert_accessible
from tests.support.world import build_world

AUDIENCES = ("anonymous", "client_a", "owner_x", "admin")
# Routes that answer something other than a page (files, JSON, a health check).
NOT_PAGES = {"static", "public.healthz", "public.media_file", "demo.attachment",
             "account.booking_calendar",
             "owner.bookings_csv", "owner.deposits_csv", "admin.audit_csv",
             "owner.calendar_feed"}


def _pages():
    for endpoint, (methods, rule) in MATRIX.items():
        if "GET" not in methods or endpoint in NOT_PAGES or endpoint.startswith("api."):
            continue
        audience = next((v for v in AUDIENCES if rule.get(v) == "ok"), None)
        if audience is not None:
            yield pytest.param(endpoint, audience, id=endpoint)


@pytest.fixture(scope="module")
def walk(live_app, live_server, browser):
    """The matrix's world, committed in the live app, and a signed-in browser state
    for each audience."""
    with live_app.app_context():
        users, args = build_world()
        emails = {who: user.email for who, user in users.items()}
        db.session.commit()
        db.session.remove()
    states = {"anonymous": None}
    for who in AUDIENCES[1:]:
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("E-mail").fill(emails[who])
        page.get_by_label("Password").fill(factories.TEST_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        states[who] = context.storage_state()
        context.close()
    return args, states


@pytest.mark.parametrize(("endpoint", "audience"), list(_pages()))
def test_every_page_is_accessible(live_app, live_server, browser, walk, endpoint, audience):
    args, states = walk
    rule = next(r for r in live_app.url_map.iter_rules()
                if r.endpoint == endpoint and "GET" in r.methods)
    with live_app.test_request_context():
        url = live_app.url_for(endpoint, **{a: args[a] for a in rule.arguments})
    context = browser.new_context(base_url=live_server.url, storage_state=states[audience])
    try:
        page = context.new_page()
        response = page.goto(url)
        assert response is not None
        assert response.status < 500, f"{url} as {audience}: {response.status}"
        assert "text/html" in response.headers["content-type"], f"{url} is not a page"
        assert_accessible(page)
    finally:
        context.close()
