"""An owner's therapists: credentials clients check, techniques, and whether they work.

A therapist with upcoming bookings cannot be deactivated (``stranding``): the
owner first moves or cancels those bookings. Therapists are never deleted:
past bookings and reviews name them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import select

from ...models import Booking, Clinic, Modality, Therapist, TherapistLanguage, User, db
from ..audit import diff as changes
from ..availability import schedules
from ..common.errors import FieldError
from ..common.features import LANGUAGES
from ..common.slugs import MAX_BASE, slugify
from . import stranding


@dataclass(frozen=True)
class TherapistData:
    name: str
    credentials: str
    licence_number: str | None
    licence_state: str | None
    practicing_since: int | None
    bio: str
    active: bool
    modality_ids: Sequence[int] = ()
    languages: Sequence[str] = ()  # codes from features.LANGUAGES


def _check(data: TherapistData, *, this_year: int) -> None:
    if data.practicing_since is not None and not 1950 <= data.practicing_since <= this_year:
        raise FieldError("practicing_since", f"Enter a year between 1950 and {this_year}.")
    if data.licence_number and not data.licence_state:
        raise FieldError("licence_state", "Choose the state that issued the licence.")


def _modalities(ids: Sequence[int]) -> list[Modality]:
    wanted = set(ids)
    found = list(db.session.scalars(select(Modality).where(Modality.id.in_(wanted))))
    if len(found) != len(wanted):
        raise FieldError("modalities", "Choose techniques from the list.")
    return sorted(found, key=lambda m: m.name)


def unique_slug(name: str) -> str:
    """A therapist slug not yet taken (slugs are unique across the site)."""
    base = slugify(name, max_length=MAX_BASE) or "therapist"
    slug, n = base, 1
    while db.session.scalar(select(Therapist.id).where(Therapist.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_therapist(
    *, clinic: Clinic, data: TherapistData, actor: User, now: datetime
) -> Therapist:
    """Add a therapist to the clinic's team."""
    _check(data, this_year=now.year)
    values = asdict(data)
    values.pop("modality_ids")
    languages = LANGUAGES.checked(values.pop("languages"), field="language_codes")
    modalities, slug = _modalities(data.modality_ids), unique_slug(data.name)
    therapist = Therapist(clinic=clinic, slug=slug, created_at=now, modalities=modalities,
                          languages=[TherapistLanguage(code=code) for code in languages],
                          **values)
    db.session.add(therapist)
    db.session.flush()
    changes.record(therapist, "therapist.create", actor=actor, now=now, name=therapist.name,
                   modalities=[m.slug for m in therapist.modalities],
                   languages=list(languages))
    return therapist


def update_therapist(
    *, therapist: Therapist, data: TherapistData, actor: User, now: datetime
) -> dict:
    """Change a therapist; deactivating one with upcoming bookings is refused."""
    _check(data, this_year=now.year)
    if therapist.active and not data.active:
        schedules.lock_therapists([therapist.id])
        stranding.refuse_if(
            stranding.upcoming(Booking.therapist_id == therapist.id, now=now),
            f"{therapist.name} cannot be made inactive while clients are booked with them.",
        )
    values = asdict(data)
    values.pop("modality_ids")
    languages = LANGUAGES.checked(values.pop("languages"), field="language_codes")
    if values["licence_number"] != therapist.licence_number:
        therapist.licence_checked_at = None  # a new number has not been checked
    changed = changes.apply(therapist, values)
    modalities = _modalities(data.modality_ids)
    if {m.id for m in modalities} != {m.id for m in therapist.modalities}:
        changed["modalities"] = [
            changes.json_value([m.slug for m in therapist.modalities]),
            changes.json_value([m.slug for m in modalities]),
        ]
        therapist.modalities = modalities
    if set(languages) != set(therapist.language_codes):
        changed["languages"] = [changes.json_value(therapist.language_codes),
                                changes.json_value(languages)]
        set_languages(therapist, languages)
    changes.record(therapist, "therapist.update", actor=actor, now=now, changed=changed)
    return changed


def set_languages(therapist: Therapist, codes: Sequence[str]) -> None:
    """Keep the therapist's language rows equal to ``codes`` (checked codes), adding and
    removing only the difference."""
    wanted = set(codes)
    for row in [row for row in therapist.languages if row.code not in wanted]:
        therapist.languages.remove(row)
    have = set(therapist.language_codes)
    therapist.languages.extend(TherapistLanguage(code=code) for code in codes
                               if code not in have)
