"""Sign-in is rate-limited per account and per address, in memory or in Redis."""

import re
import secrets

import pytest
import redis

from marketplace import create_app
from marketplace.models import db
from tests.conftest import CSRFClient, base_config, migrate
from tests.support.databases import drop_database, fresh_database_url


def _redis_up() -> bool:
    try:
        return redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture(scope="module")
def limits_database(tmp_path_factory):
    """A database of this module's own: its apps commit for real (clinics, holds), which
    must not show up in other tests' searches."""
    tmp = tmp_path_factory.mktemp("limits")
    url = fresh_database_url(tmp, "limits")
    app = create_app(base_config(url, tmp))
    migrate(app)
    with app.app_context():
        db.engine.dispose()
    yield url
    drop_database(url)


@pytest.fixture(params=["memory", "redis"])
def limited_app(request, limits_database, tmp_path):
    if request.param == "redis" and not _redis_up():
        pytest.fail("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    storage = "memory://" if request.param == "memory" else "redis://127.0.0.1:6379/15"
    app = create_app(base_config(limits_database, tmp_path, RATE_LIMITS=True,
                                 RATELIMIT_STORAGE_URI=storage))
    app.test_client_class = CSRFClient
    yield app
    with app.app_context():
        db.engine.dispose()  # close its pooled connections now, not at garbage collection
    if request.param == "redis":
        redis.Redis(host="127.0.0.1", port=6379, db=15).flushdb()


def test_repeated_failed_sign_ins_for_one_account_are_limited(limited_app):
    client = limited_app.test_client()
    email = f"target-{secrets.token_hex(4)}@example.com"
    codes = [client.post("/login", data={"email": email, "password": f"guess {i}"}).status_code
             for i in range(6)]
    assert codes[:5] == [422] * 5
    assert codes[5] == 429
    response = client.post("/login", data={"email": email, "password": "again"})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert response.headers["Retry-After"]


def test_one_address_trying_many_accounts_is_limited(limited_app):
    client = limited_app.test_client()
    codes = [client.post("/login", data={"email": f"u{i}-{secrets.token_hex(3)}@example.com",
                                         "password": "guess"}).status_code for i in range(11)]
    assert 429 in codes
    assert codes.index(429) == 10


def test_limits_are_off_when_configured(client):
    codes = {client.post("/login", data={"email": "x@example.com", "password": "y"}).status_code
             for _ in range(12)}
    assert codes == {422}


def test_limits_count_a_moving_window_not_a_fixed_one(limited_app):
    """A fixed window lets twice the limit through around a minute's edge."""
    from limits.strategies import MovingWindowRateLimiter

    from marketplace.extensions import limiter

    assert limited_app.config["RATELIMIT_STRATEGY"] == "moving-window"
    with limited_app.app_context():
        assert isinstance(limiter.limiter, MovingWindowRateLimiter)


# --- form steps: per user, and the page with what was typed ---------------------------


def _signed_in_hold(limited_app, client, *, days=3):
    from tests.support import factories
    from tests.support.booking import days_ahead, hold

    with limited_app.app_context():
        b = factories.create_bookable_clinic()
        user = factories.create_user()
        booking = hold(limited_app, b, days_ahead(b, days), client=user, screened=False)
        db.session.commit()
        reference, user_id = booking.reference, user.get_id()
    with client.session_transaction() as sess:
        sess["_user_id"], sess["_fresh"] = user_id, True
    return reference


def test_too_many_intake_submissions_keep_the_page_and_the_answers(limited_app):
    client = limited_app.test_client()
    reference = _signed_in_hold(limited_app, client)
    typed = {"surgery_date": "not a date", "medications": "ibuprofen 200 mg"}
    codes = [client.post(f"/book/{reference}/intake", data=typed).status_code
             for _ in range(30)]
    assert set(codes) == {422}
    limited = client.post(f"/book/{reference}/intake", data=typed)
    text = limited.get_data(as_text=True)
    assert limited.status_code == 429
    assert "A few health questions" in text  # the form, not a bare banner
    assert "ibuprofen 200 mg" in text  # what was typed
    assert re.search(r"Too many attempts; try again in \d+ minutes?\.", text)
    assert 60 <= int(limited.headers["Retry-After"]) <= 3700
    # Another client behind the same address (a clinic's wifi) is not held back.
    other = limited_app.test_client()
    their_reference = _signed_in_hold(limited_app, other, days=4)
    assert other.post(f"/book/{their_reference}/intake", data=typed).status_code == 422


def test_an_htmx_429_swaps_a_message_into_the_form_not_over_the_page(limited_app):
    client = limited_app.test_client()
    reference = _signed_in_hold(limited_app, client)
    for _ in range(20):
        client.post(f"/book/{reference}/promotion", data={"apply": "1", "code": ""},
                    headers={"HX-Request": "true"})
    limited = client.post(f"/book/{reference}/promotion", data={"apply": "1", "code": "SPRING"},
                          headers={"HX-Request": "true"})
    text = limited.get_data(as_text=True)
    assert limited.status_code == 429
    assert "<html" not in text
    assert 'id="price"' in text  # the block the form swaps, with the form in it
    assert 'value="SPRING"' in text
    assert re.search(r"Too many attempts; try again in [12] minutes?\.", text)
    assert limited.headers["Retry-After"]
