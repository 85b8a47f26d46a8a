"""A clinic's therapists and services, edited in place."""

from __future__ import annotations

from ...forms.listing import ServiceForm, TherapistForm
from ...models import Service, Therapist, utcnow
from ...services.clinics import offerings, therapists
from ...services.common import catalog
from ...services.common.money import format_cents, parse_dollars
from ..auth import owner_required
from .base import actor, bp, child_or_404, clinic_or_404
from .collection import Collection

# --- therapists ------------------------------------------------------------------------------


def _therapist_form(clinic, *, obj=None, blank=False, prefix="") -> TherapistForm:
    if blank:
        form = TherapistForm(formdata=None)
    elif obj is not None:
        form = TherapistForm(obj=obj, prefix=prefix)
        form.modalities.data = [m.id for m in obj.modalities]  # ids, not the related rows
        form.licence_state.data = obj.licence_state or ""
    else:
        form = TherapistForm(prefix=prefix)
    form.modalities.choices = [(m.id, m.name) for m in catalog.modalities()]
    return form


THERAPISTS = Collection(
    name="therapist", list_endpoint="owner.therapists", make_form=_therapist_form,
    context=lambda clinic: {"therapists": clinic.therapists},
)


def _therapist_data(form) -> therapists.TherapistData:
    return therapists.TherapistData(
        name=form.name.data, credentials=form.credentials.data or "",
        licence_number=form.licence_number.data or None,
        licence_state=form.licence_state.data or None,
        practicing_since=form.practicing_since.data, bio=form.bio.data or "",
        active=form.active.data, modality_ids=form.modalities.data or [],
        languages=tuple(code for code in form.language_codes.data or () if code),
    )


@bp.route("/clinics/<slug:slug>/therapists", methods=["GET", "POST"], endpoint="therapists")
@owner_required
def therapists_page(slug: str):
    """The clinic's therapists, and a form to add one."""
    clinic = clinic_or_404(slug)
    return THERAPISTS.add(
        clinic, lambda form: therapists.create_therapist(
            clinic=clinic, data=_therapist_data(form), actor=actor(), now=utcnow()),
        message=lambda form: f"{form.name.data} added.")


@bp.route("/clinics/<slug:slug>/therapists/<int:therapist_id>/edit", methods=["GET", "POST"])
@owner_required
def therapist_edit(slug: str, therapist_id: int):
    """Edit one therapist in place; deactivating one with bookings ahead is refused."""
    clinic = clinic_or_404(slug)
    therapist = child_or_404(Therapist, therapist_id, clinic)
    return THERAPISTS.edit(
        clinic, therapist, lambda form: therapists.update_therapist(
            therapist=therapist, data=_therapist_data(form), actor=actor(), now=utcnow()),
        message=lambda form: f"{form.name.data} saved.")


# --- services --------------------------------------------------------------------------------


def _service_form(clinic, *, obj=None, blank=False, prefix="") -> ServiceForm:
    if blank:
        form = ServiceForm(formdata=None)
    elif obj is not None:
        form = ServiceForm(obj=obj, prefix=prefix, data={
            "therapist_ids": [t.id for t in obj.therapists],
            "price": format_cents(obj.price_cents).lstrip("$").replace(",", ""),
        })
    else:
        form = ServiceForm(prefix=prefix)
    form.modality_id.choices = [("", "Choose…")] + [(m.id, m.name) for m in catalog.modalities()]
    form.therapist_ids.choices = [
        (t.id, t.name if t.active else f"{t.name} (inactive)") for t in clinic.therapists
    ]
    return form


SERVICES = Collection(
    name="service", list_endpoint="owner.services", make_form=_service_form,
    context=lambda clinic: {"services": clinic.services},
)


def _service_data(form) -> offerings.ServiceData:
    return offerings.ServiceData(
        name=form.name.data, modality_id=form.modality_id.data,
        description=form.description.data or "", duration_min=form.duration_min.data,
        price_cents=parse_dollars(form.price.data),
        buffer_before_min=form.buffer_before_min.data or 0,
        buffer_after_min=form.buffer_after_min.data or 0,
        includes_consultation=form.includes_consultation.data, active=form.active.data,
        therapist_ids=form.therapist_ids.data or [],
    )


@bp.route("/clinics/<slug:slug>/services", methods=["GET", "POST"], endpoint="services")
@owner_required
def services_page(slug: str):
    """The clinic's services, and a form to add one."""
    clinic = clinic_or_404(slug)
    return SERVICES.add(
        clinic, lambda form: offerings.create_service(
            clinic=clinic, data=_service_data(form), actor=actor(), now=utcnow()),
        message=lambda form: f"{form.name.data} added.")


@bp.route("/clinics/<slug:slug>/services/<int:service_id>/edit", methods=["GET", "POST"])
@owner_required
def service_edit(slug: str, service_id: int):
    """Edit one service in place; withdrawing one with bookings ahead is refused."""
    clinic = clinic_or_404(slug)
    service = child_or_404(Service, service_id, clinic)
    return SERVICES.edit(
        clinic, service, lambda form: offerings.update_service(
            service=service, data=_service_data(form), actor=actor(), now=utcnow()),
        message=lambda form: f"{form.name.data} saved.")
