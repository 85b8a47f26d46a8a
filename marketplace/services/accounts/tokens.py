"""Signed, expiring, single-use links: password reset, e-mail change, and the
sign-in link that finishes a registration.

Registration and forgot-password answer the same whether or not an account
has the address, and do the same work either way (one argon2 hash, one e-mail
queued), so neither the answer nor its timing tells whether an address is
registered: the address's owner learns it by e-mail instead.

A token carries a fingerprint of the state it changes (the password hash, or
the current e-mail address), so once used, or once that state changes for any
other reason, it no longer verifies. Nothing is stored server-side.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ...models import Role, User, db
from .. import mail
from ..common.errors import Conflict, DomainError
from . import users as accounts

RESET_MAX_AGE = 60 * 60  # one hour
EMAIL_MAX_AGE = 24 * 60 * 60
WELCOME_MAX_AGE = 24 * 60 * 60


class TokenInvalid(DomainError):
    """The link is malformed, expired or already used."""

    status = 400


def _fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:20]


def _serializer(secret: str, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=salt)


def _load(secret: str, salt: str, token: str, max_age: int) -> dict:
    try:
        data = _serializer(secret, salt).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenInvalid("This link has expired. Ask for a new one.") from exc
    except BadSignature as exc:
        raise TokenInvalid("This link is not valid. Ask for a new one.") from exc
    if not isinstance(data, dict):
        raise TokenInvalid("This link is not valid. Ask for a new one.")
    return data


def reset_token(user: User, *, secret: str) -> str:
    return _serializer(secret, "password-reset").dumps(
        {"u": user.id, "f": _fingerprint(user.password_hash)}
    )


def user_for_reset(token: str, *, secret: str) -> User:
    """The user a reset link belongs to; TokenInvalid if it expired or was used."""
    data = _load(secret, "password-reset", token, RESET_MAX_AGE)
    user = db.session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or not user.is_active or data.get("f") != _fingerprint(user.password_hash):
        raise TokenInvalid("This link has already been used or is no longer valid.")
    return user


def request_password_reset(
    *, email: str, secret: str, link_for: Callable[[str], str], sender: str, site_name: str
) -> None:
    """E-mail a reset link if an active account has that address, or else tell the
    address that it has no account here; the caller says the same thing either way.

    Both paths sign a token and queue one e-mail, so they take the same time."""
    address = accounts.normalise_email(email)
    user = accounts.find_by_email(address)
    if user is None or not user.is_active:
        _sign_nothing(secret)
        if not _could_be_an_address(address):
            return  # no account can have it, so answering faster reveals nothing
        mail.queue(
            sender=sender, to=address, subject=f"Reset your {site_name} password",
            text=(
                f"Hello,\n\nSomeone (we hope you) asked to reset the password of a {site_name} "
                f"account with this e-mail address, but no active {site_name} account uses it. "
                "If you have an account, you may have signed up with another address.\n\n"
                "If you did not ask, ignore this e-mail.\n"
            ),
        )
        return
    link = link_for(reset_token(user, secret=secret))
    mail.queue(
        sender=sender, to=user.email, subject=f"Reset your {site_name} password",
        text=(
            f"Hello {user.name},\n\nSomeone (we hope you) asked to reset the password of your "
            f"{site_name} account. Choose a new password here within the next hour:\n\n{link}\n\n"
            "If you did not ask, ignore this e-mail: your password stays as it is.\n"
        ),
    )


def _could_be_an_address(address: str) -> bool:
    """Whether mail to ``address`` could be delivered at all (syntax only)."""
    try:
        validate_email(address, check_deliverability=False, globally_deliverable=False,
                       test_environment=True)
    except EmailNotValidError:
        return False
    return True


def _sign_nothing(secret: str) -> str:
    """The token work of the other path, for a request that has no account to sign for."""
    return _serializer(secret, "password-reset").dumps({"u": 0, "f": _fingerprint("")})


# --- registration ----------------------------------------------------------------------


def register(
    *, email: str, password: str, name: str, phone: str | None, role: Role, secret: str,
    link_for: Callable[[str], str], sign_in_url: str, reset_url: str, sender: str,
    site_name: str,
) -> None:
    """Create an account and e-mail its sign-in link; or, if the address already has an
    account, create nothing and tell that account's owner instead.

    The caller answers "check your inbox" in both cases, and both do the same work
    (hash the password, queue one e-mail), so the answer does not reveal whether the
    address is registered."""
    existing = accounts.find_by_email(email)
    if existing is None:
        user = accounts.register_user(email=email, password=password, name=name,
                                      phone=phone, role=role)
        link = link_for(welcome_token(user, secret=secret))
        mail.queue(
            sender=sender, to=user.email, subject=f"Confirm your {site_name} account",
            text=(
                f"Hello {user.name},\n\nWelcome to {site_name}. Confirm this address and sign "
                f"in by opening this link within 24 hours:\n\n{link}\n\n"
                "If you did not create an account, ignore this e-mail.\n"
            ),
        )
        return
    accounts.hash_password(password)  # the same work as creating the account
    mail.queue(
        sender=sender, to=existing.email, subject=f"Someone tried to register with your "
        f"{site_name} address",
        text=(
            f"Hello {existing.name},\n\nSomeone (perhaps you) tried to create a new {site_name} "
            "account with this e-mail address, which already has an account. Nothing was "
            f"changed.\n\nIf it was you, sign in:\n\n{sign_in_url}\n\nor, if you forgot your "
            f"password, choose a new one:\n\n{reset_url}\n\n"
            "If it was not you, ignore this e-mail: your account is as it was.\n"
        ),
    )


def _welcome_fingerprint(user: User) -> str:
    # Changes at the first sign-in (and with the password): the link works once.
    return _fingerprint(f"{user.password_hash}|{user.last_login_at}")


def welcome_token(user: User, *, secret: str) -> str:
    return _serializer(secret, "welcome").dumps({"u": user.id, "f": _welcome_fingerprint(user)})


def welcome_user(token: str, *, secret: str) -> User:
    """The new account a registration link is for, without using the link (opening it
    only shows a button: mail scanners that fetch links must not use it up);
    TokenInvalid if it expired, was used, or the account signed in since."""
    data = _load(secret, "welcome", token, WELCOME_MAX_AGE)
    user = db.session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or not user.is_active or data.get("f") != _welcome_fingerprint(user):
        raise TokenInvalid("This link has already been used or is no longer valid. "
                           "Sign in with your e-mail and password.")
    return user


def user_for_welcome(token: str, *, secret: str, now: datetime) -> User:
    """The new account a registration link signs in, marked signed in (so the link
    works once); TokenInvalid as ``welcome_user``."""
    user = welcome_user(token, secret=secret)
    user.last_login_at = now
    return user


def reset_password(user: User, *, password: str) -> None:
    """Set a new password and sign the user out everywhere."""
    user.password_hash = accounts.hash_password(password)
    accounts.revoke_sessions(user)


def email_change_token(user: User, new_email: str, *, secret: str) -> str:
    return _serializer(secret, "email-change").dumps(
        {"u": user.id, "old": _fingerprint(user.email), "new": accounts.normalise_email(new_email)}
    )


def request_email_change(
    user: User, *, new_email: str, secret: str, link_for: Callable[[str], str], sender: str,
    site_name: str,
) -> None:
    """Send a confirmation link to the new address; the change waits for it."""
    new_email = accounts.normalise_email(new_email)
    if new_email == user.email:
        raise Conflict("That is already your e-mail address.")
    if accounts.find_by_email(new_email) is not None:
        raise Conflict("Another account uses that e-mail address.")
    link = link_for(email_change_token(user, new_email, secret=secret))
    mail.queue(
        sender=sender, to=new_email, subject=f"Confirm your new {site_name} e-mail address",
        text=(
            f"Hello {user.name},\n\nConfirm that {new_email} should become the e-mail address of "
            f"your {site_name} account by opening this link within 24 hours:\n\n{link}\n\n"
            "If you did not ask for this, ignore this e-mail.\n"
        ),
    )
    mail.queue(
        sender=sender, to=user.email, subject=f"Your {site_name} e-mail address is changing",
        text=(
            f"Hello {user.name},\n\nWe received a request to change your account's e-mail address "
            "to a new one. It changes only when the new address is confirmed. If this was not "
            "you, change your password now.\n"
        ),
    )


def confirm_email_change(token: str, *, secret: str) -> User:
    """Apply a confirmed e-mail change; TokenInvalid if expired, used or taken meanwhile."""
    data = _load(secret, "email-change", token, EMAIL_MAX_AGE)
    user = db.session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or data.get("old") != _fingerprint(user.email):
        raise TokenInvalid("This link has already been used or is no longer valid.")
    new_email = str(data.get("new", ""))
    if accounts.find_by_email(new_email) is not None:
        raise TokenInvalid("Another account now uses that e-mail address.")
    user.email = new_email
    return user
