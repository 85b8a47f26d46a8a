"""Derived data, rebuilt once after the seed has loaded its rows.

Bulk loads (the synthetic catalogue) bypass the ORM hooks that keep derived data in
step row by row, so everything computed from the loaded rows is made again here, in
the seed's transaction, in this order: first each derived table, then the query
planner's statistics over all of it. A new derived table gets one call here, before
``ANALYZE``.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..models import db
from ..services.availability import kept
from ..services.common.rules import BookingRules
from ..services.discovery import index as search_index
from ..services.discovery import prices as kept_prices
from ..services.discovery import sql as search_sql


def rebuild_derived_data(*, bulk_loaded: bool, now: datetime, rules: BookingRules) -> None:
    """Rebuild what is computed from the loaded rows, then refresh the statistics.

    ``bulk_loaded``: rows were written past the ORM (``flask seed --synthetic``), so the
    search index and SQLite's spatial index (whose triggers the load set aside) are
    rebuilt too. The clinics' lowest prices (``clinic_prices``) and the open time kept as
    rows are rebuilt either way (the ORM keeps it only once its window exists).
    """
    if bulk_loaded:
        search_index.rebuild(db.session)
        search_sql.rebuild_spatial_index(db.session.connection())
    kept_prices.rebuild(db.session)
    kept.rebuild(db.session, now=now, rules=rules)
    # Further derived tables rebuilt from the loaded rows go here.
    analyze()


def analyze() -> None:
    """Refresh the query planner's statistics after a bulk load. Without them SQLite
    reads every confirmed booking through the status index to find one therapist's."""
    db.session.execute(sa.text("ANALYZE"))
