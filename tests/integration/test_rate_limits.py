"""Sign-in is rate-limited per account and per address, in memory or in Redis."""

import secrets

import pytest
import redis

from marketplace import create_app
from marketplace.models import db
from tests.conftest import CSRFClient, base_config


def _redis_up() -> bool:
    try:
        return redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture(params=["memory", "redis"])
def limited_app(request, _app, _database, tmp_path):
    if request.param == "redis" and not _redis_up():
        pytest.fail("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    storage = "memory://" if request.param == "memory" else "redis://127.0.0.1:6379/15"
    app = create_app(base_config(_database, tmp_path, RATE_LIMITS=True,
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
