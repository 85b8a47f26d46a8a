"""My bookings: the list, one booking, its calendar file, cancel and reschedule."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, current_app, flash, request, url_for
from flask_login import current_user, login_required

from ...extensions import rate_limit
from ...forms.base import EmptyForm
from ...forms.booking import CancelForm, PickerForm, RescheduleForm, parse_start, therapist_id_of
from ...models import BookingStatus, Party, utcnow
from ...services import booking as bookings
from ...services import waitlist
from ...services.booking import changes as booking_changes
from ...services.booking import ics
from ...services.booking import picker as slot_picker
from ...services.booking.notifications import manage_url
from ...services.common.errors import DomainError
from ...services.common.local_time import describe_time, local_today
from ...services.common.money import format_cents
from ...services.intake import access as intake_access
from ...services.intake.records import keyring_for
from ...services.series import reports as series_reports
from ...services.series import sessions as series_sessions
from ..actions import run
from ..htmx import is_htmx, redirect_to, render
from ..loaders import my_booking_or_404
from ..payments import gateway
from ..rules import booking_rules
from .base import bp


@bp.get("/bookings", endpoint="bookings")
@login_required
def bookings_list():
    """The client's bookings: coming up first, then past and cancelled ones; times held but
    never booked (let go, lapsed, stopped by the health questions) apart, folded away."""
    now = utcnow()
    mine = bookings.client_bookings(current_user, now=now)
    return render("account/bookings.html", upcoming=mine.upcoming, past=mine.past,
                  unfinished=mine.unfinished,
                  waiting=waitlist.client_entries(current_user, now=now),
                  series=series_reports.client_series(current_user),
                  sessions_left=series_sessions.sessions_left, now=now,
                  leave_form=EmptyForm(formdata=None))


@bp.get("/bookings/<ref:reference>")
@login_required
def booking(reference: str):
    """One booking: the visit in the clinic's time, payments, and what can be changed."""
    b = my_booking_or_404(reference)
    return _detail(b)


def _detail(b, *, status: int = 200, cancel_form=None, alert: str | None = None):
    now = utcnow()
    refund, kept = booking_changes.cancellation_terms(b, now=now)
    try:
        booking_changes.check_reschedulable(b, actor=current_user, now=now)
        why_fixed = None
    except DomainError as exc:
        why_fixed = str(exc)
    return render("account/booking.html", "booking_detail", status=status, booking=b,
                  now=now, inline_flashes=is_htmx(), refund=refund, kept=kept,
                  why_fixed=why_fixed, alert=alert,
                  free_until=booking_changes.free_cancellation_until(b),
                  sharing=intake_access.booking_access(
                      b, now=now, access_days=booking_rules().intake_access_days),
                  withdraw_form=EmptyForm(formdata=None),
                  payment=bookings.paid_payment(b), cancel_form=cancel_form or CancelForm(
                      formdata=None))


@bp.get("/bookings/<ref:reference>/calendar.ics")
@login_required
def booking_calendar(reference: str):
    """The visit as a calendar file, in the clinic's time zone."""
    b = my_booking_or_404(reference)
    if b.status not in (BookingStatus.CONFIRMED, BookingStatus.CANCELLED):
        return _detail(b, status=409, alert="Only a confirmed booking has a calendar file.")
    body = ics.booking_invite(b, organizer=current_app.config["MAIL_DEFAULT_SENDER"],
                              site_name=current_app.config["SITE_NAME"], manage_url=manage_url(b),
                              now=utcnow(), cancelled=b.status is BookingStatus.CANCELLED)
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="booking-{b.reference}.ics"'})


def _change_again(message: str):
    """Too many tries at cancelling or moving: the same page, with what was typed."""
    if not current_user.is_authenticated:
        return None
    b = my_booking_or_404(request.view_args["reference"])
    if request.endpoint == "account.cancel_booking":
        return _detail(b, cancel_form=CancelForm(), alert=message)
    return _reschedule_page(b, PickerForm(formdata=None), alert=message)


@bp.route("/bookings/<ref:reference>/cancel", methods=["GET", "POST"])
@login_required
@rate_limit("20 per hour", methods=["POST"], page=_change_again)
def cancel_booking(reference: str):
    """Cancel, told first whether the deposit comes back (inside the free window) or is kept."""
    b = my_booking_or_404(reference)
    form = CancelForm()
    if request.method == "GET" or not form.validate_on_submit():
        status = 422 if form.errors else 200
        return _detail(b, status=status, cancel_form=form)
    # The cancellation commits before the refund is asked for (see ``changes.cancel``).
    outcome = run(lambda: bookings.cancel(b, by=Party.CLIENT, actor=current_user,
                                          reason=form.reason.data, now=utcnow(),
                                          gateway=gateway()))
    if not outcome.ok:
        return _detail(b, status=409, alert=outcome.message)
    flash(_cancelled_message(outcome.value), "success")
    if is_htmx():
        return _detail(b)
    return redirect_to(url_for("account.booking", reference=b.reference))


def _cancelled_message(result: booking_changes.Cancellation) -> str:

    if result.refund_cents and result.refund_pending:
        return (f"Your booking is cancelled. The refund of {format_cents(result.refund_cents)} "
                "will be sent as soon as the payment service answers; we will e-mail you.")
    if result.refund_cents:
        return (f"Your booking is cancelled and {format_cents(result.refund_cents)} is refunded "
                "to your card (it can take 5-10 days to show).")
    if result.kept_cents:
        return (f"Your booking is cancelled. As it was less than "
                f"{result.booking.policy_cancellation_hours} hours ahead, the deposit of "
                f"{format_cents(result.kept_cents)} is kept by the clinic.")
    return "Your booking is cancelled."


@bp.route("/bookings/<ref:reference>/reschedule", methods=["GET", "POST"])
@login_required
@rate_limit("30 per hour", methods=["POST"], page=_change_again)
def reschedule_booking(reference: str):
    """Move the visit to another open time (same service, deposit kept)."""
    b = my_booking_or_404(reference)
    now = utcnow()
    try:
        booking_changes.check_reschedulable(b, actor=current_user, now=now)
    except DomainError as exc:
        return _detail(b, status=409, alert=str(exc))
    if request.method == "GET":
        picker = PickerForm(request.args)
        chosen = parse_start(picker.start.data, b.timezone) if picker.validate() else None
        if chosen is not None:  # a time was tapped: ask before moving anything
            return _confirm_move_page(b, chosen, picker.therapist.data or "any")
        return _reschedule_page(b, picker)
    form = RescheduleForm()
    starts_at = parse_start(form.start.data, b.timezone) if form.validate_on_submit() else None
    if starts_at is None:
        return _reschedule_page(b, PickerForm(formdata=None), status=422,
                                alert="Choose one of the open times.")
    if not form.confirm.data:  # only the confirmation's own button moves the visit
        return _confirm_move_page(b, starts_at, form.therapist.data)
    previous = b.starts_at
    outcome = run(lambda: bookings.reschedule(
        b, starts_at=starts_at, therapist_id=therapist_id_of(form.therapist.data),
        actor=current_user, now=now, rules=booking_rules(),
        keyring=keyring_for(current_app.config)))
    if not outcome.ok:
        day = starts_at.astimezone(slot_picker.zone(b.timezone)).date()
        return _reschedule_page(b, PickerForm(formdata=None, date=day,
                                              therapist=form.therapist.data or "any"),
                                status=409, alert=outcome.message)
    flash(f"Moved from {describe_time(previous, b.timezone)} to "
          f"{describe_time(b.starts_at, b.timezone)}. Your deposit stays with the booking.",
          "success")
    return redirect_to(url_for("account.booking", reference=b.reference))


def _confirm_move_page(b, starts_at, therapist: str):
    """"Move your visit from X to Y?" with Confirm and Keep current time."""
    local = starts_at.astimezone(slot_picker.zone(b.timezone))
    back = url_for("account.reschedule_booking", reference=b.reference, therapist=therapist,
                   date=local.date().isoformat())
    return render("account/reschedule.html", "reschedule", booking=b, confirm_move=True,
                  new_start=starts_at, new_start_value=local.isoformat(), therapist=therapist,
                  back=back)


def _reschedule_page(b, form: PickerForm, *, status: int = 200, alert: str | None = None):
    form.validate()
    now, tz = utcnow(), b.timezone
    today = local_today(tz, now)
    therapists = [t for t in b.service.therapists if t.active]
    therapist = form.therapist.data or "any"
    if form.start.errors:
        form.start.errors = []  # an unreadable time just shows the day again
    if therapist != "any" and (form.therapist.errors or int(therapist) not in {
            t.id for t in therapists}):
        therapist = "any"
    day = max(form.date.data or b.starts_at.astimezone(slot_picker.zone(tz)).date(), today)
    first = slot_picker.strip_start(day, today)
    days = slot_picker.reschedule_week(b, first=first, therapist_id=therapist_id_of(therapist),
                                       now=now, rules=booking_rules())
    slots = next((d.slots for d in days if d.day == day), [])
    return render("account/reschedule.html", "reschedule", status=status, booking=b,
                  form=form, days=days, day=day, slots=slots, therapists=therapists,
                  therapist=therapist, alert=alert, today=today,
                  earlier=first - timedelta(days=7) if first > today else None,
                  later=first + timedelta(days=7))
