"""The vocabulary in the database: every technique, alias and condition, refreshed from
``data`` on every run."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..models import (
    Condition,
    Modality,
    ModalityAlias,
    db,
)
from . import data as seed_data


def upsert_taxonomy() -> dict[str, Modality]:
    """Create or refresh every technique, alias and condition; techniques by slug."""
    modalities = {
        m.slug: m
        for m in db.session.scalars(select(Modality).options(selectinload(Modality.aliases)))
    }
    aliases = {a.alias: a for a in db.session.scalars(select(ModalityAlias))}
    for spec in seed_data.MODALITIES:
        modality = modalities.get(spec.slug) or Modality(slug=spec.slug)
        modality.name, modality.short_name = spec.name, spec.short_name
        modality.intensity, modality.summary = spec.intensity, spec.summary
        db.session.add(modality)
        modalities[spec.slug] = modality
        for alias in spec.aliases:
            row = aliases.get(alias) or ModalityAlias(alias=alias)
            row.modality = modality
            db.session.add(row)
            aliases[alias] = row
    _upsert_conditions(modalities)
    db.session.flush()
    return modalities


def _upsert_conditions(modalities: dict[str, Modality]) -> None:
    existing = {c.slug: c for c in db.session.scalars(select(Condition))}
    for spec in seed_data.CONDITIONS:
        condition = existing.get(spec.slug) or Condition(slug=spec.slug)
        condition.name, condition.summary = spec.name, spec.summary
        condition.modalities = [modalities[slug] for slug in spec.modalities]
        db.session.add(condition)


def modality_ids() -> dict[str, int]:
    """Technique ids by slug, loading the vocabulary first if it is missing."""
    rows = db.session.execute(select(Modality.slug, Modality.id)).tuples()
    ids = {slug: id_ for slug, id_ in rows}  # noqa: C416 - a Result is not a mapping
    if any(spec.slug not in ids for spec in seed_data.MODALITIES):
        ids = {slug: m.id for slug, m in upsert_taxonomy().items()}
    return ids
