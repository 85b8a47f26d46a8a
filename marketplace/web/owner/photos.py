"""A clinic's photos and its therapists' photos: upload, describe, reorder, remove.

Every form posts to its own address and, with htmx, swaps the page's ``photos``
block in place; without JavaScript each answer is a 303 back to the page (or the
page again with the refused form's message)."""

from __future__ import annotations

from flask import url_for

from ...forms.base import EmptyForm
from ...forms.photos import AltTextForm, MovePhotoForm, PhotoForm
from ...models import Clinic, Photo, Therapist, utcnow
from ...services.media import photos as media_photos
from .. import actions, media
from ..auth import owner_required
from ..bodies import accepts_photo
from ..htmx import render
from .base import actor, bp, child_or_404, clinic_or_404


def _forms(clinic: Clinic, failed: dict) -> dict:
    """A blank form for every place on the page, but the one that failed as it was sent."""
    forms = {"clinic": PhotoForm(formdata=None, prefix="clinic")}
    for therapist in clinic.therapists:
        forms[f"t{therapist.id}"] = PhotoForm(formdata=None, prefix=f"therapist-{therapist.id}")
    for photo in clinic.photos:
        forms[f"p{photo.id}"] = AltTextForm(formdata=None, prefix=f"photo-{photo.id}",
                                            data={"alt_text": photo.alt_text})
    return forms | failed


def _page(clinic: Clinic, *, failed: dict | None = None, error=None, saved=None,
          status=200, **_):
    """The page, or for htmx its ``photos`` block."""
    return render("owner/photos.html", "photos", clinic=clinic, forms=_forms(clinic, failed or {}),
                  gallery=clinic.gallery, max_photos=media_photos.MAX_CLINIC_PHOTOS,
                  empty_form=EmptyForm(formdata=None), error=error, saved=saved, status=status)


def _save(clinic: Clinic, form, key: str, run, message: str):
    def answer(form=None, **kw):
        return _page(clinic, failed={key: form} if form is not None else {}, **kw)

    return actions.edit(form, run, fragment=answer, page=answer, message=message,
                        back=url_for("owner.photos", slug=clinic.slug))


@bp.route("/clinics/<slug:slug>/photos", methods=["GET", "POST"], endpoint="photos")
@owner_required
@accepts_photo
def photos_page(slug: str):
    """The clinic's gallery and its therapists' photos; POST adds a gallery photo."""
    clinic = clinic_or_404(slug)
    form = PhotoForm(prefix="clinic")
    if not form.is_submitted():
        return _page(clinic)
    return _save(clinic, form, "clinic", lambda: media_photos.add_clinic_photo(
        clinic=clinic, data=form.photo_bytes(), alt_text=form.alt_text.data,
        storage=media.storage(), limits=media.limits(), actor=actor(), now=utcnow()),
        "Photo added.")


@bp.post("/clinics/<slug:slug>/therapists/<int:therapist_id>/photo")
@owner_required
@accepts_photo
def therapist_photo(slug: str, therapist_id: int):
    """Give a therapist their photo (replacing the one they had)."""
    clinic = clinic_or_404(slug)
    therapist = child_or_404(Therapist, therapist_id, clinic)
    form = PhotoForm(prefix=f"therapist-{therapist.id}")
    return _save(clinic, form, f"t{therapist.id}", lambda: media_photos.set_therapist_photo(
        therapist=therapist, data=form.photo_bytes(), alt_text=form.alt_text.data,
        storage=media.storage(), limits=media.limits(), actor=actor(), now=utcnow()),
        f"Photo of {therapist.name} saved.")


@bp.post("/clinics/<slug:slug>/photos/<int:photo_id>/edit")
@owner_required
def photo_edit(slug: str, photo_id: int):
    """Change a photo's description (alt text)."""
    clinic = clinic_or_404(slug)
    photo = child_or_404(Photo, photo_id, clinic)
    form = AltTextForm(prefix=f"photo-{photo.id}")
    return _save(clinic, form, f"p{photo.id}", lambda: media_photos.describe_photo(
        photo=photo, alt_text=form.alt_text.data, actor=actor(), now=utcnow()),
        "Description saved.")


@bp.post("/clinics/<slug:slug>/photos/<int:photo_id>/move")
@owner_required
def photo_move(slug: str, photo_id: int):
    """Move a gallery photo one place earlier or later."""
    clinic = clinic_or_404(slug)
    photo = child_or_404(Photo, photo_id, clinic)
    form = MovePhotoForm()
    return _save(clinic, form, "move", lambda: media_photos.move_photo(
        photo=photo, direction=form.direction.data, actor=actor(), now=utcnow()),
        "Photo moved.")


@bp.post("/clinics/<slug:slug>/photos/<int:photo_id>/delete")
@owner_required
def photo_delete(slug: str, photo_id: int):
    """Remove a photo (its files are deleted once that is saved)."""
    clinic = clinic_or_404(slug)
    photo = child_or_404(Photo, photo_id, clinic)
    return _save(clinic, EmptyForm(), "remove", lambda: media_photos.remove_photo(
        photo=photo, storage=media.storage(), actor=actor(), now=utcnow()),
        "Photo removed.")
