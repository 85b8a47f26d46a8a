"""Accounts: registration, sign-in checks and password hashing (argon2id)."""

from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select

from ..models import Role, User, db
from .errors import Conflict

# argon2-cffi's defaults are RFC 9106's second recommendation (argon2id,
# 64 MiB, 3 passes), above OWASP's minimum; about 30 ms a hash on this hardware.
_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so timing does not reveal
# which addresses have accounts.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

MIN_PASSWORD_LENGTH = 10
COMMON_PASSWORDS = frozenset(
    {
        "password123",
        "1234567890",
        "qwertyuiop",
        "password1234",
        "iloveyou12",
        "letmein123",
        "welcome123",
        "massage123",
        "abc1234567",
        "passw0rd123",
    }
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_problems(password: str, *, email: str = "") -> list[str]:
    """Why a new password is too weak, in words; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > 256:
        problems.append("Use at most 256 characters.")
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        problems.append("That password is too easy to guess.")
    local = email.split("@", 1)[0].lower()
    if local and len(local) >= 4 and local in password.lower():
        problems.append("Do not use your e-mail address in your password.")
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
        _verify(_DUMMY_HASH, password)
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
