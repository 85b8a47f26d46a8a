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


# --- gift card codes: 10 refused tries an hour per user and per address ----------------


def _gift_card_holds(limited_app, clients, *, card_left_cents=0):
    """One bookable clinic, a screened hold for each client (signed in), and, when asked,
    a delivered card for that clinic with ``card_left_cents`` left (less than a deposit).
    Returns the holds' references and the card's code."""
    from marketplace.models import GiftCardStatus
    from marketplace.services import booking as bookings
    from marketplace.services.giftcards import purchase
    from marketplace.services.payments import IntentState
    from tests.support import factories
    from tests.support.booking import days_ahead, hold
    from tests.support.giftcards import code_mailed_to

    with limited_app.app_context():
        b = factories.create_bookable_clinic()
        references = []
        for i, client in enumerate(clients):
            user = factories.create_user()
            booking = hold(limited_app, b, days_ahead(b, 2 + i), client=user)
            references.append(booking.reference)
            db.session.commit()
            with client.session_transaction() as sess:
                sess["_user_id"], sess["_fresh"] = user.get_id(), True
        code = None
        if card_left_cents:
            from marketplace.models import utcnow

            now = utcnow()
            buyer = factories.create_user()
            email = f"gift-{secrets.token_hex(4)}@example.test"
            card = purchase.start(buyer=buyer, clinic=b.clinic, amount_cents=2500,
                                  recipient_name="Dana", recipient_email=email, message="",
                                  deliver_on=None, now=now)
            card.intent_id = f"pi_limits_{card.reference.lower()}"
            purchase.settle(card, IntentState(id=card.intent_id, status="succeeded",
                                              amount=2500), now=now)
            db.session.commit()
            assert card.status is GiftCardStatus.ACTIVE
            code = code_mailed_to(email)
            # Spend all but ``card_left_cents`` on another client's deposit.
            other = factories.create_user()
            spend = hold(limited_app, b, days_ahead(b, 30), client=other)
            spend.deposit_cents = 2500 - card_left_cents
            bookings.redeem_gift_card(spend, code=code, client=other, now=now)
            db.session.commit()
            assert card.balance_cents == card_left_cents
    return references, code


WRONG = {"code": "AAAA-BBBB-CCCC-DDDD", "action": "apply"}


def _at(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def test_eleventh_refused_gift_card_code_from_one_client_is_refused(limited_app):
    client = limited_app.test_client()
    [reference], code = _gift_card_holds(limited_app, [client], card_left_cents=200)
    url = f"/book/{reference}/gift-card"
    codes = []
    for i in range(10):  # from two addresses, so only the per-client count can trip
        codes.append(client.post(url, data=WRONG, **_at(f"10.1.0.{i % 2 + 1}")).status_code)
        if i in (0, 3, 6):  # taking the card and taking it off again do not count
            taken = client.post(url, data={"code": code, "action": "apply"},
                                **_at("10.1.0.9"))
            assert taken.status_code == 303
            removed = client.post(url, data={"code": "", "action": "remove"}, **_at("10.1.0.9"))
            assert removed.status_code == 303
    assert codes == [422] * 10
    limited = client.post(url, data=WRONG, **_at("10.1.0.3"))
    text = limited.get_data(as_text=True)
    assert limited.status_code == 429
    assert re.search(r"Too many attempts; try again in \d+ minutes?\.", text)
    assert "Gift card code" in text  # the checkout page with its form, not a bare error
    assert 60 <= int(limited.headers["Retry-After"]) <= 3700
    # Over the limit even the right code waits, so guessing cannot resume with it.
    assert client.post(url, data={"code": code, "action": "apply"},
                       **_at("10.1.0.4")).status_code == 429
    htmx = client.post(url, data=WRONG, headers={"HX-Request": "true"}, **_at("10.1.0.5"))
    assert htmx.status_code == 429
    assert "<html" not in htmx.get_data(as_text=True)
    assert re.search(r"Too many attempts; try again in \d+ minutes?\.",
                     htmx.get_data(as_text=True))


def test_eleventh_refused_gift_card_code_from_one_address_is_refused(limited_app):
    clients = [limited_app.test_client() for _ in range(12)]
    references, _ = _gift_card_holds(limited_app, clients)
    address = _at("10.2.0.1")
    codes = [c.post(f"/book/{ref}/gift-card", data=WRONG, **address).status_code
             for c, ref in zip(clients[:10], references[:10], strict=True)]
    assert codes == [422] * 10  # each client tried once: no client limit is near
    limited = clients[10].post(f"/book/{references[10]}/gift-card", data=WRONG, **address)
    assert limited.status_code == 429
    assert re.search(r"Too many attempts; try again in \d+ minutes?\.",
                     limited.get_data(as_text=True))
    # The same client from another address is not held back by that address's tries.
    elsewhere = clients[11].post(f"/book/{references[11]}/gift-card", data=WRONG,
                                 **_at("10.2.0.2"))
    assert elsewhere.status_code == 422
    assert "do not know that gift card code" in elsewhere.get_data(as_text=True)
