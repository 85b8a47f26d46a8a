"""Two checkouts spending one gift card at the same moment, each on its own database
connection, committed for real: the card's row lock (PostgreSQL's SELECT ... FOR UPDATE;
SQLite's one writer at a time) decides them in turn, so together they take exactly what
the card held, never more, and the ledger adds up."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from marketplace.models import EntryKind, GiftCard, GiftCardStatus, User, db
from marketplace.services import booking as bookings
from marketplace.services.giftcards import codes, ledger
from tests.support import factories
from tests.support.booking import days_ahead, hold
from tests.support.faults import committed_app

pytestmark = pytest.mark.concurrency


def _world(app, now):
    """A live card holding $25 and two held bookings with $20 deposits, committed."""
    b = factories.create_bookable_clinic()
    code = codes.new_code()
    card = GiftCard(reference="RACECARD01", clinic=b.clinic, buyer=factories.create_user(),
                    amount_cents=2500, recipient_name="R", recipient_email="r@example.com",
                    deliver_on=now.date(), timezone=b.clinic.timezone,
                    status=GiftCardStatus.ACTIVE, idempotency_key="race-card",
                    code_hash=codes.code_hash(code), paid_at=now,
                    expires_at=now + timedelta(days=365))
    db.session.add(card)
    db.session.flush()
    ledger.post(card, kind=EntryKind.PURCHASE, amount_cents=2500, now=now)
    held = []
    for days in (2, 3):
        booking = hold(app, b, days_ahead(b, days, 10, now=now),
                       client=factories.create_user(), now=now)
        booking.deposit_cents = 2000
        held.append((booking.reference, booking.client_id))
    db.session.commit()
    return card.id, code, held


def test_two_redemptions_at_once_cannot_overspend(tmp_path):
    now = datetime.now(UTC)
    with committed_app(tmp_path, "giftrace") as (app, _url):
        with app.app_context():
            card_id, code, held = _world(app, now)
            db.session.remove()
        barrier, taken, errors = threading.Barrier(2), [], []

        def spend(reference: str, client_id: int) -> None:
            with app.app_context():
                try:
                    barrier.wait(timeout=10)  # before any statement: SQLite locks at BEGIN
                    booking = bookings.by_reference(reference)
                    client = db.session.get(User, client_id)
                    taken.append(bookings.redeem_gift_card(booking, code=code, client=client,
                                                           now=now))
                    db.session.commit()
                except Exception as exc:  # noqa: BLE001 - reported below
                    db.session.rollback()
                    errors.append(exc)
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=spend, args=pair) for pair in held]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        with app.app_context():
            card = db.session.get(GiftCard, card_id)
            assert errors == []
            assert sorted(taken) == [500, 2000]  # the second saw what the first left
            assert card.balance_cents == 0
            assert ledger.ledger_sum(card) == 0
            assert [e.balance_after_cents for e in card.entries] == [2500, 500, 0]
            db.session.remove()
