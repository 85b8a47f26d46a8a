"""The technique and condition vocabulary as search reads it: by slug, by any name
people type ("trigger point", "S.E.T.", "sciatica"), and suggestions when a
search finds nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..models import Condition, Modality, db
from .search_index import fold, query_tokens

MAX_SUGGESTIONS = 6


def _key(text: str | None) -> str:
    """Folded, singular words: "Chronic headaches" and "chronic headache" meet."""
    return " ".join(query_tokens(text or ""))


def _modality_keys(m: Modality) -> set[str]:
    names = [m.slug.replace("-", " "), m.name, m.short_name, *(a.alias for a in m.aliases)]
    return {k for k in map(_key, names) if k}


def _condition_keys(c: Condition) -> set[str]:
    names = [c.slug.replace("-", " "), c.name, c.name.split("(")[0]]
    return {k for k in map(_key, names) if k}


@dataclass
class Vocabulary:
    modalities: list[Modality]
    conditions: list[Condition] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_id = {m.id: m for m in self.modalities}
        self._by_slug = {m.slug: m for m in self.modalities}
        self._conditions = {c.slug: c for c in self.conditions}
        self._named: dict[str, Modality | Condition] = {}
        for c in self.conditions:
            self._named.update(dict.fromkeys(_condition_keys(c), c))
        for m in self.modalities:  # a technique wins a name both share
            self._named.update(dict.fromkeys(_modality_keys(m), m))

    def technique(self, slug: str) -> Modality | None:
        return self._by_slug.get(slug)

    def condition(self, slug: str) -> Condition | None:
        return self._conditions.get(slug)

    def named(self, text: str) -> Modality | Condition | None:
        """The technique or condition ``text`` names exactly (any alias), if any."""
        return self._named.get(_key(text))

    def suggestions(self, text: str) -> list[tuple[str, dict]]:
        """Techniques and conditions with a word starting like one of ``text``'s words."""
        tokens = query_tokens(text)
        out: list[tuple[str, dict]] = []
        for m in self.modalities:
            if _starts_any(tokens, _modality_keys(m)):
                out.append((m.name, {"technique": m.slug}))
        for c in self.conditions:
            if _starts_any(tokens, _condition_keys(c)):
                out.append((c.name, {"condition": c.slug}))
        return out[:MAX_SUGGESTIONS]


def _starts_any(tokens: list[str], keys: set[str]) -> bool:
    words = {w for k in keys for w in k.split()}
    return any(w.startswith(t) for t in tokens if len(t) >= 3 for w in words)


def load_vocabulary(*, with_conditions: bool = True) -> Vocabulary:
    """Every technique with its aliases (and every condition with its techniques)."""
    modalities = list(
        db.session.scalars(
            select(Modality).options(selectinload(Modality.aliases)).order_by(Modality.name)
        )
    )
    conditions: list[Condition] = []
    if with_conditions:
        conditions = list(
            db.session.scalars(
                select(Condition)
                .options(selectinload(Condition.modalities))
                .order_by(Condition.name)
            )
        )
    return Vocabulary(modalities, conditions)


__all__ = ["Vocabulary", "fold", "load_vocabulary"]
