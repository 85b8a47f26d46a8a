"""The health-questions step: answer (or review last time's answers), see what the
screening says, and go on, confirm a doctor's clearance, choose a gentler service,
change the answer that stopped the booking, or stop. Kept out of htmx's history cache;
no third-party script on these pages."""

from __future__ import annotations

import re

from flask import current_app, redirect, request, url_for
from flask_login import current_user, login_required

from ...extensions import rate_limit
from ...forms.intake import BookingIntakeForm
from ...models import utcnow
from ...services.booking import SlotTaken
from ...services.booking import intake_step as booking_intake
from ...services.common.local_time import local_today
from ...services.intake.records import keyring_for
from ..actions import run
from ..filters import show
from ..htmx import redirect_to, render
from ..rules import booking_rules
from ..security import shows_health_data
from .base import bp, checkout_booking_or_404
from .checkout import checkout_page

_FIELD = re.compile(r"[a-z_]{1,40}")


def _today(booking):
    return local_today(booking.timezone, utcnow())


def intake_page(booking, form, *, decision=None, reused_from=None, status=200, alert=None,
                changing=None):
    """The questions (or what the answers mean), as a page or its fragment.
    ``reused_from``: the prefilled answers' ``Reused`` (date text and source), if any."""
    shows_health_data()
    return render("booking/intake.html", "intake", status=status, booking=booking, form=form,
                  decision=decision, screening=decision.screening if decision else None,
                  reused_from=reused_from.when if reused_from else None,
                  from_profile=bool(reused_from and reused_from.from_profile),
                  visit_day=booking_intake.visit_date(booking), alert=alert, changing=changing)


class Reused:
    """Where the prefilled answers came from, for the page to say."""

    def __init__(self, earlier, timezone: str):
        self.when = show("long_date", earlier.given_at, timezone)
        self.from_profile = earlier.from_profile


def _earlier(booking):
    """The client's profile or answers from an earlier visit (not this booking's), and
    where and when they came from."""
    last = booking_intake.reusable_answers(current_user, keyring=keyring_for(current_app.config),
                                           now=utcnow(), besides=booking)
    if last is None:
        return None, None
    return last.answers, Reused(last, booking.timezone)


def _form(booking, **kwargs) -> BookingIntakeForm:
    return BookingIntakeForm(today=_today(booking), clinic_name=booking.clinic.name,
                             access_days=booking_rules().intake_access_days, **kwargs)


def _submitted_form(booking):
    """The posted answers; confirming them is required when they began as the profile or
    an earlier visit's answers."""
    _, reused_from = _earlier(booking)
    form = _form(booking, prefilled=reused_from is not None)
    return form, reused_from


def _intake_again(message: str):
    """Too many submissions: the questions again, as they were answered, with the message."""
    if not current_user.is_authenticated:
        return None
    booking = checkout_booking_or_404(request.view_args["reference"])
    form, reused_from = _submitted_form(booking)
    return intake_page(booking, form, reused_from=reused_from, status=429, alert=message)


def _may_answer_again(booking) -> bool:
    return (booking.client_id == current_user.id
            and booking_intake.stopped_by_screening(booking))


@bp.get("/book/<ref:reference>/intake")
@login_required
def intake(reference: str):
    """The questions, prefilled with the client's last answers for them to review; after
    the screening stopped this booking, its answers again, the one to change marked."""
    booking = checkout_booking_or_404(reference)
    earlier, reused_from = _earlier(booking)
    if _may_answer_again(booking):
        given = booking_intake.answers_given(booking, client=current_user,
                                             keyring=keyring_for(current_app.config),
                                             now=utcnow())
        if given is not None:
            change = request.args.get("change", "")
            form = _form(booking, formdata=None, data=BookingIntakeForm.prefill_data(given),
                         prefilled=earlier is not None)
            return intake_page(booking, form, reused_from=reused_from,
                               changing=change if _FIELD.fullmatch(change) else None)
    if booking.client_id is None or booking.status.value != "held":
        return redirect(url_for("booking.checkout", reference=booking.reference), code=303)
    if earlier is None:
        return intake_page(booking, _form(booking, formdata=None))
    form = _form(booking, formdata=None, data=BookingIntakeForm.prefill_data(earlier),
                 prefilled=True)
    return intake_page(booking, form, reused_from=reused_from)


@bp.post("/book/<ref:reference>/intake")
@login_required
@rate_limit("30 per hour", methods=["POST"], page=_intake_again)
def submit_intake(reference: str):
    """Screen the answers for the visit's date and act on the outcome."""
    booking = checkout_booking_or_404(reference)
    form, reused_from = _submitted_form(booking)
    if not form.validate_on_submit():
        return intake_page(booking, form, reused_from=reused_from, status=422)
    again = _may_answer_again(booking)
    screen = booking_intake.answer_again if again else booking_intake.submit_intake
    more = {"rules": booking_rules()} if again else {}
    # The answer is made inside the action, before the commit, so nothing after the commit
    # needs the database: a failed commit is an error page, a successful one is never
    # reported as a failure.
    outcome = run(lambda: _answer(booking, form, reused_from, screen(
        booking, client=current_user, answers=form.to_answers(),
        clearance_confirmed=bool(form.clearance_confirmed.data),
        keyring=keyring_for(current_app.config), now=utcnow(),
        consented=bool(form.share_consent.data), keep_profile=bool(form.keep_profile.data),
        **more)))
    if outcome.ok:
        return outcome.value
    if not again:
        return checkout_page(booking, alert=outcome.message, status=409)
    alert = outcome.message
    if isinstance(outcome.error, SlotTaken):
        alert = ("Your answers now allow this booking, but that time was taken "
                 f"meanwhile. Choose another time at {booking.clinic.name}.")
    return intake_page(booking, form, reused_from=reused_from, status=409, alert=alert)


def _answer(booking, form, reused_from, decision: booking_intake.IntakeDecision):
    """What the screening's decision shows: the clearance to confirm (nothing was saved),
    on to checkout, or what the answers mean."""
    if decision.needs_clearance:
        form.check_clearance(decision.screening)
        return intake_page(booking, form, decision=decision, reused_from=reused_from,
                           status=422)
    if decision.go_ahead:
        return redirect_to(url_for("booking.checkout", reference=decision.booking.reference))
    return intake_page(booking, form, decision=decision, reused_from=reused_from)
