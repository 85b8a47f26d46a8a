"""Bulk inserts for the synthetic catalogue: primary keys reserved up front, rows kept
per table in insertion order, and booking references made from ids."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import func, insert, select

from ...models import (
    Booking,
    Clinic,
    Location,
    Service,
    Therapist,
    User,
    WorkingHours,
    db,
    service_therapists,
    therapist_modalities,
)


class Ids:
    """Primary keys reserved before a bulk insert, handed out one at a time.

    PostgreSQL reserves them in chunks from each table's sequence (safe beside
    other writers; unused values only leave gaps). Elsewhere they continue from
    the current maximum, which is safe because the SQLite transaction holds the
    write lock from its first statement.
    """

    def __init__(self, chunk: int = 4096) -> None:
        self._chunk = chunk
        self._postgres = db.session.get_bind().dialect.name == "postgresql"
        self._pools: dict[str, list[int]] = {}
        self._next: dict[str, int] = {}

    def next(self, table: sa.Table) -> int:
        pool = self._pools.get(table.name)
        if not pool:
            pool = self._pools[table.name] = self._reserve(table)[::-1]
        return pool.pop()

    def _reserve(self, table: sa.Table) -> list[int]:
        if self._postgres:
            return list(db.session.scalars(
                sa.text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                        "FROM generate_series(1, :n)"),
                {"t": table.name, "n": self._chunk},
            ))
        if table.name not in self._next:
            self._next[table.name] = (db.session.scalar(select(func.max(table.c.id))) or 0) + 1
        first = self._next[table.name]
        self._next[table.name] = first + self._chunk
        return list(range(first, first + self._chunk))


class Rows:
    """Rows of one batch, per table, in the order they must be inserted."""

    ORDER = (User.__table__, Clinic.__table__, Location.__table__, Therapist.__table__,
             therapist_modalities, Service.__table__, service_therapists,
             WorkingHours.__table__, Booking.__table__)

    def __init__(self) -> None:
        self.by_table: dict[sa.Table, list[dict]] = {t: [] for t in self.ORDER}

    def add(self, table: sa.Table, row: dict) -> None:
        self.by_table[table].append(row)

    def insert_all(self) -> None:
        for table in self.ORDER:
            rows = self.by_table[table]
            if rows:
                db.session.execute(insert(table), rows)
            rows.clear()


_REF_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def synthetic_reference(booking_id: int) -> str:
    """Eight characters that look random but are unique per id (a bijection mod 36^8)."""
    n = (booking_id * 2_654_435_761 + 0x5EED) % 36**8
    chars = []
    for _ in range(8):
        n, digit = divmod(n, 36)
        chars.append(_REF_ALPHABET[digit])
    return "".join(chars)
