"""The full-text index behind free-text search: one row per clinic in ``search_fts``.

A clinic's row holds four fields: its name (and tagline), the techniques it
offers (names, short names, aliases, service names), its therapists (names,
credentials) and its place (city, state). SQLite keeps them in an FTS5 table
(rowid = clinic id), PostgreSQL in a weighted ``tsvector`` with a GIN index.

Both sides see the same words: text is folded to lower-case ASCII words here
before either database tokenises it, and queries are built from the same
words as prefix matches, so "trig poin" finds "trigger point therapy" on both.

The index follows the data by itself: an ORM ``after_flush`` hook notes which
clinics a flush touched (their name, a therapist, a service, a location, or a
technique's names), and their rows are rewritten once per transaction, in it:
just before it commits (``before_commit``), or earlier when a search in the same
session is about to read them (``refresh_pending``). A transaction that adds a
clinic, its therapists and its services in several flushes so writes each row
once, not once per flush. Bulk inserts that bypass the ORM (the synthetic seed)
call ``rebuild``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from ...models import (
    Clinic,
    Location,
    Modality,
    ModalityAlias,
    Service,
    Therapist,
    therapist_modalities,
)

FIELDS = ("name", "techniques", "people", "place")
MAX_TOKENS = 8
CHUNK = 500
# Attributes whose change alters a clinic's document; other changes (a rating,
# a deposit) do not touch the index.
_WATCHED = {
    Clinic: ("name", "tagline"),
    Location: ("city", "state", "clinic_id"),
    Therapist: ("name", "credentials", "active", "clinic_id", "modalities"),
    Service: ("name", "modality_id", "active", "clinic_id"),
    Modality: ("name", "short_name"),
    ModalityAlias: ("alias", "modality_id"),
}

# --- words ------------------------------------------------------------------------------

_JOINERS = re.compile(r"[.'’]")
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def fold(text: str | None) -> str:
    """Lower-case ASCII words, single-spaced: "S.E.T. / Cross-fibre" -> "set cross fibre"."""
    if not text:
        return ""
    if not text.isascii():  # ASCII has no accents to take off
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower()
    return _SEPARATORS.sub(" ", _JOINERS.sub("", text)).strip()


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def query_tokens(text: str) -> list[str]:
    """The words of a search, singular, at least two characters, at most ``MAX_TOKENS``."""
    words = [_singular(w) for w in fold(text).split() if len(w) >= 2]
    return list(dict.fromkeys(words))[:MAX_TOKENS]


def match_expression(tokens: list[str], dialect: str) -> str:
    """A prefix-match query: every word must start a word of the document."""
    if dialect == "postgresql":
        return " & ".join(f"{t}:*" for t in tokens)
    return " ".join(f'"{t}"*' for t in tokens)


# --- documents --------------------------------------------------------------------------


def _vocabulary(conn: sa.Connection) -> dict[int, list[str]]:
    """Every technique's searchable names by id."""
    names: dict[int, list[str]] = defaultdict(list)
    for mid, name, short in conn.execute(
        sa.select(Modality.id, Modality.name, Modality.short_name)
    ):
        names[mid] += [name, short or ""]
    for mid, alias in conn.execute(sa.select(ModalityAlias.modality_id, ModalityAlias.alias)):
        names[mid].append(alias)
    return names


def documents(conn: sa.Connection, clinic_ids: list[int]) -> dict[int, dict[str, str]]:
    """The four folded fields of each clinic in ``clinic_ids`` that still exists."""
    vocabulary = _vocabulary(conn)
    parts: dict[int, dict[str, list[str]]] = {}
    for cid, name, tagline in conn.execute(
        sa.select(Clinic.id, Clinic.name, Clinic.tagline).where(Clinic.id.in_(clinic_ids))
    ):
        parts[cid] = {"name": [name, tagline or ""], "techniques": [], "people": [], "place": []}
    for cid, city, state in conn.execute(
        sa.select(Location.clinic_id, Location.city, Location.state).where(
            Location.clinic_id.in_(clinic_ids)
        )
    ):
        parts[cid]["place"] += [city, state]
    for cid, name, mid in conn.execute(
        sa.select(Service.clinic_id, Service.name, Service.modality_id).where(
            Service.clinic_id.in_(clinic_ids), Service.active.is_(True)
        )
    ):
        parts[cid]["techniques"] += [name, *vocabulary[mid]]
    _add_therapists(conn, clinic_ids, parts, vocabulary)
    return {cid: {f: fold(" ".join(words[f])) for f in FIELDS} for cid, words in parts.items()}


def _add_therapists(conn, clinic_ids, parts, vocabulary) -> None:
    rows = conn.execute(
        sa.select(Therapist.clinic_id, Therapist.name, Therapist.credentials,
                  therapist_modalities.c.modality_id)
        .outerjoin(therapist_modalities, therapist_modalities.c.therapist_id == Therapist.id)
        .where(Therapist.clinic_id.in_(clinic_ids), Therapist.active.is_(True))
    )
    for cid, name, credentials, mid in rows:
        parts[cid]["people"] += [name, credentials or ""]
        if mid is not None:
            parts[cid]["techniques"] += vocabulary[mid]


# --- writing ----------------------------------------------------------------------------

_PG_INSERT = (
    "INSERT INTO search_fts (clinic_id, document) VALUES (:id, "
    "setweight(to_tsvector('simple', :name), 'A') || "
    "setweight(to_tsvector('simple', :techniques), 'B') || "
    "setweight(to_tsvector('simple', :people), 'C') || "
    "setweight(to_tsvector('simple', :place), 'D'))"
)
_SQLITE_INSERT = (
    "INSERT INTO search_fts (rowid, name, techniques, people, place) "
    "VALUES (:id, :name, :techniques, :people, :place)"
)


def refresh(conn: sa.Connection, clinic_ids: Iterable[int]) -> None:
    """Rewrite the index rows of these clinics (dropping rows of clinics that are gone)."""
    ids = sorted(set(clinic_ids))
    postgres = conn.dialect.name == "postgresql"
    key = "clinic_id" if postgres else "rowid"
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        docs = documents(conn, chunk)
        conn.execute(
            sa.text(f"DELETE FROM search_fts WHERE {key} IN :ids").bindparams(  # noqa: S608
                sa.bindparam("ids", expanding=True)
            ),
            {"ids": chunk},
        )
        if not docs:
            continue
        rows = [{"id": cid, **doc} for cid, doc in docs.items()]
        conn.execute(sa.text(_PG_INSERT if postgres else _SQLITE_INSERT), rows)


def rebuild(session: Session) -> int:
    """Index every clinic afresh; returns how many rows the index holds."""
    conn = session.connection()
    conn.execute(sa.text("DELETE FROM search_fts"))
    ids = list(conn.scalars(sa.select(Clinic.id).order_by(Clinic.id)))
    refresh(conn, ids)
    return len(ids)


# --- following the ORM ------------------------------------------------------------------


def _changed(obj, attrs: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[a].history.has_changes() for a in attrs)


def _touched(session: Session) -> tuple[set[int], set[int]]:
    """Clinic ids and technique ids whose index rows this flush may have changed."""
    clinics: set[int] = set()
    modalities: set[int] = set()
    dirty = session.dirty
    for obj in (*session.new, *session.deleted, *dirty):
        attrs = _WATCHED.get(type(obj))
        if attrs is None:
            continue
        if obj in dirty and not _changed(obj, attrs):
            continue
        if isinstance(obj, Clinic):
            clinics.add(obj.id)
        elif isinstance(obj, Modality):
            modalities.add(obj.id)
        elif isinstance(obj, ModalityAlias):
            modalities.add(obj.modality_id)
        else:
            clinics.add(obj.clinic_id)
            previous = inspect(obj).attrs.clinic_id.history.deleted
            clinics.update(c for c in previous if c is not None)
    clinics.discard(None)
    modalities.discard(None)
    return clinics, modalities


_PENDING = "search_index"  # session.info key: (clinic ids, technique ids) not yet rewritten


def _after_flush(session: Session, _context) -> None:
    clinics, modalities = _touched(session)
    if clinics or modalities:
        pending = session.info.setdefault(_PENDING, (set(), set()))
        pending[0].update(clinics)
        pending[1].update(modalities)


def _offering(conn: sa.Connection, modality_ids: set[int]) -> set[int]:
    services = sa.select(Service.clinic_id).where(Service.modality_id.in_(modality_ids))
    givers = (
        sa.select(Therapist.clinic_id)
        .join(therapist_modalities, therapist_modalities.c.therapist_id == Therapist.id)
        .where(therapist_modalities.c.modality_id.in_(modality_ids))
    )
    return set(conn.scalars(services.union(givers)))


def refresh_pending(session: Session) -> None:
    """Rewrite the rows of the clinics this transaction has changed so far (flushing
    first), so that a search in this session reads them as they now are."""
    session.flush()
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    clinics, modalities = pending
    conn = session.connection()
    if modalities:
        clinics |= _offering(conn, modalities)
    if clinics:
        refresh(conn, clinics)


def _before_commit(session: Session) -> None:
    refresh_pending(session)


def _after_soft_rollback(session: Session, previous) -> None:
    if previous.parent is None:  # the whole transaction is gone, and with it its changes
        session.info.pop(_PENDING, None)


_HOOKS = (("after_flush", _after_flush), ("before_commit", _before_commit),
          ("after_soft_rollback", _after_soft_rollback))


def install() -> None:
    """Keep the index in step with every ORM session (idempotent)."""
    for name, hook in _HOOKS:
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)
