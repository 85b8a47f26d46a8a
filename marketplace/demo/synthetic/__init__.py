"""The synthetic catalogue for benchmarks: ``seed_synthetic(n)`` adds n clinics with
everything under them.

It writes with Core bulk inserts and primary keys reserved up front: ten thousand
clinics, with everything under them, load in well under a minute. Nothing here
commits or prints: the caller (the CLI) does.
"""

from __future__ import annotations

import random
from datetime import datetime

from ...models import db
from ...services.accounts.users import hash_password
from ...services.discovery import index as search_index
from ..common import DEMO_PASSWORD, SeedReport
from ..taxonomy import modality_ids
from .bulk import Ids, Rows
from .generator import Synthetic

SYNTHETIC_BATCH = 500  # clinics generated and inserted per round


def seed_synthetic(n: int, *, now: datetime, random_seed: int = 7) -> SeedReport:
    """Add ``n`` synthetic clinics with therapists, services, hours and bookings."""
    db.session.flush()
    ids = Ids(chunk=min(4096, 64 + 32 * n))  # small runs leave small gaps in sequences
    gen = Synthetic(random.Random(random_seed), now, modality_ids(), ids,
                     hash_password(DEMO_PASSWORD))
    rows = Rows()
    gen.add_clients(rows, max(25, n // 10))
    for start in range(0, n, SYNTHETIC_BATCH):
        for _ in range(min(SYNTHETIC_BATCH, n - start)):
            gen.add_clinic(rows)
        rows.insert_all()
    rows.insert_all()  # the clients, when n is 0
    search_index.rebuild(db.session)  # bulk inserts bypass the ORM hook that keeps it
    return gen.report
