"""Weekly hours per therapist and location, and time off, edited in place."""

from __future__ import annotations

from flask import url_for

from ...forms.base import EmptyForm
from ...forms.listing import HoursEditForm, HoursForm, TimeOffForm
from ...models import Therapist, TimeOff, WorkingHours, utcnow
from ...services.clinics import hours
from .. import actions
from ..auth import owner_required
from ..htmx import render
from .base import actor, bp, child_or_404, clinic_or_404
from .collection import Collection


@bp.get("/clinics/<slug:slug>/hours")
@owner_required
def hours_overview(slug: str):
    """Everyone's weekly hours at a glance, per location, in its local time."""
    clinic = clinic_or_404(slug)
    return render("owner/hours.html", clinic=clinic, weekdays=hours.WEEKDAYS)


def _location_choices(clinic):
    return [(loc.id, f"{loc.name}: {loc.address_line1}, {loc.city}") for loc in clinic.locations]


def _span_form(clinic, *, obj=None, blank=False, prefix=""):
    if blank:
        form = HoursForm(formdata=None)
    elif obj is not None:
        form = HoursEditForm(obj=obj, prefix=prefix)
    else:
        form = HoursEditForm(prefix=prefix)
    form.location_id.choices = _location_choices(clinic)
    return form


def _spans(therapist: Therapist, *, time_off_form=None) -> Collection:
    """The therapist's hours page as a collection of spans (time off rides along)."""
    return Collection(
        name="span", list_endpoint="owner.therapist_hours", make_form=_span_form,
        context=lambda clinic: {
            "therapist": therapist,
            "weekdays": hours.WEEKDAYS,
            "tz": clinic.timezone,
            "upcoming_time_off": [t for t in therapist.time_off if t.ends_at > utcnow()],
            "time_off_form": time_off_form or TimeOffForm(formdata=None),
            "time_off_label": hours.describe_time_off,
        },
    )


def _back(clinic, therapist) -> str:
    return url_for("owner.therapist_hours", slug=clinic.slug, therapist_id=therapist.id)


@bp.route("/clinics/<slug:slug>/therapists/<int:therapist_id>/hours", methods=["GET", "POST"])
@owner_required
def therapist_hours(slug: str, therapist_id: int):
    """One therapist's weekly hours and time off; POST adds hours on chosen days."""
    clinic = clinic_or_404(slug)
    therapist = child_or_404(Therapist, therapist_id, clinic)
    form = HoursForm()
    form.location_id.choices = _location_choices(clinic)
    spans = _spans(therapist)
    if not form.is_submitted():
        return spans.page(clinic)
    data = hours.SpanData(form.weekdays.data or [], form.location_id.data or 0,
                          form.starts.data, form.ends.data)
    return spans.create(
        clinic, form,
        lambda: hours.add_hours(therapist=therapist, data=data, actor=actor(), now=utcnow()),
        message="Hours added.", back=_back(clinic, therapist),
    )


@bp.route("/clinics/<slug:slug>/hours/<int:hours_id>/edit", methods=["GET", "POST"])
@owner_required
def hours_edit(slug: str, hours_id: int):
    """Change one span; refused when it would leave bookings outside the hours."""
    clinic = clinic_or_404(slug)
    row = child_or_404(WorkingHours, hours_id, clinic)

    def save(form):
        day = form.weekday.data
        data = hours.SpanData([day] if day is not None else [], form.location_id.data or 0,
                              form.starts.data, form.ends.data)
        return hours.update_hours(hours=row, data=data, actor=actor(), now=utcnow())

    return _spans(row.therapist).edit(clinic, row, save, message=lambda form: "Hours saved.",
                                      back=_back(clinic, row.therapist))


@bp.post("/clinics/<slug:slug>/hours/<int:hours_id>/delete")
@owner_required
def hours_delete(slug: str, hours_id: int):
    """Remove one span; refused when bookings sit in it."""
    clinic = clinic_or_404(slug)
    row = child_or_404(WorkingHours, hours_id, clinic)
    therapist = row.therapist
    return _spans(therapist).delete(
        clinic, row, lambda: hours.delete_hours(hours=row, actor=actor(), now=utcnow()),
        message="Hours removed.", back=_back(clinic, therapist),
    )


def _time_off_answer(clinic, therapist, *, form=None, error=None, stranded=(), saved=None,
                     status=200):
    """The hours page with the time-off section's outcome (htmx: its block)."""
    return _spans(therapist, time_off_form=form).page(
        clinic, time_off_error=error, time_off_stranded=stranded, time_off_saved=saved,
        status=status,
    )


@bp.post("/clinics/<slug:slug>/therapists/<int:therapist_id>/time-off")
@owner_required
def time_off_add(slug: str, therapist_id: int):
    """Add time off, in the clinic's local time; refused over booked visits."""
    clinic = clinic_or_404(slug)
    therapist = child_or_404(Therapist, therapist_id, clinic)
    form = TimeOffForm()

    def run():
        starts_at, ends_at = hours.local_range(
            form.starts_on.data, form.starts_time.data, form.ends_on.data, form.ends_time.data,
            clinic.timezone,
        )
        hours.add_time_off(therapist=therapist, starts_at=starts_at, ends_at=ends_at,
                           reason=form.reason.data or "", actor=actor(), now=utcnow())

    def answer(**kw):
        return _time_off_answer(clinic, therapist, **kw)

    return actions.edit(form, run, fragment=answer, page=answer, back=_back(clinic, therapist),
                     message="Time off added.")


@bp.post("/clinics/<slug:slug>/time-off/<int:time_off_id>/delete")
@owner_required
def time_off_delete(slug: str, time_off_id: int):
    """Remove time off: the therapist is bookable in it again."""
    clinic = clinic_or_404(slug)
    row = child_or_404(TimeOff, time_off_id, clinic)
    therapist = row.therapist

    def answer(*, form, **kw):
        return _time_off_answer(clinic, therapist, **kw)

    return actions.edit(
        EmptyForm(), lambda: hours.delete_time_off(time_off=row, actor=actor(), now=utcnow()),
        fragment=answer, page=answer, back=_back(clinic, therapist),
        message="Time off removed.",
    )
