"""The synthetic catalogue for benchmarks: ``seed_synthetic(n)`` adds n clinics with
everything under them.

Rows are generated and written in rounds of ``SYNTHETIC_BATCH`` clinics, so memory
stays bounded at any size, straight through the driver (``executemany`` on SQLite,
``COPY`` on PostgreSQL) with primary keys reserved up front; the tables' plain indexes
are made once at the end (``bulk.bulk_load``). Two hundred thousand clinics, with
everything under them, load in minutes. The derived data (the search index, the
planner's statistics) is not made here: the caller runs
``demo.derived.rebuild_derived_data`` after the load. Nothing here commits or prints.
"""

from __future__ import annotations

import random
from datetime import datetime

from ...models import db
from ...services.accounts.users import hash_password
from ..common import DEMO_PASSWORD, SeedReport
from ..taxonomy import modality_ids
from .bulk import Ids, Loader, Rows, bulk_load
from .generator import Synthetic

SYNTHETIC_BATCH = 2000  # clinics generated and written per round (about 40,000 bookings)


def seed_synthetic(n: int, *, now: datetime, random_seed: int = 7) -> SeedReport:
    """Add ``n`` synthetic clinics with therapists, services, hours and bookings."""
    db.session.flush()
    ids = Ids(chunk=min(4096, 64 + 32 * n))  # small runs leave small gaps in sequences
    gen = Synthetic(random.Random(random_seed), now, modality_ids(), ids,
                    hash_password(DEMO_PASSWORD))
    rows = Rows(Loader(db.session))
    with bulk_load(db.session, Rows.ORDER):
        gen.add_clients(rows, max(25, n // 10))
        for start in range(0, n, SYNTHETIC_BATCH):
            for _ in range(min(SYNTHETIC_BATCH, n - start)):
                gen.add_clinic(rows)
            rows.insert_all()
        rows.insert_all()  # the clients, when n is 0
    return gen.report
