"""Languages and amenities in search: the filters (one ``EXISTS`` each, correlated to
the clinic and answered from the association tables' keys) and the languages a clinic's
team speaks, for result cards, profiles and compare (one query for a page of clinics).

A clinic speaks a language when one of its active therapists who gives an active
service (of the technique asked for, when one is) speaks it."""

from __future__ import annotations

from collections.abc import Collection, Iterable

import sqlalchemy as sa
from sqlalchemy import select

from ...models import Clinic, ClinicAmenity, Service, Therapist, TherapistLanguage, db
from ...models import service_therapists as givers
from ..common.features import LANGUAGES


def _team(modality_ids):
    """Therapist ids that give an active service (of those techniques, when given)."""
    stmt = select(givers.c.therapist_id).join(Service, Service.id == givers.c.service_id).where(
        givers.c.therapist_id == Therapist.id, Service.active.is_(True))
    if modality_ids is not None:
        if not isinstance(modality_ids, sa.BindParameter):
            modality_ids = list(modality_ids)
        stmt = stmt.where(Service.modality_id.in_(modality_ids))
    return stmt.exists()


def speaks(code, modality_ids=None) -> sa.ColumnElement[bool]:
    """The clinic (correlated) has a bookable therapist who speaks ``code`` (a code or a
    bound parameter; ``modality_ids``: ids, a bound parameter or None): its
    therapists (``ix_therapists_clinic_id``), each probed on the language's key and on
    ``service_therapists``."""
    return select(TherapistLanguage.therapist_id).join(
        Therapist, Therapist.id == TherapistLanguage.therapist_id).where(
        Therapist.clinic_id == Clinic.id, Therapist.active.is_(True),
        TherapistLanguage.code == code, _team(modality_ids)).exists()


def has_amenities(codes: Iterable) -> list[sa.ColumnElement[bool]]:
    """One probe of ``clinic_amenities``' key per amenity (codes or bound parameters):
    the clinic has every one."""
    return [select(ClinicAmenity.clinic_id).where(
        ClinicAmenity.clinic_id == Clinic.id, ClinicAmenity.code == code).exists()
        for code in codes]


def _team_languages_statement() -> sa.Select:
    ids = sa.bindparam("ids", expanding=True)
    return (select(Therapist.clinic_id, TherapistLanguage.code).distinct()
            .join(TherapistLanguage, TherapistLanguage.therapist_id == Therapist.id)
            .where(Therapist.clinic_id.in_(ids), Therapist.active.is_(True), _team(None)))


#: built once: a page of clinics binds only its ids
_TEAM_LANGUAGES = _team_languages_statement()


def team_languages(clinic_ids: Collection[int]) -> dict[int, list[str]]:
    """Each clinic's spoken languages (codes in the vocabulary's order), in one query."""
    found: dict[int, set[str]] = {cid: set() for cid in clinic_ids}
    if not found:
        return {}
    for clinic_id, code in db.session.execute(_TEAM_LANGUAGES, {"ids": list(found)}):
        found[clinic_id].add(code)
    return {cid: [t.code for t in LANGUAGES.terms_for(codes)] for cid, codes in found.items()}
