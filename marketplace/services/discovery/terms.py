"""The technique and condition vocabulary as search reads it: by slug, by any name
people type ("trigger point", "S.E.T.", "sciatica"), and suggestions when a
search finds nothing.

Every search needs it and it rarely changes, so each process keeps it in memory
(``load_vocabulary``), one copy per database engine. A change made through this
process's sessions (an ORM flush or an insert, update or delete statement on a
vocabulary table) drops the copy at once, and again when that transaction ends;
other processes (another worker, ``flask seed``) are seen within
``VOCABULARY_TTL_SECONDS``.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ...models import Condition, Modality, ModalityAlias, condition_modalities, db
from .index import fold, query_tokens

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


VOCABULARY_TTL_SECONDS = 60.0
_VOCABULARY_TABLES = frozenset(
    t.name for t in (Modality.__table__, ModalityAlias.__table__, Condition.__table__,
                     condition_modalities))
_cached: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # engine -> entry
_lock = threading.Lock()
_generation = 0  # bumped by every change seen in this process


def load_vocabulary() -> Vocabulary:
    """Every technique with its aliases and every condition with its techniques, from this
    process's copy (see the module's docstring), loaded afresh when it is missing, stale
    or older than a change."""
    engine = db.engine
    with _lock:
        entry = _cached.get(engine)
        generation = _generation
    if entry and entry[0] == generation and time.monotonic() - entry[1] < VOCABULARY_TTL_SECONDS:
        return entry[2]
    vocabulary = _load_vocabulary()
    with _lock:
        _cached[engine] = (generation, time.monotonic(), vocabulary)
    return vocabulary


def forget_vocabulary() -> None:
    """Drop every process-wide copy: the next search loads the vocabulary again."""
    global _generation
    with _lock:
        _generation += 1


def _touches_vocabulary(session: Session) -> bool:
    return any(isinstance(obj, Modality | ModalityAlias | Condition)
               for obj in (*session.new, *session.dirty, *session.deleted))


@event.listens_for(Session, "after_flush")
def _changed_by_flush(session: Session, _context) -> None:
    if _touches_vocabulary(session):
        session.info["vocabulary_changed"] = True
        forget_vocabulary()


@event.listens_for(Session, "do_orm_execute")
def _changed_by_statement(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in _VOCABULARY_TABLES:
        state.session.info["vocabulary_changed"] = True
        forget_vocabulary()


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _transaction_ended(session: Session) -> None:
    """Copies loaded while the change was uncommitted saw either side of it: drop them."""
    if session.info.pop("vocabulary_changed", False):
        forget_vocabulary()


def _load_vocabulary() -> Vocabulary:
    """Every technique with its aliases and every condition with its techniques, as plain
    values in four small queries."""
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
    return Vocabulary(techniques, _conditions({t.id: t for t in techniques}))


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


__all__ = ["ConditionTerm", "Technique", "Vocabulary", "fold", "forget_vocabulary",
           "load_vocabulary"]
