"""Photos of a clinic and its therapists: add, replace, describe, reorder, remove.

Files are written before the row is flushed (the row must name files that exist)
and deleted only after the transaction that dropped their row commits
(``discard``): a refused or rolled-back change loses nothing. Two photos made from
the same image share files, so files still named by another row are kept.
Every change is audited in its transaction.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from ...models import Clinic, Photo, Therapist, User, db
from ..audit import diff as changes
from ..audit import entries as audit
from ..common.errors import Conflict, FieldError
from .images import CleanImage, ImageLimits, clean_image
from .storage import Storage, photo_key

#: How many photos a clinic's own gallery holds (its therapists' are on top).
MAX_CLINIC_PHOTOS = 12
ALT_TEXT_MAX = 250
_DISCARD = "media.discard"
log = logging.getLogger(__name__)


def _alt(alt_text: str) -> str:
    text = " ".join((alt_text or "").split())
    if not text:
        raise FieldError("alt_text", "Describe the photo for people who cannot see it.")
    if len(text) > ALT_TEXT_MAX:
        raise FieldError("alt_text", f"Keep the description under {ALT_TEXT_MAX} characters.")
    return text


def _store(image: CleanImage, storage: Storage) -> None:
    for variant in image.variants:
        storage.put(photo_key(image.digest, variant.width), variant.data, "image/webp")


def _row(clinic: Clinic, image: CleanImage, alt_text: str, **values) -> Photo:
    widest = image.widest
    return Photo(clinic=clinic, alt_text=alt_text, digest=image.digest,
                 widths=[v.width for v in image.variants], width=widest.width,
                 height=widest.height, **values)


def gallery_count(clinic: Clinic) -> int:
    return db.session.scalar(select(func.count(Photo.id)).where(
        Photo.clinic_id == clinic.id, Photo.therapist_id.is_(None))) or 0


def add_clinic_photo(*, clinic: Clinic, data: bytes, alt_text: str, storage: Storage,
                     limits: ImageLimits, actor: User | None, now: datetime) -> Photo:
    """Add a photo at the end of the clinic's gallery (at most ``MAX_CLINIC_PHOTOS``)."""
    alt = _alt(alt_text)
    db.session.execute(select(Clinic.id).where(Clinic.id == clinic.id).with_for_update())
    if gallery_count(clinic) >= MAX_CLINIC_PHOTOS:
        raise Conflict(f"A clinic shows at most {MAX_CLINIC_PHOTOS} photos. "
                       "Remove one before adding another.")
    image = clean_image(data, limits=limits)
    last = db.session.scalar(select(func.max(Photo.position)).where(
        Photo.clinic_id == clinic.id, Photo.therapist_id.is_(None)))
    _store(image, storage)
    photo = _row(clinic, image, alt, position=(last or 0) + 1)
    db.session.add(photo)
    db.session.flush()
    changes.record(photo, "photo.add", actor=actor, now=now, alt_text=alt)
    return photo


def set_therapist_photo(*, therapist: Therapist, data: bytes, alt_text: str, storage: Storage,
                        limits: ImageLimits, actor: User | None, now: datetime) -> Photo:
    """Give a therapist their photo, replacing the one they had (its files go after the
    commit)."""
    alt = _alt(alt_text)
    image = clean_image(data, limits=limits)
    _store(image, storage)
    old = therapist.photo
    if old is not None:
        replaced = (old.id, old.digest, list(old.widths))
        therapist.clinic.photos.remove(old)
        therapist.photo = None
        db.session.flush()
    photo = _row(therapist.clinic, image, alt, therapist=therapist)
    db.session.add(photo)
    db.session.flush()
    if old is not None:
        _discard_files(*replaced, storage=storage)
    changes.record(photo, "photo.add", actor=actor, now=now, alt_text=alt,
                   therapist=therapist.name, replaced=old is not None)
    return photo


def describe_photo(*, photo: Photo, alt_text: str, actor: User, now: datetime) -> dict:
    """Change a photo's description (its alt text)."""
    changed = changes.apply(photo, {"alt_text": _alt(alt_text)})
    changes.record(photo, "photo.update", actor=actor, now=now, changed=changed)
    return changed


def move_photo(*, photo: Photo, direction: str, actor: User, now: datetime) -> None:
    """Move a gallery photo one place ``up`` (earlier) or ``down``; at an end, stay put."""
    if photo.therapist_id is not None:
        raise Conflict("A therapist's photo has no place in the clinic's gallery.")
    if direction not in ("up", "down"):
        raise FieldError("direction", "Move a photo up or down.")
    order = list(photo.clinic.gallery)
    at = order.index(photo)
    to = at - 1 if direction == "up" else at + 1
    if not 0 <= to < len(order):
        return
    order[at], order[to] = order[to], order[at]
    for position, row in enumerate(order, start=1):
        row.position = position
    db.session.flush()
    changes.record(photo, "photo.move", actor=actor, now=now, position=to + 1)


def remove_photo(*, photo: Photo, storage: Storage, actor: User, now: datetime,
                 action: str = "photo.remove", reason: str | None = None) -> None:
    """Remove a photo; its files are deleted once this transaction commits."""
    detail = {"alt_text": photo.alt_text, "therapist_id": photo.therapist_id}
    if reason:
        detail["reason"] = reason
    audit.record(actor=actor, action=action, obj=photo, detail=detail, now=now)
    _discard_files(photo.id, photo.digest, list(photo.widths), storage=storage)
    photo.clinic.photos.remove(photo)
    if photo.therapist is not None:
        photo.therapist.photo = None
    db.session.delete(photo)
    db.session.flush()


def _discard_files(photo_id: int, digest: str, widths: list[int], *, storage: Storage) -> None:
    """Delete a photo's files after the commit, unless another photo names them too."""
    shared = db.session.scalar(select(Photo.id).where(
        Photo.digest == digest, Photo.id != photo_id).limit(1))
    if shared is None:
        keys = [photo_key(digest, width) for width in widths]
        db.session.info.setdefault(_DISCARD, []).extend((storage, key) for key in keys)


@event.listens_for(Session, "after_commit")
def _delete_discarded(session: Session) -> None:
    for storage, key in session.info.pop(_DISCARD, ()):
        try:
            storage.delete(key)
        except Exception:  # a file left behind is harmless: nothing names it any more
            log.exception("could not delete %s", key)


@event.listens_for(Session, "after_soft_rollback")
def _keep_discarded(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outermost rollback: nothing was removed
        session.info.pop(_DISCARD, None)
