"""The client's waitlists, listed on "My bookings": leaving one."""

from __future__ import annotations

from flask import abort, url_for
from flask_login import current_user, login_required

from ...forms.base import EmptyForm
from ...models import utcnow
from ...services import waitlist
from ...services.common.errors import NotFound
from ..actions import button
from .base import bp


@bp.post("/waitlist/<int:entry_id>/leave")
@login_required
def leave_waitlist(entry_id: int):
    """Leave a waitlist; a time held for the client goes to the next person waiting."""
    try:
        entry = waitlist.client_entry(current_user, entry_id)
    except NotFound:
        abort(404)
    user = current_user._get_current_object()
    return button(EmptyForm(), lambda: waitlist.leave(entry=entry, client=user, now=utcnow()),
                  message="You left that waitlist.",
                  back=url_for("account.bookings") + "#waitlist")
