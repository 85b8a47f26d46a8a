"""Password reset, password change, e-mail change and signing out everywhere."""

import email
import email.policy
import re

import pytest
from sqlalchemy import select

from marketplace.models import OutboxEmail, db
from marketplace.services.accounts import users as accounts
from tests.support.factories import TEST_PASSWORD

NEW_PASSWORD = "a brand new passphrase"


def last_link(to: str) -> str:
    row = db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.to_addr == to).order_by(OutboxEmail.id.desc())
    ).first()
    assert row is not None, f"no e-mail to {to}"
    body = email.message_from_bytes(row.message, policy=email.policy.default).get_content()
    return re.search(r"http://localhost(/\S+)", body).group(1)


def test_reset_link_sets_a_new_password_once(client, create_user):
    user = create_user()
    response = client.post("/password/forgot", data={"email": user.email})
    assert response.status_code == 303
    link = last_link(user.email)
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 303
    db.session.refresh(user)
    assert accounts.check_password(user, NEW_PASSWORD)
    # the same link is now spent
    response = client.get(link)
    assert response.status_code == 303
    assert client.get(response.headers["Location"]).status_code == 200
    again = client.post(
        link, data={"password": "another passphrase!", "confirm": "another passphrase!"}
    )
    assert again.status_code == 303
    db.session.refresh(user)
    assert accounts.check_password(user, NEW_PASSWORD)


def test_forgot_password_does_not_reveal_unknown_addresses(app, client, create_user,
                                                           monkeypatch):
    """The same answer and the same work (one token signed, one e-mail queued) whether
    or not the address has an account; the unknown address is told it has none."""
    from marketplace.services.accounts import tokens as account_tokens

    user = create_user()
    db.session.commit()
    signed = []
    real = account_tokens._serializer
    monkeypatch.setattr(account_tokens, "_serializer",
                        lambda *a, **k: signed.append(a) or real(*a, **k))
    answers = {}
    for address in (user.email, "nobody@example.com"):
        signed.clear()
        answer = app.test_client().post("/password/forgot", data={"email": address})
        answers[address] = (answer.status_code, answer.headers["Location"], answer.get_data())
        assert len(signed) == 1, address
        assert len(db.session.scalars(select(OutboxEmail).where(
            OutboxEmail.to_addr == address)).all()) == 1
    assert answers[user.email] == answers["nobody@example.com"]
    page = client.post("/password/forgot", data={"email": "nobody@example.com"},
                       follow_redirects=True)
    assert "If an account uses that address" in page.get_data(as_text=True)
    unknown = email.message_from_bytes(db.session.scalars(select(OutboxEmail).where(
        OutboxEmail.to_addr == "nobody@example.com")).first().message,
        policy=email.policy.default).get_content()
    assert "no active Kneaded account uses it" in unknown
    assert "/password/reset/" not in unknown


@pytest.mark.parametrize("token", ["garbage", "x" * 500, "eyJ1IjoxfQ.bad.sig"])
def test_bad_reset_links_are_a_message(client, token):
    response = client.get(f"/password/reset/{token}", follow_redirects=True)
    assert response.status_code == 200
    assert "not valid" in response.get_data(as_text=True)


def test_reset_revokes_existing_sessions(client, app, auth, create_user):
    user = create_user(name="Session Holder")
    auth.login(user)
    other = app.test_client()
    other.post("/password/forgot", data={"email": user.email})
    link = last_link(user.email)
    other.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert "Sign out" not in client.get("/").get_data(as_text=True)


def test_weak_new_password_is_refused(client, create_user):
    user = create_user()
    client.post("/password/forgot", data={"email": user.email})
    response = client.post(last_link(user.email), data={"password": "short", "confirm": "short"})
    assert response.status_code == 422
    assert "at least 10 characters" in response.get_data(as_text=True)


def test_change_password_needs_the_current_one(client, auth, create_user):
    user = create_user()
    auth.login(user)
    data = {"current": "wrong password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = client.post("/account/settings/password", data=data)
    assert response.status_code == 422
    assert "not your current password" in response.get_data(as_text=True)
    data["current"] = TEST_PASSWORD
    assert client.post("/account/settings/password", data=data).status_code == 303
    db.session.refresh(user)
    assert accounts.check_password(user, NEW_PASSWORD)
    assert "Sign out" in client.get("/").get_data(as_text=True)  # still signed in here


def test_email_change_waits_for_confirmation_from_the_new_inbox(client, auth, create_user):
    user = create_user()
    old = user.email
    auth.login(user)
    response = client.post(
        "/account/settings/email",
        data={"new_email": "new.address@example.com", "current": TEST_PASSWORD},
    )
    assert response.status_code == 303
    db.session.refresh(user)
    assert user.email == old
    assert db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_addr == old))  # heads-up
    link = last_link("new.address@example.com")
    client.get(link)
    db.session.refresh(user)
    assert user.email == "new.address@example.com"
    client.get(link)  # a second use changes nothing and does not fail
    db.session.refresh(user)
    assert user.email == "new.address@example.com"


def test_email_change_to_a_taken_address_is_refused(client, auth, create_user):
    user = create_user()
    other = create_user(email="taken@example.com")
    auth.login(user)
    response = client.post(
        "/account/settings/email", data={"new_email": other.email, "current": TEST_PASSWORD}
    )
    assert response.status_code == 422
    assert "Another account uses that e-mail address" in response.get_data(as_text=True)


def test_profile_validation_keeps_input(client, auth, create_user):
    auth.login(create_user())
    response = client.post("/account/settings/profile", data={"name": "", "phone": "555-0101"})
    assert response.status_code == 422
    assert 'value="555-0101"' in response.get_data(as_text=True)


def test_sign_out_everywhere(client, auth, create_user):
    user = create_user(name="Everywhere Person")
    auth.login(user)
    client.post("/account/sessions/revoke")
    assert "Sign out" not in client.get("/").get_data(as_text=True)
    db.session.refresh(user)
    assert user.session_version == 2


def test_settings_require_sign_in(client):
    response = client.get("/account/settings")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_forgot_password_for_something_that_is_no_address_sends_nothing(client):
    answer = client.post("/password/forgot", data={"email": "not an address"})
    assert answer.status_code == 303  # the same answer
    assert db.session.scalar(select(OutboxEmail)) is None
