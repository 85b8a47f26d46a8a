"""Users: find, look at, suspend and restore."""

from __future__ import annotations

from flask import request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from ...forms.admin import SuspendForm, UserSearchForm
from ...forms.base import EmptyForm
from ...models import Booking, Review, Role, User, UserStatus, db, utcnow
from ...services.admin import users as admin_service
from ...services.audit import query as audit_log
from ..actions import button
from ..auth import admin_required
from ..htmx import render
from .base import bp, search_page

# --- users --------------------------------------------------------------------------------


@bp.get("/users")
@admin_required
def users():
    """Find users by name or e-mail, role and status."""
    form = UserSearchForm(request.args)
    return search_page("admin/users.html", form, lambda: admin_service.search_users(
        q=form.q.data or "",
        role=Role(form.role.data) if form.role.data else None,
        status=UserStatus(form.status.data) if form.status.data else None,
    ))


def _user_page(user: User, *, suspend_form=None, status: int = 200):
    bookings = db.session.scalar(select(func.count(Booking.id)).where(Booking.client_id == user.id))
    reviews = db.session.scalar(select(func.count(Review.id)).where(Review.author_id == user.id))
    history = db.session.scalars(
        audit_log.entries(audit_log.AuditFilter(object_type="user", object_id=user.id)).limit(20)
    ).all()
    return render(
        "admin/user.html",
        user=user,
        bookings=bookings,
        reviews=reviews,
        history=history,
        suspend_form=suspend_form or SuspendForm(formdata=None),
        status=status,
    )


@bp.get("/users/<int:user_id>")
@admin_required
def user(user_id: int):
    """One account: role, status, clinics, activity and its audit history."""
    return _user_page(db.get_or_404(User, user_id))


@bp.post("/users/<int:user_id>/suspend")
@admin_required
def suspend_user(user_id: int):
    """Suspend an account; it is signed out everywhere at once."""
    user = db.get_or_404(User, user_id)
    form = SuspendForm()
    return button(
        form,
        lambda: admin_service.suspend_user(
            user=user, admin=current_user, reason=form.reason.data, now=utcnow()
        ),
        message=f"{user.name} is suspended and signed out.",
        back=url_for("admin.user", user_id=user_id),
        invalid=lambda: _user_page(user, suspend_form=form, status=422),
    )


@bp.post("/users/<int:user_id>/restore")
@admin_required
def restore_user(user_id: int):
    """Let a suspended account sign in again."""
    user = db.get_or_404(User, user_id)
    return button(
        EmptyForm(),
        lambda: admin_service.restore_user(user=user, admin=current_user, now=utcnow()),
        message=f"{user.name} can sign in again.",
        back=url_for("admin.user", user_id=user_id),
    )
