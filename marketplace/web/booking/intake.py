"""The health-questions step: answer (or review last time's answers), see what the
screening says, and go on, confirm a doctor's clearance, choose a gentler service,
or stop. Kept out of htmx's history cache; no third-party script on these pages."""

from __future__ import annotations

from flask import current_app, redirect, request, url_for
from flask_login import current_user, login_required

from ...extensions import rate_limit
from ...forms.intake import IntakeForm
from ...models import db, utcnow
from ...services import booking_intake, slot_picker
from ...services.errors import DomainError
from ...services.intake import keyring_for
from ..htmx import redirect_to, render
from .checkout import checkout_page
from .helpers import bp, checkout_booking_or_404


def _today(booking):
    return slot_picker.today_in(booking.timezone, utcnow())


def intake_page(booking, form, *, decision=None, reused_from=None, status=200, alert=None):
    """The questions (or what the answers mean), as a page or its fragment."""
    return render("booking/intake.html", "intake", status=status, booking=booking, form=form,
                  decision=decision, screening=decision.screening if decision else None,
                  reused_from=reused_from, visit_day=booking_intake.visit_date(booking),
                  alert=alert)


def _intake_again(message: str):
    """Too many submissions: the questions again, as they were answered, with the message."""
    if not current_user.is_authenticated:
        return None
    booking = checkout_booking_or_404(request.view_args["reference"])
    return intake_page(booking, IntakeForm(today=_today(booking)), status=429, alert=message)


@bp.get("/book/<reference>/intake")
@login_required
def intake(reference: str):
    """The questions, prefilled with the client's last answers for them to review."""
    booking = checkout_booking_or_404(reference)
    if booking.client_id is None or booking.status.value != "held":
        return redirect(url_for("booking.checkout", reference=booking.reference), code=303)
    last = booking_intake.reusable_answers(current_user, keyring=keyring_for(current_app.config),
                                           now=utcnow())
    if last is None:
        return intake_page(booking, IntakeForm(formdata=None, today=_today(booking)))
    answers, given_at = last
    form = IntakeForm(formdata=None, today=_today(booking),
                      data=IntakeForm.prefill_data(answers))
    reused = given_at.astimezone(slot_picker.zone(booking.timezone))
    return intake_page(booking, form, reused_from=f"{reused:%B} {reused.day}, {reused.year}")


@bp.post("/book/<reference>/intake")
@login_required
@rate_limit("30 per hour", methods=["POST"], page=_intake_again)
def submit_intake(reference: str):
    """Screen the answers for the visit's date and act on the outcome."""
    booking = checkout_booking_or_404(reference)
    form = IntakeForm(today=_today(booking))
    if not form.validate_on_submit():
        return intake_page(booking, form, status=422)
    try:
        decision = booking_intake.submit_intake(
            booking, client=current_user, answers=form.to_answers(),
            clearance_confirmed=bool(form.clearance_confirmed.data),
            keyring=keyring_for(current_app.config), now=utcnow())
    except DomainError as exc:
        db.session.rollback()
        return checkout_page(booking, alert=str(exc), status=409)
    if decision.needs_clearance:
        form.check_clearance(decision.screening)
        return intake_page(booking, form, decision=decision, status=422)
    # The answer is made before the commit, so nothing after it needs the database: a
    # failed commit is an error page, a successful one is never reported as a failure.
    if decision.go_ahead:
        response = redirect_to(url_for("booking.checkout", reference=booking.reference))
    else:
        response = intake_page(booking, form, decision=decision)
    db.session.commit()
    return response
