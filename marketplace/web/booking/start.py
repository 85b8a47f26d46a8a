"""Step one: choose a service, a therapist (or anyone), a day and an open time, and hold it.
What the picker shows is ``services/booking/picker.py``'s ``Picker``; these views read the
choices from the request and render it.

``GET /clinics/<slug>/book`` takes ``service`` (id), ``therapist`` (id or
"any"), ``date`` (YYYY-MM-DD) and ``start`` (ISO 8601, preselects a time), so
other pages can link straight to a service, a day or a slot.
"""

from __future__ import annotations

from flask import request, url_for
from flask_login import current_user

from ...extensions import rate_limit
from ...forms.booking import HoldForm, PickerForm, parse_start, therapist_id_of
from ...models import Clinic, Service, utcnow
from ...services import booking as bookings
from ...services.booking import picker as slot_picker
from ..actions import run
from ..htmx import redirect_to, render
from ..loaders import published_clinic_or_404
from ..rules import booking_rules
from .base import NOT_TAKING, bp, hold_token, remember_hold


def picker_from_form(clinic: Clinic, form: PickerForm) -> slot_picker.Picker:
    """The picker for the choices in ``form`` (a bad service or time becomes its error)."""
    therapist = "any" if form.therapist.errors else (form.therapist.data or "any")
    selected = parse_start(form.start.data, clinic.timezone)
    picker = slot_picker.load_picker(clinic, service_id=form.service.data, therapist=therapist,
                                     day=form.date.data, selected=selected, now=utcnow(),
                                     rules=booking_rules())
    if form.service.data and picker.service is None:
        form.service.errors = ["Choose one of this clinic’s services."]
    if picker.service is not None and form.start.data and selected is None:
        form.start.errors = ["That time is not one we understand; choose one below."]
    return picker


@bp.app_template_global()
def picker_url(picker: slot_picker.Picker, **changes) -> str:
    """The picker's address with its current choices except ``changes``."""
    args = {"service": picker.service.id if picker.service else None,
            "therapist": picker.therapist, "date": picker.day.isoformat() if picker.day else None}
    args.update(changes)
    return url_for("booking.start", slug=picker.clinic.slug,
                   **{k: v for k, v in args.items() if v is not None})


@bp.get("/clinics/<slug:slug>/book")
def start(slug: str):
    """Choose a service, a therapist or anyone, a day and an open time (in the clinic's zone)."""
    clinic = published_clinic_or_404(slug, message=NOT_TAKING)
    form = PickerForm(request.args)
    form.validate()
    picker = picker_from_form(clinic, form)
    status = 422 if form.errors else 200
    return render("booking/start.html", "picker", picker=picker, form=form, status=status)


@bp.post("/clinics/<slug:slug>/book/hold")
@rate_limit("30 per minute", methods=["POST"])
def place_hold(slug: str):
    """Hold the chosen time for a few minutes; a taken time offers the nearest open ones."""
    clinic = published_clinic_or_404(slug, message=NOT_TAKING)
    form = HoldForm()
    service = _service_of(clinic, form)
    tz = clinic.timezone
    starts_at = parse_start(form.start.data, tz) if form.validate_on_submit() else None
    if service is None or starts_at is None:
        return _picker_again(clinic, form, service, None, "Choose a service and an open time.",
                             status=422)
    token = None if current_user.is_authenticated else (hold_token() or bookings.new_hold_token())
    # The reference is read before the commit expires the booking: no query after it.
    held = run(lambda: bookings.place_hold(
        service=service, therapist_id=therapist_id_of(form.therapist.data),
        starts_at=starts_at, client=current_user if current_user.is_authenticated else None,
        hold_token=token, now=utcnow(), rules=booking_rules()).reference)
    if isinstance(held.error, bookings.SlotTaken):
        return _picker_again(clinic, form, service, starts_at, held.message, status=409)
    reference = held.get()
    response = redirect_to(url_for("booking.checkout", reference=reference))
    return remember_hold(response, token) if token else response


def _service_of(clinic: Clinic, form: HoldForm) -> Service | None:
    raw = form.service.data if isinstance(form.service.data, int) else None
    return next((s for s in bookings.bookable_services(clinic) if s.id == raw), None)


def _picker_again(clinic, form, service, starts_at, message: str, *, status: int):
    """The picker once more, at the day the client wanted, with what is open now."""
    tz = clinic.timezone
    day = starts_at.astimezone(slot_picker.zone(tz)).date() if starts_at else None
    therapist = form.therapist.data if not form.therapist.errors else "any"
    picker_form = PickerForm(formdata=None, service=service.id if service else None,
                             therapist=therapist or "any", date=day)
    picker = picker_from_form(clinic, picker_form)
    if starts_at is not None and service is not None:
        picker.alternatives = bookings.nearby_slots(
            service, around=starts_at, therapist_id=therapist_id_of(picker.therapist),
            now=utcnow(), rules=booking_rules())
    return render("booking/start.html", "picker", picker=picker, form=picker_form,
                  alert=message, status=status)
