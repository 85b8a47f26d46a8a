"""The compare tray: up to three published clinics a visitor has picked to compare.

The tray is a short list of clinic slugs the caller keeps (the web layer keeps
it in the signed session cookie); these functions decide what may go in it.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from ...models import Clinic, ClinicStatus, db
from ..common.errors import Conflict
from ..common.slugs import is_slug
from .terms import Technique, Vocabulary

MAX_CLINICS = 3
MAX_NEAR = 80


class TrayFull(Conflict):
    """The tray already holds three clinics."""


def clean(slugs: object) -> list[str]:
    """A tray from untrusted storage: well-formed slugs, no repeats, at most three."""
    if not isinstance(slugs, list | tuple):
        return []
    valid = [s for s in slugs if isinstance(s, str) and is_slug(s)]
    return list(dict.fromkeys(valid))[:MAX_CLINICS]


def published(slugs: list[str]) -> list[Clinic]:
    """The published clinics among ``slugs``, in the tray's order (one query)."""
    if not slugs:
        return []
    rows = db.session.scalars(
        select(Clinic).where(Clinic.slug.in_(slugs), Clinic.status == ClinicStatus.PUBLISHED)
    )
    by_slug = {c.slug: c for c in rows}
    return [by_slug[s] for s in slugs if s in by_slug]


def add(slugs: list[str], clinic: Clinic) -> list[str]:
    """The tray with ``clinic`` added (already there is fine); raises TrayFull."""
    tray = clean(slugs)
    if clinic.slug in tray:
        return tray
    if len(tray) >= MAX_CLINICS:
        raise TrayFull(
            f"You can compare up to {MAX_CLINICS} clinics. Remove one to add {clinic.name}."
        )
    return [*tray, clinic.slug]


def remove(slugs: list[str], slug: str) -> list[str]:
    """The tray without ``slug``."""
    return [s for s in clean(slugs) if s != slug]


def search_context(args: Mapping[str, str], vocabulary: Vocabulary) -> dict[str, str]:
    """What a comparison carries from the search a client came from: the technique
    (asked for, or named by the free text, as search understands it) and the place.
    Only values that exist or fit; empty when the page had neither."""
    context: dict[str, str] = {}
    technique = vocabulary.technique(args.get("technique") or "")
    if technique is None and args.get("q"):
        named = vocabulary.named(args["q"])
        technique = named if isinstance(named, Technique) else None
    if technique is not None:
        context["technique"] = technique.slug
    near = (args.get("near") or "").strip()
    if near and len(near) <= MAX_NEAR:
        context["near"] = near
    return context


def clean_context(stored: object) -> dict[str, str]:
    """A remembered search context from untrusted storage: two short strings at most."""
    if not isinstance(stored, dict):
        return {}
    technique, near = stored.get("technique"), stored.get("near")
    context = {}
    if isinstance(technique, str) and is_slug(technique):
        context["technique"] = technique
    if isinstance(near, str) and 0 < len(near) <= MAX_NEAR:
        context["near"] = near
    return context
