"""The clinic's day and week, one booking's page, and marking how a visit went."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, request, url_for

from ...forms.base import EmptyForm
from ...forms.listing import int_or_none
from ...forms.owner import ClinicCancelForm, ScheduleForm
from ...models import BookingStatus, utcnow
from ...services.clinics import bookings as clinic_bookings
from ...services.clinics import schedule as cs
from ...services.common.errors import NotFound
from ...services.common.local_time import local_today
from ...services.common.money import format_cents
from ...services.intake import records as intake
from ...services.intake.rules import CONTRAINDICATIONS
from ...services.payments import PaymentGateway
from .. import actions
from ..actions import run
from ..auth import owner_required
from ..htmx import is_htmx, render
from ..rules import booking_rules
from ..security import shows_health_data
from .base import actor, bp, clinic_or_404

OUTCOME_SLUGS = {"completed": BookingStatus.COMPLETED, "no-show": BookingStatus.NO_SHOW}


def _schedule_form(clinic) -> ScheduleForm:
    form = ScheduleForm(request.args)
    form.therapist.choices = [("", "Everyone")] + [(str(t.id), t.name) for t in clinic.therapists]
    form.location.choices = [(str(loc.id), f"{loc.name} ({loc.city})") for loc in clinic.locations]
    return form


def _choice(clinic_rows, raw):
    """The row whose id the select sent, or None (validated against the choices)."""
    wanted = int_or_none(raw) if raw else None
    return next((row for row in clinic_rows if row.id == wanted), None)


@bp.get("/clinics/<slug:slug>/schedule")
@owner_required
def schedule(slug: str):
    """Day or week view per therapist, in the location's own time zone (with each
    client's screening outcome: never stored)."""
    clinic = clinic_or_404(slug)
    shows_health_data()
    if not clinic.locations:
        abort(404)
    form = _schedule_form(clinic)
    valid = form.validate()
    location = (_choice(clinic.locations, form.location.data) if valid else None) \
        or clinic.locations[0]
    therapist = _choice(clinic.therapists, form.therapist.data) if valid else None
    now = utcnow()
    anchor = (form.date.data if valid else None) or local_today(location.timezone, now)
    form.date.data = anchor  # the date field shows the day in view
    day_view = valid and form.view.data == "day"
    first = anchor if day_view else cs.week_start(anchor)
    step = timedelta(days=1 if day_view else 7)
    sched = cs.schedule(clinic=clinic, location=location, first_day=first,
                        days=1 if day_view else 7, now=now,
                        therapist_id=therapist.id if therapist else None)
    args = {"view": "day" if day_view else "week", "location": location.id,
            "therapist": therapist.id if therapist else None}
    return render(
        "owner/schedule.html", "schedule", clinic=clinic, form=form, sched=sched,
        day_view=day_view, args=args, prev_day=first - step, next_day=first + step,
        status=200 if valid else 422,
    )


def _booking_or_404(clinic, reference: str):
    try:
        return clinic_bookings.clinic_booking(clinic, reference)
    except NotFound:
        abort(404)


def _booking_page(clinic, booking, *, error=None, saved=None, status=200, cancel_form=None):
    """The booking page (htmx: its status block, which needs no intake read)."""
    shows_health_data()
    full = not is_htmx()
    found = run(lambda: clinic_bookings.detail(  # reading the intake is written to the audit log
        booking, viewer=actor(), now=utcnow(), ip_address=request.remote_addr,
        keyring=intake.keyring_for(current_app.config) if full else None,
        access_days=booking_rules().intake_access_days,
    )).get()
    return render(
        "owner/booking.html", "booking_status", clinic=clinic, booking=booking, d=found,
        form=EmptyForm(formdata=None), error=error, saved=saved, status=status,
        rules=CONTRAINDICATIONS, cancel_form=cancel_form or ClinicCancelForm(formdata=None),
    )


@bp.get("/clinics/<slug:slug>/bookings/<ref:reference>")
@owner_required
def booking(slug: str, reference: str):
    """One booking: the client's contact, the visit, the money and the screening."""
    clinic = clinic_or_404(slug)
    return _booking_page(clinic, _booking_or_404(clinic, reference))


@bp.post("/clinics/<slug:slug>/bookings/<ref:reference>/<any(completed,'no-show'):outcome>")
@owner_required
def booking_outcome(slug: str, reference: str, outcome: str):
    """Mark a visit that has started as completed or a no-show."""
    clinic = clinic_or_404(slug)
    found = _booking_or_404(clinic, reference)
    status = OUTCOME_SLUGS[outcome]

    def answer(*, error=None, saved=None, status=200, **_):
        return _booking_page(clinic, found, error=error, saved=saved, status=status)

    label = "completed" if status is BookingStatus.COMPLETED else "a no-show"
    return actions.edit(
        EmptyForm(),
        lambda: clinic_bookings.mark(booking=found, outcome=status, actor=actor(), now=utcnow()),
        fragment=answer, page=answer,
        back=url_for("owner.booking", slug=slug, reference=found.reference),
        message=f"Booking {found.reference} marked {label}.",
    )


@bp.post("/clinics/<slug:slug>/bookings/<ref:reference>/cancel")
@owner_required
def booking_cancel(slug: str, reference: str):
    """Cancel on the clinic's side, with a reason for the client; the deposit is refunded."""
    clinic = clinic_or_404(slug)
    found = _booking_or_404(clinic, reference)
    form = ClinicCancelForm()

    def answer(*, form=None, error=None, saved=None, status=200, **_):
        return _booking_page(clinic, found, error=error, saved=saved, status=status,
                             cancel_form=form)

    return actions.edit(
        form,
        lambda: clinic_bookings.cancel_by_clinic(
            booking=found, actor=actor(), reason=form.reason.data, now=utcnow(),
            gateway=PaymentGateway.from_config(current_app.config),
        ),
        fragment=answer, page=answer,
        back=url_for("owner.booking", slug=slug, reference=found.reference),
        message=_cancelled,
    )


def _cancelled(result) -> str:
    """What the owner is told after cancelling."""
    done = f"Booking {result.booking.reference} is cancelled and the client is told."
    if result.refund_cents and result.refund_pending:
        return (f"{done} The refund of {format_cents(result.refund_cents)} is owed: the "
                "payment service did not answer, and it is retried automatically.")
    if result.refund_cents:
        return f"{done} Their deposit of {format_cents(result.refund_cents)} is refunded."
    return done
