"""The technique and condition vocabulary as search reads it: by slug, by any name
people type ("trigger point", "S.E.T.", "sciatica"), and suggestions when a
search finds nothing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from ..models import Condition, Modality, ModalityAlias, condition_modalities, db
from .search_index import fold, query_tokens

MAX_SUGGESTIONS = 6


@dataclass(frozen=True)
class Technique:
    """A technique as search needs it (plain values: cheap to load, safe to keep)."""

    id: int
    slug: str
    name: str
    short_name: str | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConditionTerm:
    id: int
    slug: str
    name: str
    summary: str
    modalities: tuple[Technique, ...] = ()


def _key(text: str | None) -> str:
    """Folded, singular words: "Chronic headaches" and "chronic headache" meet."""
    return " ".join(query_tokens(text or ""))


def _modality_keys(m: Technique) -> set[str]:
    names = [m.slug.replace("-", " "), m.name, m.short_name, *m.aliases]
    return {k for k in map(_key, names) if k}


def _condition_keys(c: ConditionTerm) -> set[str]:
    names = [c.slug.replace("-", " "), c.name, c.name.split("(")[0]]
    return {k for k in map(_key, names) if k}


@dataclass
class Vocabulary:
    modalities: list[Technique]
    conditions: list[ConditionTerm] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_id = {m.id: m for m in self.modalities}
        self._by_slug = {m.slug: m for m in self.modalities}
        self._conditions = {c.slug: c for c in self.conditions}
        self._named: dict[str, Technique | ConditionTerm] = {}
        for c in self.conditions:
            self._named.update(dict.fromkeys(_condition_keys(c), c))
        for m in self.modalities:  # a technique wins a name both share
            self._named.update(dict.fromkeys(_modality_keys(m), m))

    def technique(self, slug: str) -> Technique | None:
        return self._by_slug.get(slug)

    def condition(self, slug: str) -> ConditionTerm | None:
        return self._conditions.get(slug)

    def named(self, text: str) -> Technique | ConditionTerm | None:
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
    """Every technique with its aliases (and every condition with its techniques), as
    plain values in two to four small queries."""
    aliases: dict[int, list[str]] = defaultdict(list)
    for mid, alias in db.session.execute(
        select(ModalityAlias.modality_id, ModalityAlias.alias).order_by(ModalityAlias.alias)
    ):
        aliases[mid].append(alias)
    techniques = [
        Technique(mid, slug, name, short, tuple(aliases[mid]))
        for mid, slug, name, short in db.session.execute(
            select(Modality.id, Modality.slug, Modality.name, Modality.short_name)
            .order_by(Modality.name)
        )
    ]
    conditions = _conditions({t.id: t for t in techniques}) if with_conditions else []
    return Vocabulary(techniques, conditions)


def _conditions(by_id: dict[int, Technique]) -> list[ConditionTerm]:
    addressed: dict[int, list[Technique]] = defaultdict(list)
    for cid, mid in db.session.execute(
        select(condition_modalities.c.condition_id, condition_modalities.c.modality_id)
    ):
        addressed[cid].append(by_id[mid])
    return [
        ConditionTerm(cid, slug, name, summary,
                      tuple(sorted(addressed[cid], key=lambda t: t.name)))
        for cid, slug, name, summary in db.session.execute(
            select(Condition.id, Condition.slug, Condition.name, Condition.summary)
            .order_by(Condition.name)
        )
    ]


__all__ = ["ConditionTerm", "Technique", "Vocabulary", "fold", "load_vocabulary"]
