"""The admin console's operations on accounts: suspend and restore users, find them.

Every operation writes an audit entry in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, or_, select

from ...models import Role, User, UserStatus
from .. import audit
from ..accounts.users import revoke_sessions
from ..common.errors import Conflict, NotAllowed
from .reasons import required_reason


def suspend_user(*, user: User, admin: User, reason: str, now: datetime) -> User:
    """Suspend an account and sign it out everywhere at once."""
    if user.id == admin.id:
        raise NotAllowed("You cannot suspend your own account.")
    if user.is_admin:
        raise NotAllowed("Admin accounts are managed from the command line.")
    if user.status is UserStatus.SUSPENDED:
        raise Conflict("This account is already suspended.")
    reason = required_reason(reason)
    user.status, user.suspended_reason = UserStatus.SUSPENDED, reason
    revoke_sessions(user)
    audit.record(actor=admin, action="user.suspend", obj=user, detail={"reason": reason}, now=now)
    return user


def restore_user(*, user: User, admin: User, now: datetime) -> User:
    """Let a suspended account sign in again."""
    if user.status is not UserStatus.SUSPENDED:
        raise Conflict("This account is not suspended.")
    user.status, user.suspended_reason = UserStatus.ACTIVE, None
    audit.record(actor=admin, action="user.restore", obj=user, now=now)
    return user


def search_users(
    *, q: str = "", role: Role | None = None, status: UserStatus | None = None
) -> Select:
    """Users whose name or e-mail contains ``q``, newest first."""
    stmt = select(User).order_by(User.created_at.desc(), User.id.desc())
    if q:
        needle = q.lower()
        stmt = stmt.where(
            or_(
                func.lower(User.email).contains(needle, autoescape=True),
                func.lower(User.name).contains(needle, autoescape=True),
            )
        )
    if role is not None:
        stmt = stmt.where(User.role == role)
    if status is not None:
        stmt = stmt.where(User.status == status)
    return stmt
