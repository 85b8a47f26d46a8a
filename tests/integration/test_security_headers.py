"""The security headers on every kind of answer, the Content-Security-Policy with and
without real Stripe keys, HSTS over HTTPS only, and the cookies production sends."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest

from marketplace import create_app
from marketplace.models import db
from tests.conftest import CSRFClient, base_config
from tests.support import factories
from tests.support.booking import days_ahead
from tests.support.production import production_settings

REAL_KEYS = {"STRIPE_SECRET_KEY": "sk_test_51Realistic", "STRIPE_PUBLISHABLE_KEY":
             "pk_test_51Realistic", "STRIPE_API_BASE": ""}
STRIPE_ORIGINS = ("js.stripe.com", "hooks.stripe.com", "api.stripe.com")


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {d.split()[0]: " ".join(d.split()[1:]) for d in policy.split("; ")}


def _assert_strict(response, label: str) -> None:
    headers = response.headers
    csp = _csp(response)
    assert "unsafe-inline" not in headers["Content-Security-Policy"], label
    assert "unsafe-eval" not in headers["Content-Security-Policy"], label
    assert csp["default-src"] == "'self'", label
    assert csp["frame-ancestors"] == "'none'", label
    assert csp["object-src"] == "'none'", label
    assert csp["base-uri"] == "'none'", label
    assert csp["form-action"] == "'self'", label
    assert headers["X-Content-Type-Options"] == "nosniff", label
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", label
    assert headers["X-Frame-Options"] == "DENY", label
    assert "Strict-Transport-Security" not in headers, f"{label}: HSTS over plain HTTP"


def test_every_kind_of_answer_carries_the_headers(client, create_clinic):
    create_clinic(name="Header Clinic")
    answers = {
        "page": client.get("/"),
        "htmx fragment": client.htmx("GET", "/search?q=Header"),
        "json": client.get("/healthz"),
        "redirect": client.get("/bookings"),
        "static file": client.get("/static/css/app.css"),
        "404": client.get("/no/such/page"),
        "405": client.put("/login"),
        "400 (no CSRF token)": client.post("/login", data={}, csrf=False),
        "413": client.post("/login", data={"email": "x" * (3 * 1024 * 1024)}),
        "422": client.post("/login", data={"email": "nobody"}),
    }
    for label, response in answers.items():
        _assert_strict(response, label)
        response.close()


def test_without_real_stripe_keys_no_stripe_origin_is_allowed(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert not any(origin in policy for origin in STRIPE_ORIGINS)
    csp = _csp(client.get("/"))
    assert csp["script-src"] == "'self'"
    assert csp["frame-src"] == "'none'"
    assert csp["connect-src"] == "'self'"


@pytest.fixture
def real_stripe(_database, tmp_path, app):
    """The same database, served with real-looking Stripe test keys."""
    real = create_app(base_config(_database, tmp_path, **REAL_KEYS))
    real.test_client_class = CSRFClient
    yield real
    with real.app_context():
        db.engine.dispose()


def test_with_real_stripe_keys_only_stripes_own_origins_are_added(real_stripe):
    response = real_stripe.test_client().get("/")
    csp = _csp(response)
    assert csp["script-src"] == "'self' https://js.stripe.com"
    assert csp["frame-src"] == "https://js.stripe.com https://hooks.stripe.com"
    assert csp["connect-src"] == "'self' https://api.stripe.com"
    assert csp["style-src"] == "'self'"
    assert csp["img-src"] == "'self' data: https://tile.openstreetmap.org"  # the search map
    _assert_strict(response, "real keys")


def test_localstripe_is_not_real_stripe_even_with_real_looking_keys(tmp_path):
    local = create_app(base_config("sqlite://", tmp_path, **{
        **REAL_KEYS, "STRIPE_API_BASE": "http://127.0.0.1:8420"}))
    policy = local.test_client().get("/").headers["Content-Security-Policy"]
    assert not any(origin in policy for origin in STRIPE_ORIGINS)


def _payment_page(app, b) -> str:
    """The deposit step of a signed-in client's hold, as ``app`` serves it."""
    web = app.test_client()
    user = factories.create_user()
    with web.session_transaction() as session:
        session["_user_id"] = user.get_id()
    start = days_ahead(b, 3, 10).astimezone(ZoneInfo(b.location.timezone))
    held = web.post(f"/clinics/{b.clinic.slug}/book/hold", data={
        "service": b.service.id, "therapist": b.therapist.id, "start": start.isoformat()})
    page = held.headers["Location"]
    web.post(f"{page}/intake", data={"share_consent": "y"})
    return web.get(page).get_data(as_text=True)


def test_stripe_js_is_asked_for_only_with_real_keys(app, real_stripe, create_bookable_clinic):
    b = create_bookable_clinic()
    offline = _payment_page(app, b)
    assert "Pay the deposit" in offline
    assert "data-stripe-key" not in offline
    assert "Visa ending 4242" in offline  # the offline test-card choice instead
    real = _payment_page(real_stripe, create_bookable_clinic())
    assert 'data-stripe-key="pk_test_51Realistic"' in real
    assert 'id="card-element"' in real
    assert "<script src=\"https://js.stripe.com" not in real  # app.js loads it, not a tag


def test_hsts_is_sent_over_https_only(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    hsts = client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"]
    assert re.fullmatch(r"max-age=(\d+); includeSubDomains", hsts)
    assert int(hsts.split("=")[1].split(";")[0]) >= 31536000  # a year at least


def test_production_cookies_are_secure_httponly_and_samesite(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    prod = create_app(production_settings())
    response = prod.test_client().get("/login", base_url="https://kneaded.example")
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite"} <= attributes
    assert "SameSite=Lax" in cookie
