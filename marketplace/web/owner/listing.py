"""A clinic's overview, profile, booking policy and locations."""

from __future__ import annotations

from flask import url_for

from ...forms.listing import LocationForm, PolicyForm, ProfileForm
from ...models import DepositKind, Location, utcnow
from ...services.clinics import bookings as clinic_bookings
from ...services.clinics import listings, onboarding
from ...services.common.money import format_cents
from .. import actions
from ..auth import owner_required
from ..htmx import render
from ..security import shows_health_data
from .base import actor, bp, child_or_404, clinic_or_404
from .collection import Collection
from .onboarding import _address, _profile


@bp.get("/clinics/<slug:slug>")
@owner_required
def clinic(slug: str):
    """One clinic's console: its status, what it still needs, visits to mark and ahead
    (with each client's screening outcome: never stored)."""
    clinic = clinic_or_404(slug)
    shows_health_data()
    now = utcnow()
    return render(
        "owner/clinic.html", clinic=clinic, steps=onboarding.readiness(clinic),
        to_mark=clinic_bookings.to_mark(clinic, now=now),
        coming_up=clinic_bookings.coming_up(clinic, now=now),
    )


# --- profile --------------------------------------------------------------------------------


@bp.route("/clinics/<slug:slug>/profile", methods=["GET", "POST"])
@owner_required
def profile(slug: str):
    """What clients read about the clinic; saved in place with htmx."""
    clinic = clinic_or_404(slug)
    form = ProfileForm(obj=clinic)

    def answer(*, form, saved=None, error=None, status=200, **_):
        return render("owner/profile.html", "profile_form", clinic=clinic,
                      form=form or ProfileForm(obj=clinic, formdata=None), saved=saved,
                      error=error, status=status)

    if not form.is_submitted():
        return answer(form=form)
    return actions.edit(
        form,
        lambda: listings.update_profile(clinic=clinic, data=_profile(form), actor=actor(),
                                        now=utcnow()),
        fragment=answer, page=answer, back=url_for("owner.profile", slug=slug),
        message="Profile saved.",
    )


# --- policy ---------------------------------------------------------------------------------


def _policy_form(clinic) -> PolicyForm:
    fixed = clinic.deposit_kind is DepositKind.FIXED
    data = {
        "deposit_kind": clinic.deposit_kind.value,
        "deposit_percent": None if fixed else clinic.deposit_value,
        "deposit_amount": format_cents(clinic.deposit_value).lstrip("$") if fixed else "",
        "cancellation_window_hours": clinic.cancellation_window_hours,
        "policy_text": clinic.policy_text,
        "intake_note": clinic.intake_note,
    }
    return PolicyForm(formdata=None, data=data)


@bp.route("/clinics/<slug:slug>/policy", methods=["GET", "POST"])
@owner_required
def policy(slug: str):
    """Deposit, cancellation window and policy text, for bookings made from now on."""
    clinic = clinic_or_404(slug)
    form = PolicyForm()

    def answer(*, form, saved=None, error=None, status=200, **_):
        return render("owner/policy.html", "policy_form", clinic=clinic,
                      form=form or _policy_form(clinic), saved=saved, error=error,
                      status=status)

    if not form.is_submitted():
        return answer(form=_policy_form(clinic))
    return actions.edit(
        form,
        lambda: listings.update_policy(
            clinic=clinic,
            data=listings.PolicyData(
                deposit_kind=DepositKind(form.deposit_kind.data),
                deposit_value=form.deposit_value(),
                cancellation_window_hours=form.cancellation_window_hours.data,
                policy_text=form.policy_text.data or "",
                intake_note=form.intake_note.data or None,
            ),
            actor=actor(), now=utcnow(),
        ),
        fragment=answer, page=answer, back=url_for("owner.policy", slug=slug),
        message="Policy saved. It applies to bookings made from now on.",
    )


# --- locations ------------------------------------------------------------------------------


def _location_form(clinic, *, obj=None, blank=False, prefix="") -> LocationForm:
    return LocationForm(formdata=None) if blank else LocationForm(obj=obj, prefix=prefix)


LOCATIONS = Collection(
    name="location", list_endpoint="owner.locations", make_form=_location_form,
    context=lambda clinic: {"locations": clinic.locations},
)


def _location_data(form) -> listings.LocationData:
    return _address(form, name=form.name.data, phone=form.phone.data or None)


@bp.route("/clinics/<slug:slug>/locations", methods=["GET", "POST"])
@owner_required
def locations(slug: str):
    """The clinic's locations, and a form to add one (its ZIP sets its time zone)."""
    clinic = clinic_or_404(slug)
    return LOCATIONS.add(
        clinic, lambda form: listings.create_location(
            clinic=clinic, data=_location_data(form), actor=actor(), now=utcnow()),
        message=lambda form: "Location added.")


@bp.route("/clinics/<slug:slug>/locations/<int:location_id>/edit", methods=["GET", "POST"])
@owner_required
def location_edit(slug: str, location_id: int):
    """Edit one location in place."""
    clinic = clinic_or_404(slug)
    location = child_or_404(Location, location_id, clinic)
    return LOCATIONS.edit(
        clinic, location, lambda form: listings.update_location(
            location=location, data=_location_data(form), actor=actor(), now=utcnow()),
        message=lambda form: "Location saved.")


@bp.post("/clinics/<slug:slug>/locations/<int:location_id>/delete")
@owner_required
def location_delete(slug: str, location_id: int):
    """Remove a location no booking was made at."""
    clinic = clinic_or_404(slug)
    location = child_or_404(Location, location_id, clinic)
    return LOCATIONS.delete(
        clinic, location,
        lambda: listings.delete_location(location=location, actor=actor(), now=utcnow()),
        message="Location removed.", back=LOCATIONS.back(clinic),
    )
