"""The clinic's inbox: conversations with clients, each answered by anyone on the team."""

from __future__ import annotations

from flask import abort, request, url_for

from ...forms.messages import MessageForm
from ...models import Clinic, MessageThread, db
from ...services.common.errors import NotFound
from ...services.messages import threads
from ...services.messages.threads import Side
from .. import conversation
from ..auth import owner_required
from ..htmx import render
from ..paging import page_number
from .base import bp, clinic_or_404


def _thread_or_404(clinic: Clinic, thread_id: int) -> MessageThread:
    try:
        return threads.clinic_thread(clinic, thread_id)
    except NotFound:
        abort(404)


@bp.get("/clinics/<slug:slug>/messages", endpoint="messages")
@owner_required
def inbox(slug: str):
    """The clinic's conversations, latest first; ``?show=unread`` for the unread ones."""
    clinic = clinic_or_404(slug)
    unread_only = request.args.get("show") == "unread"
    page = db.paginate(threads.clinic_threads(clinic, unread_only=unread_only),
                       page=page_number(), per_page=25, error_out=False)
    return render("owner/messages.html", "inbox", clinic=clinic, page=page,
                  unread_only=unread_only, is_unread=threads.is_unread, Side=Side)


def _thread_page(clinic: Clinic, thread: MessageThread, *, form=None, status: int = 200,
                 sent: str | None = None):
    return render("owner/thread.html", "conversation", clinic=clinic, thread=thread,
                  messages=threads.messages_of(thread), side=Side.CLINIC,
                  form=form or MessageForm(formdata=None), sent=sent, status=status,
                  action=url_for("owner.reply", slug=clinic.slug, thread_id=thread.id))


def _limited_reply(message: str):
    clinic = clinic_or_404(request.view_args["slug"])
    thread = _thread_or_404(clinic, request.view_args["thread_id"])
    return _thread_page(clinic, thread, form=conversation.kept_form(message))


@bp.get("/clinics/<slug:slug>/messages/<int:thread_id>", endpoint="thread")
@owner_required
def thread_page(slug: str, thread_id: int):
    """One conversation with a client; opening it marks it read for the whole team."""
    clinic = clinic_or_404(slug)
    thread = _thread_or_404(clinic, thread_id)
    conversation.open_thread(thread, Side.CLINIC)
    return _thread_page(clinic, thread)


@bp.post("/clinics/<slug:slug>/messages/<int:thread_id>", endpoint="reply")
@owner_required
@conversation.limited(conversation.CLINIC_LIMIT, page=_limited_reply,
                      scope="clinic-messages")
def reply(slug: str, thread_id: int):
    """Answer a client (in place with htmx; a 303 back to the thread without)."""
    clinic = clinic_or_404(slug)
    thread = _thread_or_404(clinic, thread_id)
    return conversation.reply(
        thread, Side.CLINIC, page=lambda **kw: _thread_page(clinic, thread, **kw),
        back=url_for("owner.thread", slug=clinic.slug, thread_id=thread.id))
