"""Every route in the URL map, for every kind of visitor, against an explicit table.

A new route without an entry in ``MATRIX`` fails ``test_every_route_has_an_entry``:
deciding who may use it is part of adding it.

Visitors: anonymous, client A, client B, the owner of clinic X, the owner of
clinic Y, and an admin. URL arguments are filled with objects that belong to
client A and clinic X, so "client B" and "owner Y" are the strangers.

Expectations per visitor:
- ``ok``: served (any status but 401/403/404/429/5xx, and no redirect to sign-in)
- ``login``: redirected to the sign-in page
- ``forbidden``: 403
- ``hidden``: 404 (another tenant's things look like nothing)
"""

from __future__ import annotations

import pytest

from marketplace.models import db
from tests.conftest import AuthActions, CSRFClient
from tests.support.world import build_world

VISITORS = ("anonymous", "client_a", "client_b", "owner_x", "owner_y", "admin")

# Rules: a mapping visitor -> expectation.
PUBLIC = dict.fromkeys(VISITORS, "ok")
SIGNED_IN = {**PUBLIC, "anonymous": "login"}
ADMIN_ONLY = dict.fromkeys(VISITORS, "forbidden") | {"anonymous": "login", "admin": "ok"}
CLINIC_X = {"anonymous": "login", "client_a": "forbidden", "client_b": "forbidden",
            "owner_x": "ok", "owner_y": "hidden", "admin": "ok"}
# Issue 5: the owner console. Pages not about one clinic serve any owner (their own
# clinics only); every page about a clinic is CLINIC_X.
OWNER_ANY = {"anonymous": "login", "client_a": "forbidden", "client_b": "forbidden",
             "owner_x": "ok", "owner_y": "ok", "admin": "ok"}
THREAD_OF_A = {"anonymous": "login", "client_a": "ok", "client_b": "hidden",
               "owner_x": "hidden", "owner_y": "hidden", "admin": "hidden"}
# The clinic's answer in A's thread: A may report it; the clinic's side (its owner, an
# admin) may not report its own answer (403); strangers see nothing.
ANSWER_IN_A_THREAD = {**THREAD_OF_A, "owner_x": "forbidden", "admin": "forbidden"}
BOOKING_OF_A = {"anonymous": "login", "client_a": "ok", "client_b": "hidden",
                "owner_x": "hidden", "owner_y": "hidden", "admin": "hidden"}

# endpoint -> (methods to try, rule)
MATRIX: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "static": (("GET",), PUBLIC),
    "public.home": (("GET",), PUBLIC),
    "public.search_page": (("GET",), PUBLIC),
    "public.healthz": (("GET",), PUBLIC),
    "public.media_file": (("GET",), PUBLIC),  # content-addressed photo files
    # Discover (issue 3): profiles, compare and the tray in the session, the JSON API.
    "public.clinic": (("GET",), PUBLIC),
    "public.therapist": (("GET",), PUBLIC),
    "public.compare": (("GET",), PUBLIC),
    "public.compare_add": (("POST",), PUBLIC),
    "public.compare_remove": (("POST",), PUBLIC),
    "api.clinics": (("GET",), PUBLIC),
    "api.clinic": (("GET",), PUBLIC),
    "api.availability": (("GET",), PUBLIC),
    "api.modalities": (("GET",), PUBLIC),
    "api.conditions": (("GET",), PUBLIC),
    "api.openapi_document": (("GET",), PUBLIC),
    "account.login": (("GET", "POST"), PUBLIC),
    "account.register": (("GET", "POST"), PUBLIC),
    "account.logout": (("POST",), SIGNED_IN),
    "account.forgot_password": (("GET", "POST"), PUBLIC),
    "account.reset_password": (("GET", "POST"), PUBLIC),  # the token is the key
    "account.check_inbox": (("GET",), PUBLIC),
    "account.welcome": (("GET", "POST"), PUBLIC),  # the token is the key
    "account.settings": (("GET",), SIGNED_IN),
    "account.save_profile": (("POST",), SIGNED_IN),
    # The health profile is the signed-in person's own; withdrawing consent for a clinic
    # covers only their own answers (none shared: a message, never someone else's).
    "account.health_profile_page": (("GET",), SIGNED_IN),
    "account.save_health_profile": (("POST",), SIGNED_IN),
    "account.delete_health_profile": (("POST",), SIGNED_IN),
    "account.withdraw_clinic_consent": (("POST",), SIGNED_IN),
    "account.change_password": (("POST",), SIGNED_IN),
    "account.change_email": (("POST",), SIGNED_IN),
    "account.confirm_email": (("GET",), PUBLIC),  # the token is the key
    "account.revoke_sessions": (("POST",), SIGNED_IN),
    # Demo tools exist only with DEMO_TOOLS (never in production, see test_mail.py).
    "demo.outbox": (("GET",), PUBLIC),
    "demo.message": (("GET",), PUBLIC),
    "demo.attachment": (("GET",), PUBLIC),
    # Reviews (issue 6). The world's booking of client A is confirmed, not completed:
    # its client is told it cannot be reviewed yet (403); anyone else's is a 404.
    "account.write_review": (("GET", "POST"), BOOKING_OF_A | {"client_a": "forbidden"}),
    "account.reviews": (("GET",), SIGNED_IN),
    "account.report_visit": (("GET", "POST"), BOOKING_OF_A),
    "public.report_review": (("GET", "POST"), SIGNED_IN),
    "public.clinic_reviews": (("GET",), PUBLIC),
    # Messages between a client and a clinic: private to A and X's team.
    "account.messages": (("GET",), SIGNED_IN),
    "account.thread": (("GET",), THREAD_OF_A),
    "account.reply": (("POST",), THREAD_OF_A),
    "account.ask": (("GET", "POST"), SIGNED_IN),
    "account.ask_about_booking": (("GET", "POST"), BOOKING_OF_A),
    "account.report_message": (("GET", "POST"), ANSWER_IN_A_THREAD),
    "owner.reviews": (("GET",), CLINIC_X),
    "owner.respond_to_review": (("POST",), CLINIC_X),
    # The owner console (issue 5); test_owner_tenancy.py also walks every owner.* rule.
    "owner.dashboard": (("GET",), OWNER_ANY),
    "owner.start": (("GET", "POST"), SIGNED_IN),
    "owner.new_clinic": (("GET", "POST"), OWNER_ANY),
    "owner.claim": (("GET", "POST"), OWNER_ANY),
    "owner.calendar_feed": (("GET",), PUBLIC),  # the private address is the key
    **{
        f"owner.{name}": (methods, CLINIC_X)
        for name, methods in {
            "clinic": ("GET",),
            "profile": ("GET", "POST"),
            "policy": ("GET", "POST"),
            "locations": ("GET", "POST"),
            "location_edit": ("GET", "POST"),
            "location_delete": ("POST",),
            "therapists": ("GET", "POST"),
            "therapist_edit": ("GET", "POST"),
            "services": ("GET", "POST"),
            "service_edit": ("GET", "POST"),
            "hours_overview": ("GET",),
            "therapist_hours": ("GET", "POST"),
            "hours_edit": ("GET", "POST"),
            "hours_delete": ("POST",),
            "time_off_add": ("POST",),
            "time_off_delete": ("POST",),
            "promotions": ("GET", "POST"),
            "promotion_edit": ("GET", "POST"),
            "series_offers": ("GET", "POST"),
            "series_offer_edit": ("GET", "POST"),
            "series_offer_retire": ("POST",),
            "photos": ("GET", "POST"),
            "therapist_photo": ("POST",),
            "photo_edit": ("POST",),
            "photo_move": ("POST",),
            "photo_delete": ("POST",),
            "schedule": ("GET",),
            "booking": ("GET",),
            "booking_outcome": ("POST",),
            "booking_cancel": ("POST",),
            "money": ("GET",),
            "bookings_csv": ("GET",),
            "deposits_csv": ("GET",),
            "calendar_feeds": ("GET",),
            "calendar_feed_issue": ("POST",),
            "calendar_feed_revoke": ("POST",),
            "gift_cards_csv": ("GET",),
            "series_csv": ("GET",),
            "messages": ("GET",),
            "thread": ("GET",),
            "reply": ("POST",),
            "waitlist_page": ("GET",),
        }.items()
    },
    # Booking and payments (issue 4). The world's booking of client A is confirmed: its
    # client gets served (a redirect to the confirmation, or a 409 "already confirmed").
    "booking.start": (("GET",), PUBLIC),
    "booking.place_hold": (("POST",), PUBLIC),  # anonymous holds are allowed (sign in later)
    "booking.checkout": (("GET",), BOOKING_OF_A),
    "booking.status": (("GET",), BOOKING_OF_A),
    "booking.intake": (("GET",), BOOKING_OF_A),
    "booking.submit_intake": (("POST",), BOOKING_OF_A),
    "booking.promotion": (("POST",), BOOKING_OF_A),
    "booking.pay": (("POST",), BOOKING_OF_A),
    "booking.payment_return": (("GET",), BOOKING_OF_A),
    "booking.bank_check": (("POST",), BOOKING_OF_A),  # offline 3-D Secure stand-in
    "booking.confirm_free": (("POST",), BOOKING_OF_A),
    "booking.release": (("POST",), BOOKING_OF_A),
    "booking.confirmation": (("GET",), BOOKING_OF_A),
    # Gift cards: any signed-in client buys one; client A's card (its reference is the
    # world's booking's) is theirs alone, as is spending a code on A's booking.
    "booking.gift_card_new": (("GET", "POST"), SIGNED_IN),
    "booking.gift_card": (("GET",), BOOKING_OF_A),
    "booking.gift_card_pay": (("POST",), BOOKING_OF_A),
    "booking.gift_card_payment_return": (("GET",), BOOKING_OF_A),
    "booking.gift_card_bank_check": (("POST",), BOOKING_OF_A),  # offline 3-D Secure stand-in
    "booking.redeem_gift_card": (("POST",), BOOKING_OF_A),
    # Treatment series: X's offer, bought by client A (its reference is the booking's).
    "booking.series_new": (("GET", "POST"), SIGNED_IN),
    "booking.series": (("GET",), BOOKING_OF_A),
    "booking.series_pay": (("POST",), BOOKING_OF_A),
    "booking.series_new_gift_card": (("POST",), SIGNED_IN),  # a gift card code pays it
    "booking.series_gift_card": (("POST",), BOOKING_OF_A),
    "booking.series_bank_check": (("POST",), BOOKING_OF_A),
    "booking.series_refund": (("POST",), BOOKING_OF_A),
    "booking.series_course": (("GET",), BOOKING_OF_A),
    "booking.series_course_hold": (("POST",), BOOKING_OF_A),
    "booking.series_course_confirm": (("POST",), BOOKING_OF_A),
    "booking.use_series": (("POST",), BOOKING_OF_A),
    "account.gift_cards": (("GET",), SIGNED_IN),
    "account.bookings": (("GET",), SIGNED_IN),
    "account.booking": (("GET",), BOOKING_OF_A),
    "account.booking_calendar": (("GET",), BOOKING_OF_A),
    "account.cancel_booking": (("GET", "POST"), BOOKING_OF_A),
    "account.withdraw_booking_consent": (("POST",), BOOKING_OF_A),
    "account.reschedule_booking": (("GET", "POST"), BOOKING_OF_A),
    # The waitlist: joining needs an account; an offer and an entry are client A's alone.
    "booking.join_waitlist": (("GET", "POST"), SIGNED_IN),
    "booking.waitlist_offer": (("GET",), BOOKING_OF_A),
    "booking.waitlist_accept": (("POST",), BOOKING_OF_A),
    "booking.waitlist_decline": (("POST",), BOOKING_OF_A),
    "account.leave_waitlist": (("POST",), BOOKING_OF_A),
    # Public, POST only: the Stripe signature is the key (a request without one is a 400).
    "webhooks.stripe_event": (("POST",), PUBLIC),
    # The admin console (issue 6); test_admin_web.py also walks every admin.* rule.
    **{
        f"admin.{name}": (methods, ADMIN_ONLY)
        for name, methods in {
            "dashboard": ("GET",),
            "moderation_queue": ("GET",),
            "moderate": ("POST",),
            "resolve_visit_report": ("POST",),
            "moderate_message": ("POST",),
            "clinics": ("GET",),
            "clinic": ("GET",),
            "verify_clinic": ("POST",),
            "check_licences": ("POST",),
            "suspend_clinic": ("POST",),
            "restore_clinic": ("POST",),
            "remove_photo": ("POST",),
            "claims": ("GET",),
            "approve_claim": ("POST",),
            "reject_claim": ("POST",),
            "users": ("GET",),
            "user": ("GET",),
            "suspend_user": ("POST",),
            "restore_user": ("POST",),
            "audit": ("GET",),
            "audit_csv": ("GET",),
        }.items()
    },
}


# Routes that exist only with the local Stripe stand-in (404 for everyone otherwise).
NEEDS_STAND_IN = {"booking.bank_check", "booking.gift_card_bank_check", "booking.series_bank_check"}


@pytest.fixture
def world(app):
    """Two clinics with owners, two clients, an admin, and a booking of client A at X
    (``tests/support/world.py``; the browser walk of every page uses the same world)."""
    return build_world()


def _rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint in MATRIX]


def test_every_route_has_an_entry(app):
    missing = sorted({r.endpoint for r in app.url_map.iter_rules()} - set(MATRIX))
    assert not missing, f"routes without an authorization entry: {missing}"
    stale = sorted(set(MATRIX) - {r.endpoint for r in app.url_map.iter_rules()})
    assert not stale, f"entries for routes that no longer exist: {stale}"


def _check(response, expectation: str, label: str) -> None:
    status = response.status_code
    location = response.headers.get("Location", "")
    # Flask-Login sends the unauthorised to /login?next=...; flows that simply end
    # at the sign-in page (after signing out everywhere, say) carry no next.
    to_login = status in (301, 302, 303) and "/login?next=" in location
    assert status < 500, f"{label}: server error {status}"
    if expectation == "ok":
        assert status not in (401, 403, 404, 429), f"{label}: got {status}"
        assert not to_login, f"{label}: sent to sign in"
    elif expectation == "login":
        assert to_login, f"{label}: expected a redirect to sign in, got {status} {location}"
    elif expectation == "forbidden":
        assert status == 403, f"{label}: expected 403, got {status}"
    elif expectation == "hidden":
        assert status == 404, f"{label}: expected 404, got {status}"
    else:  # pragma: no cover - a typo in the table
        raise AssertionError(expectation)


def _mismatch(response, expectation: str) -> str | None:
    """What is wrong with ``response`` for ``expectation``, or None if it is right."""
    try:
        _check(response, expectation, "")
    except AssertionError as exc:
        return str(exc).splitlines()[0].lstrip(": ")
    return None


def _requests(app, args):
    """Every (endpoint, method, url) of the table, with URL arguments from the world."""
    for rule in sorted(_rules(app), key=lambda r: (r.endpoint, r.rule)):
        methods, _ = MATRIX[rule.endpoint]
        for method in methods:
            if method not in rule.methods:
                continue
            with app.test_request_context():
                url = app.url_for(rule.endpoint, **{a: args[a] for a in rule.arguments})
            yield rule.endpoint, method, url


@pytest.mark.parametrize("visitor", VISITORS)
def test_access(app, world, visitor):
    """Every route and method of the table, as ``visitor``: one world for them all, each
    request on a fresh signed-in client and rolled back afterwards (a POST that changes
    something, signing out say, cannot change the answer to the next one); every
    mismatch is reported at once."""
    users, args = world
    connection = db.session.get_bind()  # the test's connection (see tests/conftest.py)
    app.test_client_class = CSRFClient
    checked, wrong = set(), []
    for endpoint, method, url in _requests(app, args):
        client = app.test_client()
        if visitor != "anonymous":
            AuthActions(client).session_for(users[visitor])
        saved_base = app.config["STRIPE_API_BASE"]
        if endpoint in NEEDS_STAND_IN:
            app.config["STRIPE_API_BASE"] = "http://127.0.0.1:9"
        undo = connection.begin_nested()
        try:
            with client.open(url, method=method, data={}) as response:
                problem = _mismatch(response, MATRIX[endpoint][1][visitor])
        finally:
            undo.rollback()
            app.config["STRIPE_API_BASE"] = saved_base
        checked.add((endpoint, method))
        if problem:
            wrong.append(f"{method} {url} ({endpoint}): {problem}")
    expected = {(e, m) for e, (methods, _) in MATRIX.items() for m in methods}
    assert checked == expected, f"not requested: {sorted(expected - checked)}"
    assert not wrong, f"{len(wrong)} wrong answer(s) as {visitor}:\n" + "\n".join(wrong)
