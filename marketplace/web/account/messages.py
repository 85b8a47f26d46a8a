"""Messages: the client's conversations with clinics, asking a clinic a question (from its
profile or about a booking), answering, and reporting a message to the admins."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_login import current_user, login_required

from ...extensions import rate_limit
from ...forms.messages import AskForm, MessageForm, ReportMessageForm
from ...models import Message, MessageReportReason, db, utcnow
from ...services.common.errors import Conflict, NotFound
from ...services.messages import reports, threads
from ...services.messages.threads import Side
from .. import conversation
from ..actions import run
from ..htmx import is_htmx, redirect_to, render
from ..loaders import my_booking_or_404, published_clinic_or_404
from ..paging import page_number
from .base import bp


def _my_thread_or_404(thread_id: int):
    try:
        return threads.client_thread(current_user, thread_id)
    except NotFound:
        abort(404)


@bp.get("/messages", endpoint="messages")
@login_required
def messages_list():
    """The client's conversations with clinics, latest first, unread ones marked."""
    page = db.paginate(threads.client_threads(current_user), page=page_number(), per_page=20,
                       error_out=False)
    return render("account/messages.html", page=page, is_unread=threads.is_unread,
                  Side=Side)


def _thread_page(thread, *, form=None, status: int = 200, sent: str | None = None):
    return render("account/thread.html", "conversation", thread=thread,
                  messages=threads.messages_of(thread), side=Side.CLIENT,
                  form=form or MessageForm(formdata=None), sent=sent,
                  action=url_for("account.reply", thread_id=thread.id), status=status)


def _limited_reply(message: str):
    thread = _my_thread_or_404(request.view_args["thread_id"])
    return _thread_page(thread, form=conversation.kept_form(message))


@bp.get("/messages/<int:thread_id>", endpoint="thread")
@login_required
def thread_page(thread_id: int):
    """One conversation with a clinic, with a reply form; opening it marks it read."""
    thread = _my_thread_or_404(thread_id)
    conversation.open_thread(thread, Side.CLIENT)
    return _thread_page(thread)


@bp.post("/messages/<int:thread_id>", endpoint="reply")
@login_required
@conversation.limited(conversation.CLIENT_LIMIT, page=_limited_reply, scope="messages")
def reply(thread_id: int):
    """Answer in a conversation (in place with htmx; a 303 back to it without)."""
    thread = _my_thread_or_404(thread_id)
    return conversation.reply(thread, Side.CLIENT, page=lambda **kw: _thread_page(thread, **kw),
                              back=url_for("account.thread", thread_id=thread.id))


def _ask_page(clinic, booking=None, *, form=None, status: int = 200):
    action = (url_for("account.ask_about_booking", reference=booking.reference) if booking
              else url_for("account.ask", slug=clinic.slug))
    return render("account/ask.html", "ask_form", clinic=clinic, booking=booking,
                  form=form or AskForm(formdata=None), action=action, status=status)


def _ask(clinic, booking=None):
    form = AskForm()
    if not form.validate_on_submit():
        return _ask_page(clinic, booking, form=form, status=422 if form.errors else 200)
    outcome = run(lambda: threads.ask(
        client=current_user._get_current_object(), clinic=clinic, booking=booking,
        subject=form.subject.data, body=form.body.data, now=utcnow()))
    if not outcome.ok:
        outcome.show_on(form)
        return _ask_page(clinic, booking, form=form, status=outcome.status)
    flash(f"Your message is sent. We will e-mail you when {clinic.name} answers.", "success")
    return redirect_to(url_for("account.thread", thread_id=outcome.value.id) + "#latest")


def _limited_ask(message: str):
    reference = request.view_args.get("reference")
    booking = my_booking_or_404(reference) if reference else None
    clinic = booking.clinic if booking else published_clinic_or_404(request.view_args["slug"])
    form = AskForm(formdata=request.form)
    form.form_errors.append(message)
    return _ask_page(clinic, booking, form=form)


@bp.route("/clinics/<slug:slug>/ask", methods=["GET", "POST"], endpoint="ask")
@login_required
@conversation.limited(conversation.CLIENT_LIMIT, page=_limited_ask, scope="messages")
def ask(slug: str):
    """Ask a published clinic a question from its profile."""
    return _ask(published_clinic_or_404(slug))


@bp.route("/bookings/<ref:reference>/ask", methods=["GET", "POST"],
          endpoint="ask_about_booking")
@login_required
@conversation.limited(conversation.CLIENT_LIMIT, page=_limited_ask, scope="messages")
def ask_about_booking(reference: str):
    """Ask the clinic about one of the client's bookings (the same thread each time)."""
    booking = my_booking_or_404(reference)
    if request.method == "GET" and (existing := threads.booking_thread(booking)) is not None:
        return redirect_to(url_for("account.thread", thread_id=existing.id) + "#reply")
    return _ask(booking.clinic, booking)


@bp.route("/messages/report/<int:message_id>", methods=["GET", "POST"],
          endpoint="report_message")
@login_required
@rate_limit("30 per hour", methods=["POST"])
def report_message(message_id: int):
    """Report a message the other side wrote to the admins (a reason, and text)."""
    message = db.session.get(Message, message_id)
    side = threads.side_of(current_user, message.thread) if message else None
    if side is None:
        abort(404)
    if message.from_clinic == (side is Side.CLINIC):
        abort(403, description="You can only report a message the other side wrote.")
    back = _thread_url(message, side)
    form = ReportMessageForm()
    done = None
    if form.validate_on_submit():
        outcome = run(lambda: reports.report(
            message=message, reporter=current_user._get_current_object(), side=side,
            reason=MessageReportReason(form.reason.data), text=form.text.data, now=utcnow()))
        if outcome.ok:
            done = "Thank you. An admin will read the message and decide."
        elif isinstance(outcome.error, Conflict):  # reported or hidden already: said, kept
            done = outcome.message
        else:
            outcome.show_on(form)
            return render("account/report_message.html", "report_form", form=form,
                          message=message, back=back, status=outcome.status)
    if done and not is_htmx():
        flash(done, "success")
        return redirect_to(back)
    status = 422 if form.errors else 200
    return render("account/report_message.html", "report_done" if done else "report_form",
                  form=form, message=message, back=back, done=done, status=status)


def _thread_url(message: Message, side: Side) -> str:
    thread = message.thread
    if side is Side.CLIENT:
        return url_for("account.thread", thread_id=thread.id)
    return url_for("owner.thread", slug=thread.clinic.slug, thread_id=thread.id)
