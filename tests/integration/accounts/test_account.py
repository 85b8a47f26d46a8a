"""Registration, sign-in, sign-out and session revocation."""

from urllib.parse import quote

import pytest

from marketplace.models import Role, User, db
from marketplace.services.accounts import users as accounts
from tests.support.factories import TEST_PASSWORD
from tests.support.mailbox import last_mail_to, welcome_path


def register(client, **overrides):
    data = {
        "name": "Dana Client",
        "email": "dana@example.com",
        "password": "a long enough passphrase",
        "confirm": "a long enough passphrase",
        "account_type": "client",
    }
    next_url = overrides.pop("next_url", None)
    data.update(overrides)
    url = "/register" if next_url is None else f"/register?next={quote(next_url)}"
    return client.post(url, data=data)


def _welcome_link(email: str) -> str:
    """The sign-in link in the newest e-mail to ``email``."""

    return welcome_path(email)


def test_register_sends_a_link_that_signs_in_and_hashes_with_argon2id(client):
    response = register(client)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/register/check-inbox")
    assert "Check your inbox" in client.get(response.headers["Location"]).get_data(as_text=True)
    user = accounts.find_by_email("dana@example.com")
    assert user.role is Role.CLIENT
    assert user.password_hash.startswith("$argon2id$")
    assert "Dana Client" not in client.get("/").get_data(as_text=True)  # not yet signed in
    link = _welcome_link("dana@example.com")
    # Opening the link (as a mail system's link scanner also does) only asks to confirm.
    for _ in range(2):
        opened = client.get(link)
        assert opened.status_code == 200
        assert "Confirm and continue" in opened.get_data(as_text=True)
        assert "Dana Client" not in client.get("/").get_data(as_text=True)
    assert client.post(link).status_code == 303
    assert "Dana Client" in client.get("/").get_data(as_text=True)
    # The link works once.
    client.post("/logout")
    assert client.get(link).headers["Location"].startswith("/login")
    assert client.post(link).headers["Location"].startswith("/login")
    assert "Dana Client" not in client.get("/").get_data(as_text=True)


def test_the_welcome_link_carries_on_where_the_visitor_was(client):
    register(client, email="next@example.com", next_url="/search?q=neck")
    assert client.post(_welcome_link("next@example.com")).headers["Location"] == "/search?q=neck"


def test_register_as_clinic_owner(client):
    register(client, email="owner@example.com", account_type="owner")
    assert accounts.find_by_email("owner@example.com").role is Role.OWNER
    assert client.post(_welcome_link("owner@example.com")).headers["Location"] == "/owner"


def test_cannot_register_as_admin(client):
    response = register(client, account_type="admin")
    assert response.status_code == 422
    assert accounts.find_by_email("dana@example.com") is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password": "short", "confirm": "short"}, "at least 10 characters"),
        ({"password": "password123", "confirm": "password123"}, "too easy to guess"),
        ({"confirm": "something else entirely"}, "The two passwords differ"),
        ({"email": "not-an-email"}, "Invalid email address"),
        ({"name": ""}, "This field is required"),
    ],
)
def test_register_validation_keeps_what_was_typed(client, overrides, message):
    response = register(client, **overrides)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in body
    if overrides.get("name") != "":
        assert 'value="Dana Client"' in body


def test_registering_a_known_address_answers_exactly_as_a_new_one(app, client, create_user):
    """No enumeration: the same answer, and the address's owner is told by e-mail."""
    from sqlalchemy import func, select

    from marketplace.models import OutboxEmail

    owner = create_user(email="dana@example.com", name="Dana Owner")
    db.session.commit()
    known = register(client)
    fresh = register(app.test_client(), email="someone-new@example.com")
    assert known.status_code == fresh.status_code == 303
    assert known.headers["Location"] == fresh.headers["Location"]
    assert known.get_data() == fresh.get_data()
    assert db.session.scalar(select(func.count(User.id)).where(
        func.lower(User.email) == "dana@example.com")) == 1
    told = db.session.scalars(select(OutboxEmail).where(
        OutboxEmail.to_addr == owner.email)).all()
    assert len(told) == 1
    text = last_mail_to(owner.email)
    assert "tried to create a new" in text
    assert "/password/forgot" in text
    assert "/register/welcome/" not in text


def test_login_and_logout(client, auth, create_user):
    user = create_user(name="Lee Login")
    auth.login(user)
    assert "Lee Login" in client.get("/").get_data(as_text=True)
    auth.logout()
    assert "Lee Login" not in client.get("/").get_data(as_text=True)


def test_wrong_password_is_refused_without_saying_which_part(client, create_user):
    user = create_user()
    response = client.post("/login", data={"email": user.email, "password": "wrong password!"})
    assert response.status_code == 422
    assert "do not match an active account" in response.get_data(as_text=True)
    response = client.post("/login", data={"email": "nobody@example.com", "password": "x" * 12})
    assert "do not match an active account" in response.get_data(as_text=True)


def test_suspended_user_cannot_sign_in(client, create_user):
    from marketplace.models import UserStatus

    user = create_user(status=UserStatus.SUSPENDED)
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 422


def test_post_without_csrf_token_is_refused(client, create_user):
    user = create_user()
    response = client.post(
        "/login", data={"email": user.email, "password": TEST_PASSWORD}, csrf=False
    )
    assert response.status_code == 400
    assert "session expired or the form was stale" in response.get_data(as_text=True)


def test_login_redirects_only_to_local_next(client, create_user):
    user = create_user()
    response = client.post(
        "/login?next=/search", data={"email": user.email, "password": TEST_PASSWORD}
    )
    assert response.headers["Location"].endswith("/search")
    client.post("/logout")
    response = client.post(
        "/login?next=//evil.example/x", data={"email": user.email, "password": TEST_PASSWORD}
    )
    assert "evil.example" not in response.headers["Location"]


def test_login_starts_a_fresh_session(client, create_user):
    user = create_user()
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    with client.session_transaction() as sess:
        assert "planted" not in sess


def test_revoking_sessions_signs_out_everywhere(client, auth, create_user):
    user = create_user(name="Rev Oked")
    auth.login(user)
    assert "Rev Oked" in client.get("/").get_data(as_text=True)
    accounts.revoke_sessions(db.session.get(User, user.id))
    db.session.commit()
    assert "Rev Oked" not in client.get("/").get_data(as_text=True)


def test_login_form_error_fragment_for_htmx(client):
    response = client.htmx("POST", "/login", data={"email": "", "password": ""})
    assert response.status_code == 422


def _cookies(client) -> dict:
    return {c.key: c.value for c in client._cookies.values()}


def _replay(app, cookies: dict):
    """A fresh browser holding only ``cookies`` asks for a signed-in page."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other.get("/bookings")


def test_sign_out_after_keep_me_signed_in_leaves_the_browser_signed_out(app, client,
                                                                          create_user):
    user = create_user(name="Rem Ember")
    client.post("/login", data={"email": user.email, "password": TEST_PASSWORD,
                                "remember": "y"})
    before = _cookies(client)
    assert "remember_token" in before
    response = client.post("/logout")
    assert "remember_token=;" in " ".join(response.headers.getlist("Set-Cookie"))
    assert "remember_token" not in _cookies(client)
    assert client.get("/bookings").status_code == 302  # the next request is anonymous
    # The old remember cookie alone, replayed, is refused.
    assert _replay(app, {"remember_token": before["remember_token"]}).status_code == 302


def test_a_session_cookie_copied_before_sign_out_is_refused_after_it(app, client, auth,
                                                                      create_user):
    user = create_user()
    version = user.session_version
    auth.login(user)
    assert client.get("/bookings").status_code == 200
    copied = _cookies(client)
    auth.logout()
    assert _replay(app, {"session": copied["session"]}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).session_version == version + 1


@pytest.mark.parametrize("password", [
    "password12", "kneaded-kneaded", "massage-demo", "Password1234", "qwertyuiop123",
    "dana@example.com", "dana@example.com!", "Dana Client 1",
])
def test_common_breached_or_personal_passwords_are_refused_with_the_reason(client, password):
    response = register(client, password=password, confirm=password)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "too easy to guess" in body or "e-mail address" in body or "your name" in body
    assert accounts.find_by_email("dana@example.com") is None


def test_password_problems_say_why():
    problems = accounts.password_problems("password12", email="dana@example.com", name="Dana")
    assert any("too easy to guess" in p for p in problems)
    assert any("common password" in p for p in problems)  # the library's own reason
    mine = accounts.password_problems("dana@example.com", email="dana@example.com")
    assert any("e-mail address" in p for p in mine)
    assert accounts.password_problems("a long enough passphrase", email="dana@example.com",
                                      name="Dana Client") == []
    assert accounts.password_problems("x" * 200 + "unguessable tail") != []  # 72+ characters


def test_a_strong_password_longer_than_the_checker_reads_is_accepted():
    strong = "Quiet river stones under a borrowed lantern, " * 4
    assert len(strong) > 72
    assert accounts.password_problems(strong, email="dana@example.com") == []


def test_the_demo_accounts_keep_their_published_password(app):
    from marketplace.demo import seed

    assert seed.DEMO_PASSWORD == "massage-demo-2026"
    assert accounts.password_problems(seed.DEMO_PASSWORD) == []  # strong enough by itself
