"""Clinics (verification with licence checks, suspension) and ownership claims."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ...forms.admin import (
    ClinicSearchForm,
    LicenceCheckForm,
    RejectClaimForm,
    RemovePhotoForm,
    SuspendForm,
)
from ...forms.base import EmptyForm
from ...models import AuditLog, Clinic, ClinicClaim, ClinicStatus, Photo, db, utcnow
from ...services.admin import clinics as admin_service
from .. import media
from ..actions import button
from ..auth import admin_required
from ..htmx import render
from .base import bp, search_page, sender

# --- clinics ------------------------------------------------------------------------------


@bp.get("/clinics")
@admin_required
def clinics():
    """Find clinics by name, slug or phone; pending ones first."""
    form = ClinicSearchForm(request.args)
    return search_page("admin/clinics.html", form, lambda: admin_service.search_clinics(
        q=form.q.data or "",
        status=ClinicStatus(form.status.data) if form.status.data else None,
    ))


def _licence_form(clinic, formdata=None) -> LicenceCheckForm:
    form = (
        LicenceCheckForm(formdata=formdata)
        if formdata is not None
        else LicenceCheckForm(formdata=None)
    )
    form.therapists.choices = [
        (t.id, f"{t.name}: {t.licence_state or ''} {t.licence_number}")
        for t in clinic.therapists
        if t.licence_number
    ]
    return form


def _photo_form(photo, **kw) -> RemovePhotoForm:
    return RemovePhotoForm(prefix=f"photo-{photo.id}", **kw)


def _clinic_page(clinic, *, licence_form=None, suspend_form=None, photo_form=None,
                 failed_photo=None, status: int = 200):
    upcoming = admin_service.upcoming_bookings(clinic.id, now=utcnow())
    claims = db.session.scalars(
        select(ClinicClaim).where(ClinicClaim.clinic_id == clinic.id).order_by(ClinicClaim.id)
    ).all()
    history = db.session.scalars(
        select(AuditLog)
        .where(AuditLog.clinic_id == clinic.id)
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
        .limit(20)
    ).all()
    return render(
        "admin/clinic.html",
        clinic=clinic,
        upcoming=upcoming,
        claims=claims,
        history=history,
        licence_form=licence_form or _licence_form(clinic),
        suspend_form=suspend_form or SuspendForm(formdata=None),
        photo_forms={p.id: photo_form if p.id == failed_photo else _photo_form(p, formdata=None)
                     for p in clinic.photos},
        status=status,
    )


@bp.get("/clinics/<int:clinic_id>")
@admin_required
def clinic(clinic_id: int):
    """One clinic: status, therapists' licences, owners, claims, upcoming bookings, history."""
    return _clinic_page(db.get_or_404(Clinic, clinic_id))


@bp.post("/clinics/<int:clinic_id>/verify")
@admin_required
def verify_clinic(clinic_id: int):
    """Verify a pending clinic, recording the licences the admin ticked as checked."""
    clinic = db.get_or_404(Clinic, clinic_id)
    form = _licence_form(clinic, formdata=request.form)
    return button(
        form,
        lambda: admin_service.verify_clinic(
            clinic=clinic, admin=current_user, checked_therapist_ids=form.therapists.data,
            now=utcnow(), sender=sender(),
        ),
        message=f"{clinic.name} is verified and now listed.",
        back=url_for("admin.clinic", clinic_id=clinic.id),
        invalid=lambda: _clinic_page(clinic, licence_form=form, status=422),
    )


@bp.post("/clinics/<int:clinic_id>/licences")
@admin_required
def check_licences(clinic_id: int):
    """Record licence checks for a clinic that is already listed."""
    clinic = db.get_or_404(Clinic, clinic_id)
    form = _licence_form(clinic, formdata=request.form)
    return button(
        form,
        lambda: admin_service.check_licences(
            clinic=clinic, admin=current_user, therapist_ids=form.therapists.data, now=utcnow()
        ),
        message="Licence checks recorded.",
        back=url_for("admin.clinic", clinic_id=clinic.id),
        invalid=lambda: _clinic_page(clinic, licence_form=form, status=422),
    )


@bp.post("/clinics/<int:clinic_id>/suspend")
@admin_required
def suspend_clinic(clinic_id: int):
    """Suspend a clinic: out of search and booking; its clients are told."""
    clinic = db.get_or_404(Clinic, clinic_id)
    form = SuspendForm()
    return button(
        form,
        lambda: admin_service.suspend_clinic(
            clinic=clinic, admin=current_user, reason=form.reason.data, now=utcnow(),
            sender=sender(),
        ),
        message=lambda told: f"{clinic.name} is suspended. {told} client(s) with upcoming "
        "bookings were told.",
        back=url_for("admin.clinic", clinic_id=clinic.id),
        invalid=lambda: _clinic_page(clinic, suspend_form=form, status=422),
    )


@bp.post("/clinics/<int:clinic_id>/photos/<int:photo_id>/remove")
@admin_required
def remove_photo(clinic_id: int, photo_id: int):
    """Take down one of a clinic's photos, with a reason (audited; the owners are told)."""
    clinic = db.get_or_404(Clinic, clinic_id)
    photo = db.get_or_404(Photo, photo_id)
    if photo.clinic_id != clinic.id:
        abort(404)
    form = _photo_form(photo)
    return button(
        form,
        lambda: admin_service.remove_photo(photo=photo, admin=current_user, reason=form.reason.data,
                                           storage=media.storage(), now=utcnow(), sender=sender()),
        message="Photo removed; the owners are told why.",
        back=url_for("admin.clinic", clinic_id=clinic.id),
        invalid=lambda: _clinic_page(clinic, photo_form=form, failed_photo=photo.id, status=422),
    )


@bp.post("/clinics/<int:clinic_id>/restore")
@admin_required
def restore_clinic(clinic_id: int):
    """Lift a clinic's suspension."""
    clinic = db.get_or_404(Clinic, clinic_id)
    return button(
        EmptyForm(),
        lambda: admin_service.restore_clinic(clinic=clinic, admin=current_user, now=utcnow()),
        message=f"{clinic.name} is restored.",
        back=url_for("admin.clinic", clinic_id=clinic_id),
    )


# --- ownership claims ---------------------------------------------------------------------


@bp.get("/claims")
@admin_required
def claims():
    """Ownership claims waiting for a decision, oldest first."""
    return render(
        "admin/claims.html",
        claims=admin_service.pending_claims(),
        reject_form=RejectClaimForm(formdata=None),
    )


@bp.post("/claims/<int:claim_id>/approve")
@admin_required
def approve_claim(claim_id: int):
    """Make the claimant an owner of the clinic."""
    claim = db.get_or_404(ClinicClaim, claim_id)
    return button(
        EmptyForm(),
        lambda: admin_service.approve_claim(
            claim=claim, admin=current_user, now=utcnow(), sender=sender()
        ),
        message=f"{claim.user.name} now manages {claim.clinic.name}.",
        back=url_for("admin.claims"),
    )


@bp.post("/claims/<int:claim_id>/reject")
@admin_required
def reject_claim(claim_id: int):
    """Turn a claim down with a reason the claimant is told."""
    claim = db.get_or_404(ClinicClaim, claim_id)
    form = RejectClaimForm()
    return button(
        form,
        lambda: admin_service.reject_claim(
            claim=claim, admin=current_user, reason=form.reason.data, now=utcnow(), sender=sender()
        ),
        message="Claim rejected; the claimant is told why.",
        back=url_for("admin.claims"),
        invalid=lambda: render("admin/claims.html", claims=admin_service.pending_claims(),
                               reject_form=form, failed_id=claim.id, status=422),
    )
