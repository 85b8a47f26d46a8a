"""Loads the demo data (idempotent): the vocabulary, the seed and demo clinics, the
demo accounts, past visits with reviews, time off, this week's schedule, photos, a couple
of conversations between the demo client and seed clinics, and a gift card the demo
client bought that paid a deposit.

Upserts go by natural key (slug, e-mail, reference, name within a clinic): the
vocabulary is refreshed from ``data`` on every run, while clinics and what hangs
off them are created when missing and otherwise left as they are, so changes made
while demonstrating survive a re-run. Nothing here commits or prints: the caller
(the CLI) does. The synthetic catalogue for benchmarks is in ``synthetic``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ..models import Role, User, db
from ..services.accounts.users import normalise_email
from ..services.discovery import index as search_index
from ..services.giftcards import codes
from ..services.media.storage import Storage
from . import data as seed_data
from . import giftcards as seed_giftcards
from . import messages as seed_messages
from . import photos as seed_photos
from . import reviews as seed_reviews
from . import schedule as seed_schedule
from . import series as seed_series
from .clinics import upsert_clinic
from .common import DEMO_PASSWORD, PasswordHash, SeedReport, ensure_user
from .taxonomy import upsert_taxonomy
from .visits import add_demo_booking, ensure_demo_bookings, ensure_time_off

__all__ = ["DEMO_PASSWORD", "SeedReport", "seed_demo"]


def _upsert_users(password_hash: Callable[[], str]) -> dict[str, User]:
    users = {}
    for spec in seed_data.USERS:
        users[normalise_email(spec.email)] = ensure_user(
            spec.email, name=spec.name, phone=spec.phone, role=Role(spec.role),
            password_hash=password_hash,
        )
    db.session.flush()
    return users


def seed_demo(*, now: datetime, storage: Storage | None = None) -> SeedReport:
    """Load the vocabulary, the seed and demo clinics, demo accounts and past visits, and
    with ``storage`` their photos (drawn here: ``photos``)."""
    modalities = upsert_taxonomy()
    users = _upsert_users(PasswordHash())
    clinics = [upsert_clinic(spec, modalities, users, now) for spec in seed_data.ALL_CLINICS]
    db.session.flush()
    ensure_time_off(now)
    bookings = ensure_demo_bookings(users, now)
    db.session.flush()
    seed_reviews.ensure_demo_reviews(users=users, now=now, add_booking=add_demo_booking)
    bookings += seed_schedule.ensure_upcoming_bookings(users=users, now=now)
    seed_messages.ensure_demo_threads(users, now)
    seed_giftcards.ensure_demo_gift_card(users, now)
    seed_series.ensure_demo_series(users, now)
    # Indexed as they are written; this also covers a database from before the index.
    db.session.flush()
    search_index.refresh(db.session.connection(), [c.id for c in clinics])
    if storage is not None:
        seed_photos.ensure_demo_photos(clinics, storage=storage, owner=None, now=now)
    return SeedReport(
        clinics=len(clinics),
        therapists=sum(len(c.therapists) for c in clinics),
        services=sum(len(c.services) for c in clinics),
        bookings=bookings,
        logins=[(u.label, u.email) for u in seed_data.USERS],
        gift_card_code=codes.grouped(seed_giftcards.DEMO_GIFT_CODE),
    )
