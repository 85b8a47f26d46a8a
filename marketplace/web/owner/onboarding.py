"""Becoming an owner: the console's front page, switching a client account to an
owner account, creating a clinic, and claiming an existing listing."""

from __future__ import annotations

from flask import flash, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ...extensions import rate_limit
from ...forms.base import EmptyForm
from ...forms.owner import ClaimForm, ClaimSearchForm, NewClinicForm
from ...models import Clinic, ClinicStatus, Role, db, utcnow
from ...services.accounts import tenancy
from ...services.clinics import listings, onboarding
from ...services.common.errors import FieldError
from ..actions import run
from ..auth import owner_required
from ..htmx import redirect_to, render
from .base import actor, bp


@bp.get("")
@owner_required
def dashboard():
    """The owner's clinics with their status and what each still needs, and claims."""
    clinics = tenancy.member_clinics(current_user)
    return render(
        "owner/dashboard.html",
        clinics=clinics,
        steps={c.id: onboarding.readiness(c) for c in clinics},
        claims=onboarding.my_claims(current_user),
    )


@bp.route("/start", methods=["GET", "POST"])
@login_required
def start():
    """Switch a client account to a clinic-owner account."""
    if current_user.role is Role.OWNER:
        return redirect_to(url_for("owner.dashboard"))
    form = EmptyForm()
    if form.validate_on_submit():
        outcome = run(lambda: onboarding.become_owner(user=actor(), now=utcnow()))
        if not outcome.ok:
            flash(outcome.message, "error")
            return redirect_to(url_for("account.settings"))
        flash("Your account can now manage clinics. Add yours, or claim its listing.", "success")
        return redirect_to(url_for("owner.dashboard"))
    return render("owner/start.html", form=form)


@bp.route("/clinics/new", methods=["GET", "POST"])
@owner_required
@rate_limit("20 per hour", methods=["POST"])
def new_clinic():
    """Create a clinic with its first location; it waits for an admin's verification."""
    form = NewClinicForm()
    if form.validate_on_submit():
        outcome = run(lambda: onboarding.create_clinic(
            owner=actor(), profile=_profile(form), location=_address(form), now=utcnow()))
        outcome.show_on(form)
        if outcome.ok:
            clinic = outcome.value
            flash(f"{clinic.name} is created. Add your team, services and hours while we "
                  "verify it.", "success")
            return redirect_to(url_for("owner.clinic", slug=clinic.slug))
    return render("owner/new_clinic.html", form=form, status=422 if form.errors else 200)


def _claim(clinic: Clinic | None, form: ClaimForm) -> None:
    if clinic is None or clinic.status is ClinicStatus.SUSPENDED:
        raise FieldError("clinic", "Choose a clinic from the search results.")
    onboarding.request_claim(user=actor(), clinic=clinic, message=form.message.data, now=utcnow())


def _profile(form) -> listings.ProfileData:
    return listings.ProfileData(
        name=form.name.data, tagline=form.tagline.data or None,
        description=form.description.data or "", phone=form.phone.data or None,
        email=form.email.data or None, website=form.website.data or None,
        amenities=tuple(code for code in form.amenity_codes.data or () if code),
    )


def _address(form, *, name: str = "Main", phone: str | None = None) -> listings.LocationData:
    return listings.LocationData(
        name=name, address_line1=form.address_line1.data,
        address_line2=form.address_line2.data or None, city=form.city.data or None,
        zip_code=form.zip_code.data, phone=phone,
    )


@bp.route("/claim", methods=["GET", "POST"])
@owner_required
@rate_limit("20 per hour", methods=["POST"])
def claim():
    """Find an existing listing and ask to manage it."""
    search = ClaimSearchForm(request.args)
    form, failed_slug = ClaimForm(), None
    if request.method == "POST":
        failed_slug = form.clinic.data
        if form.validate():
            clinic = db.session.scalar(select(Clinic).where(Clinic.slug == form.clinic.data))
            outcome = run(lambda: _claim(clinic, form))
            if not outcome.ok:
                form.form_errors.append(outcome.message)
            else:
                flash(f"Your claim on {clinic.name} is sent. We will e-mail you when an admin "
                      "decides.", "success")
                return redirect_to(url_for("owner.dashboard"))
    results = onboarding.claimable_clinics(search.q.data or "", user=current_user) \
        if search.validate() else []
    failed = request.method == "POST"
    return render("owner/claim.html", "results", search=search, results=results,
                  form=form if failed else ClaimForm(formdata=None), failed_slug=failed_slug,
                  claims=onboarding.my_claims(current_user), status=422 if failed else 200)
