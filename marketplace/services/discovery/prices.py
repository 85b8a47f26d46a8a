"""Each clinic's lowest prices kept as data (``clinic_prices``), true in the same
transaction as every change to its services.

Search filters and sorts on a clinic's cheapest matching price per 60 minutes and
shows its cheapest session. Grouping every active service of every candidate clinic
on each request cost about as much as finding the clinics; these rows hold the
answer, one per clinic and technique it offers and one for any technique
(``ANY_TECHNIQUE``), so search reads them by key.

How they stay true: an ORM hook (``install``) notes, at each flush, the clinics whose
services were added, removed or changed in a way that moves a price (price, length,
technique, activity, clinic) and rewrites those clinics' rows after the flush, in the
same transaction, from the services themselves (one grouped statement: ``computed``).
The synthetic seed writes services past the ORM and calls ``rebuild``; ``flask
search-prices check`` compares every row with the grouped computation.
``tests/integration/discovery/test_kept_prices.py`` proves with hypothesis that the
rows equal the computation after any sequence of service changes.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import event, func, inspect
from sqlalchemy.orm import Session

from ...models import ANY_TECHNIQUE, Clinic, ClinicPrice, Service

CHUNK = 500
_TABLE = ClinicPrice.__table__
_WATCHED = ("clinic_id", "modality_id", "active", "price_cents", "price_per_60_cents")
_PENDING = "clinic_prices"


def computed(clinic_ids: Iterable[int] | None = None) -> sa.Select:
    """The rows as the services give them: (clinic_id, modality_id, per_60, price),
    per technique and for any technique (``ANY_TECHNIQUE``)."""
    active = [Service.active.is_(True)]
    if clinic_ids is not None:
        active.append(Service.clinic_id.in_(list(clinic_ids)))
    per_technique = sa.select(
        Service.clinic_id, Service.modality_id,
        func.min(Service.price_per_60_cents), func.min(Service.price_cents),
    ).where(*active).group_by(Service.clinic_id, Service.modality_id)
    any_technique = sa.select(
        Service.clinic_id, sa.literal(ANY_TECHNIQUE, sa.Integer),
        func.min(Service.price_per_60_cents), func.min(Service.price_cents),
    ).where(*active).group_by(Service.clinic_id)
    return sa.union_all(per_technique, any_technique)


def _insert(conn: sa.Connection, source: sa.Select) -> None:
    conn.execute(_TABLE.insert().from_select(
        ["clinic_id", "modality_id", "per_60_cents", "price_cents"], source))


def refresh(conn: sa.Connection, clinic_ids: Iterable[int]) -> None:
    """Rewrite the rows of these clinics from their active services."""
    ids = sorted(set(clinic_ids))
    if conn.dialect.name == "postgresql":
        # One rewrite per clinic at a time: a second writer waits, then deletes what the
        # first wrote (SQLite serialises writers by itself).
        for cid in ids:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(7212, :id)"), {"id": cid})
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        conn.execute(_TABLE.delete().where(_TABLE.c.clinic_id.in_(chunk)))
        _insert(conn, computed(chunk))


def rebuild(session: Session) -> int:
    """Recompute every row (after a bulk load); returns how many rows there are."""
    conn = session.connection()
    conn.execute(_TABLE.delete())
    _insert(conn, computed())
    return conn.execute(sa.select(func.count()).select_from(_TABLE)).scalar_one()


def stored(conn: sa.Connection) -> set[tuple]:
    return {tuple(r) for r in conn.execute(sa.select(
        _TABLE.c.clinic_id, _TABLE.c.modality_id, _TABLE.c.per_60_cents,
        _TABLE.c.price_cents))}


def check(session: Session) -> tuple[int, int]:
    """Compare every row with the services; returns (rows missing or wrong, rows that
    should not be there)."""
    conn = session.connection()
    want = {tuple(r) for r in conn.execute(computed())}
    have = stored(conn)
    return len(want - have), len(have - want)


# --- following the ORM --------------------------------------------------------------------


def _touched(session: Session) -> set[int]:
    """Clinics whose prices this flush may have moved."""
    clinics: set[int] = set()
    dirty = session.dirty
    for obj in (*session.new, *session.deleted, *dirty):
        if isinstance(obj, Clinic) and obj in session.deleted:
            clinics.add(obj.id)
            continue
        if not isinstance(obj, Service):
            continue
        state = inspect(obj)
        if obj in dirty and not any(state.attrs[a].history.has_changes() for a in _WATCHED):
            continue
        clinics.add(obj.clinic_id)
        clinics.update(state.attrs.clinic_id.history.deleted)
    clinics.discard(None)
    return clinics


def _after_flush(session: Session, _context) -> None:
    clinics = _touched(session)
    if clinics:
        session.info.setdefault(_PENDING, set()).update(clinics)


def _after_flush_postexec(session: Session, _context) -> None:
    clinics = session.info.pop(_PENDING, None)
    if clinics:
        refresh(session.connection(), clinics)


def install() -> None:
    """Keep the rows in step with every ORM session (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_flush_postexec", _after_flush_postexec)
