"""Accounts: registration, sign-in checks and password hashing (argon2id)."""

from __future__ import annotations

import functools
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from zxcvbn import zxcvbn

from ...models import Role, User, db
from ..common.errors import Conflict

# argon2-cffi's defaults are RFC 9106's second recommendation (argon2id,
# 64 MiB, 3 passes), above OWASP's minimum; about 30 ms a hash on this hardware.
_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the e-mail is unknown, so timing does not reveal which
    addresses have accounts. Made on first use, not at import: every process that
    imports the app (each worker, each command) would otherwise pay a hash to start."""
    return _hasher.hash("not-a-real-password")


MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
#: The fewest guesses zxcvbn must estimate for a new password: 10^9 is about a year
#: of one core against our argon2id hashes, and refuses "kneaded-kneaded" (10^8).
MIN_GUESSES_LOG10 = 9
#: Words anyone would try first against this site.
SITE_WORDS = ("kneaded", "massage", "therapy", "clinic", "booking")
_ZXCVBN_MAX = 72  # zxcvbn reads at most this much; a longer password is judged by its start


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """Why a new password is too weak, in words; empty when it is acceptable.

    Strength is zxcvbn's estimate (a maintained library: frequency lists of leaked
    passwords, common words and names, keyboard patterns, dates, repeats, l33t), told
    the user's own e-mail and name and the site's words so that "dana2026" or
    "kneaded-kneaded" count as easy.
    """
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"Use at most {MAX_PASSWORD_LENGTH} characters.")
        return problems
    lowered = password.lower()
    email = email.strip().lower()
    local = email.split("@", 1)[0]
    if (email and email in lowered) or (len(local) >= 4 and local in lowered):
        problems.append("Do not use your e-mail address in your password.")
    names = [part for part in name.lower().split() if len(part) >= 3]
    if names and all(part in lowered for part in names):
        problems.append("Do not use your name in your password.")
    if password and not problems:
        user_inputs = [email, local, *email.split("@", 1)[1:], name, *names, *SITE_WORDS]
        verdict = zxcvbn(password[:_ZXCVBN_MAX], user_inputs=[u for u in user_inputs if u])
        if verdict["guesses_log10"] < MIN_GUESSES_LOG10:
            reason = (verdict.get("feedback") or {}).get("warning") or ""
            problems.append(" ".join(filter(None, [
                "That password is too easy to guess.", reason,
                "A few unrelated words make a strong one that is easy to remember."])))
    return problems


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def register_user(
    *, email: str, password: str, name: str, role: Role = Role.CLIENT, phone: str | None = None
) -> User:
    """Create an account. Raises Conflict when the e-mail is taken."""
    if role is Role.ADMIN:
        raise ValueError("admins are created from the command line, not by registering")
    if find_by_email(email) is not None:
        raise Conflict("An account with that e-mail already exists. Sign in instead?")
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        phone=(phone or None),
        password_hash=hash_password(password),
        role=role,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(*, email: str, password: str, now: datetime) -> User | None:
    """The active user with these credentials, or None. Rehashes outdated hashes."""
    user = find_by_email(email)
    if user is None:
        _verify(_dummy_hash(), password)
        return None
    if not _verify(user.password_hash, password) or not user.is_active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    return user


def check_password(user: User, password: str) -> bool:
    """True when ``password`` is the user's current password."""
    return _verify(user.password_hash, password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def revoke_sessions(user: User) -> None:
    """Sign the user out everywhere: every existing session stops loading."""
    user.session_version += 1


def save_details(user: User, *, name: str, phone: str | None) -> None:
    """Change the name and phone the account shows (an empty phone is none)."""
    user.name = name
    user.phone = phone or None
