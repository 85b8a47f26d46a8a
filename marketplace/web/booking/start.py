"""Step one: choose a service, a therapist (or anyone), a day and an open time, and hold it.

``GET /clinics/<slug>/book`` takes ``service`` (id), ``therapist`` (id or
"any"), ``date`` (YYYY-MM-DD) and ``start`` (ISO 8601, preselects a time), so
other pages can link straight to a service, a day or a slot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app, request, url_for
from flask_login import current_user

from ...extensions import rate_limit
from ...forms.booking import HoldForm, PickerForm, parse_start, therapist_id_of
from ...models import Clinic, Service, Therapist, db, utcnow
from ...services import booking as bookings
from ...services.availability.engine import Slot
from ...services.booking import picker as slot_picker
from ...services.common.local_time import local_today
from ..htmx import redirect_to, render
from ..loaders import published_clinic_or_404
from .base import NOT_TAKING, bp, hold_token, remember_hold


@dataclass
class Picker:
    """Everything the picker template shows."""

    clinic: Clinic
    tz: str
    services: list[Service]
    service: Service | None = None
    therapists: list[Therapist] = field(default_factory=list)
    therapist: str = "any"
    day: date | None = None
    today: date | None = None
    days: list[slot_picker.Day] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    selected: datetime | None = None
    next_open: date | None = None
    opened_later: bool = False  # today has no open times: the picker opened on a later day
    earlier: date | None = None
    later: date | None = None
    alternatives: list[Slot] = field(default_factory=list)

    def query(self, **changes) -> dict:
        """URL arguments for a link that keeps the current choices except ``changes``."""
        args = {"slug": self.clinic.slug, "service": self.service.id if self.service else None,
                "therapist": self.therapist, "date": self.day.isoformat() if self.day else None}
        args.update(changes)
        return {k: v for k, v in args.items() if v is not None}


def build_picker(clinic: Clinic, form: PickerForm, *, start: datetime | None = None) -> Picker:
    """Resolve the form's choices against the clinic and load the open times."""
    now, config = utcnow(), current_app.config
    tz = clinic.timezone
    picker = Picker(clinic, tz, bookings.bookable_services(clinic))
    picker.today = local_today(tz, now)
    picker.service = next((s for s in picker.services if s.id == form.service.data), None)
    if form.service.data and picker.service is None:
        form.service.errors = ["Choose one of this clinic’s services."]
    if picker.service is None:
        return picker
    picker.therapists = [t for t in picker.service.therapists if t.active]
    picker.therapist = _therapist_choice(form, picker.therapists)
    picker.selected = start or parse_start(form.start.data, tz)
    if form.start.data and picker.selected is None:
        form.start.errors = ["That time is not one we understand; choose one below."]
    chosen = form.date.data or (picker.selected.astimezone(slot_picker.zone(tz)).date()
                                if picker.selected else None)
    if chosen is None:  # no day asked for: open on the first day with open times
        opening = slot_picker.opening_day(
            picker.service, today=picker.today, tz=tz,
            therapist_id=therapist_id_of(picker.therapist), now=now, config=config)
        chosen = opening or picker.today
        picker.opened_later = chosen != picker.today
    _load_days(picker, max(chosen, picker.today), now=now, config=config)
    return picker


def _therapist_choice(form: PickerForm, therapists: list[Therapist]) -> str:
    value = form.therapist.data or "any"
    if form.therapist.errors:
        return "any"
    if value != "any" and int(value) not in {t.id for t in therapists}:
        return "any"  # chosen for another service: show everyone who gives this one
    return value


def _load_days(picker: Picker, chosen: date, *, now, config) -> None:
    first = slot_picker.strip_start(chosen, picker.today)
    therapist_id = therapist_id_of(picker.therapist)
    picker.days = slot_picker.week(picker.service, first=first, tz=picker.tz,
                                   therapist_id=therapist_id, now=now, config=config)
    picker.day = chosen
    picker.slots = next((d.slots for d in picker.days if d.day == chosen), [])
    if not picker.slots:
        picker.next_open = slot_picker.next_open_day(
            picker.service, after=chosen, tz=picker.tz, therapist_id=therapist_id, now=now,
            config=config)
    horizon = picker.today + timedelta(days=int(config["BOOKING_HORIZON_DAYS"]))
    picker.earlier = first - timedelta(days=7) if first > picker.today else None
    later = first + timedelta(days=7)
    picker.later = later if later <= horizon else None


@bp.get("/clinics/<slug:slug>/book")
def start(slug: str):
    """Choose a service, a therapist or anyone, a day and an open time (in the clinic's zone)."""
    clinic = published_clinic_or_404(slug, message=NOT_TAKING)
    form = PickerForm(request.args)
    form.validate()
    picker = build_picker(clinic, form)
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
    try:
        booking = bookings.place_hold(
            service=service, therapist_id=therapist_id_of(form.therapist.data),
            starts_at=starts_at, client=current_user if current_user.is_authenticated else None,
            hold_token=token, now=utcnow(), config=current_app.config)
    except bookings.SlotTaken as exc:
        db.session.rollback()
        return _picker_again(clinic, form, service, starts_at, str(exc), status=409)
    reference = booking.reference  # read before the commit expires it: no query after it
    db.session.commit()
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
    picker = build_picker(clinic, picker_form)
    if starts_at is not None and service is not None:
        picker.alternatives = bookings.nearby_slots(
            service, around=starts_at, therapist_id=therapist_id_of(picker.therapist),
            now=utcnow(), config=current_app.config)
    return render("booking/start.html", "picker", picker=picker, form=picker_form,
                  alert=message, status=status)
