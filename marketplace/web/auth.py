"""Who is asking: the session's user loader and the access decorators views use."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from ..models import Clinic, Role, User, db
from ..services.accounts import tenancy
from ..services.common.errors import NotFound


def load_user(session_id: str) -> User | None:
    """Load the user named by the session, refusing stale or suspended sessions.

    The session stores ``"<id>:<session_version>"``; bumping the version (at
    logout, password change or suspension) revokes every session at once.
    """
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.is_active:
        return None
    return user


def role_required(*roles: Role):
    """Allow only signed-in users with one of ``roles`` (others get 403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


admin_required = role_required(Role.ADMIN)
owner_required = role_required(Role.OWNER, Role.ADMIN)


def owned_clinic_or_404(slug: str) -> Clinic:
    """The clinic named by ``slug`` if the signed-in user manages it, else 404."""
    try:
        return tenancy.member_clinic(current_user, slug)
    except NotFound:
        abort(404)
