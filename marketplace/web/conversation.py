"""What the client's and the clinic's thread pages share: opening a thread (marking it
read), posting a reply in place with htmx (or by a full page and a 303 without
JavaScript), and keeping what was typed when a limit or a rule refuses it."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, flash, request
from flask_login import current_user

from ..extensions import rate_limit
from ..forms.messages import MessageForm
from ..models import MessageThread, utcnow
from ..services.messages import threads
from ..services.messages.threads import Side
from .actions import run
from .htmx import is_htmx, redirect_to

#: New messages a signed-in person may send in an hour: questions and answers together.
CLIENT_LIMIT = "10 per hour"
#: A clinic's team answers many clients: each member may send this many in an hour.
CLINIC_LIMIT = "60 per hour"

Page = Callable[..., Response]


def limited(limit: str, page: Callable[[str], Response | None], *, scope: str):
    """A limit shared by every route under ``scope`` (refused attempts do not count),
    answering a breach with ``page``."""
    return rate_limit(limit, scope=scope, methods=["POST"], page=page,
                      deduct_when=lambda response: response.status_code < 400)


def open_thread(thread: MessageThread, side: Side) -> None:
    """Mark what the other side wrote as read (written only when something was unread)."""
    run(lambda: threads.mark_read(thread=thread, side=side, now=utcnow()))


def reply(thread: MessageThread, side: Side, *, page: Page, back: str) -> Response:
    """Post the form's message to ``thread``. ``page(form=, status=, error=)`` renders the
    thread page (its "conversation" block for htmx)."""
    form = MessageForm()
    if not form.validate_on_submit():
        return page(form=form, status=422)
    outcome = run(lambda: threads.post(thread=thread, author=current_user._get_current_object(),
                                       side=side, body=form.body.data, now=utcnow()))
    if outcome.ok:
        if is_htmx():
            return page(form=MessageForm(formdata=None), status=200, sent="Sent.")
        flash("Your message is sent.", "success")
        return redirect_to(f"{back}#latest")
    outcome.show_on(form)
    return page(form=form, status=outcome.status)


def kept_form(message: str) -> MessageForm:
    """The reply form as it was posted, carrying ``message`` (a limit reached, say)."""
    form = MessageForm(formdata=request.form)
    form.form_errors.append(message)
    return form
