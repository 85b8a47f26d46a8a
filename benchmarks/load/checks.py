"""What must hold in the database (and at the payment provider) after the load.

1. No two held or confirmed bookings of one therapist overlap.
2. Every succeeded payment belongs to a confirmed (or since completed) booking;
   money for anything else must have been refunded.
3. Every booking confirmed during the run has its succeeded deposit (the synthetic
   seed's history has no payment rows, so only the run's own bookings are asked).
4. Every PaymentIntent that succeeded at the provider is recorded as such on our
   side, and no booking was charged twice.
5. ``reconcile-payments`` finds nothing left between states.
6. The mail relay sent every e-mail the run queued (within a few seconds of the end).
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime

import requests
import sqlalchemy as sa

from .stack import ROOT, _sqlalchemy

OVERLAPS = """
SELECT count(*) FROM bookings a JOIN bookings b
  ON a.therapist_id = b.therapist_id AND a.id < b.id
 AND a.blocked_from < b.blocked_until AND b.blocked_from < a.blocked_until
WHERE a.status IN ('held', 'confirmed') AND b.status IN ('held', 'confirmed')
"""
PAID_WITHOUT_BOOKING = """
SELECT count(*) FROM payments p JOIN bookings b ON b.id = p.booking_id
WHERE p.status = 'succeeded' AND b.status NOT IN ('confirmed', 'completed', 'no_show')
"""
CONFIRMED_WITHOUT_DEPOSIT = """
SELECT count(*) FROM bookings b
WHERE b.status = 'confirmed' AND b.deposit_cents > 0 AND b.created_at >= :since
  AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.booking_id = b.id
                  AND p.status = 'succeeded' AND p.amount_cents = b.deposit_cents)
"""
UNSENT_MAIL = "SELECT count(*) FROM outbox_emails WHERE status = 'pending'"
RECORDED_INTENTS = """
SELECT p.intent_id, p.status, b.reference FROM payments p JOIN bookings b ON b.id = p.booking_id
WHERE p.intent_id IS NOT NULL
"""


def check(database_url: str, *, stripe_url: str, since: datetime, env: dict) -> dict:
    """Count every kind of break (all zero is a pass) and return the counts."""
    engine = sa.create_engine(_sqlalchemy(database_url))
    try:
        with engine.connect() as conn:
            found = {
                "overlapping_bookings": conn.execute(sa.text(OVERLAPS)).scalar_one(),
                "paid_without_a_booking": conn.execute(
                    sa.text(PAID_WITHOUT_BOOKING)).scalar_one(),
                "confirmed_without_deposit": conn.execute(
                    sa.text(CONFIRMED_WITHOUT_DEPOSIT), {"since": since}).scalar_one(),
            }
            recorded = {row.intent_id: (row.status, row.reference)
                        for row in conn.execute(sa.text(RECORDED_INTENTS))}
    finally:
        engine.dispose()
    found["mail_left_unsent"] = _unsent_mail(database_url)
    found.update(_against_the_provider(stripe_url, recorded))
    found["left_for_reconcile"] = _reconcile_finds(env)
    return found


def _unsent_mail(database_url: str, *, patience: float = 15.0) -> int:
    """Outbox messages still pending once the relay has had ``patience`` seconds."""
    engine = sa.create_engine(_sqlalchemy(database_url))
    deadline = time.monotonic() + patience
    try:
        while True:
            with engine.connect() as conn:
                pending = conn.execute(sa.text(UNSENT_MAIL)).scalar_one()
            if not pending or time.monotonic() > deadline:
                return pending
            time.sleep(0.5)
    finally:
        engine.dispose()


def _against_the_provider(stripe_url: str, recorded: dict) -> dict:
    charges: dict[str, int] = {}
    unrecorded = 0
    for intent in _intents(stripe_url):
        if intent["status"] != "succeeded":
            continue
        reference = (intent.get("metadata") or {}).get("booking")
        charges[reference] = charges.get(reference, 0) + 1
        status, _ = recorded.get(intent["id"], (None, None))
        if status not in ("succeeded", "refunded", "partially_refunded"):
            unrecorded += 1
    return {"charges_not_recorded": unrecorded,
            "bookings_charged_twice": sum(1 for n in charges.values() if n > 1),
            "charges": sum(charges.values())}


def _intents(stripe_url: str):
    after = None
    while True:
        params = {"limit": 100, **({"starting_after": after} if after else {})}
        page = requests.get(f"{stripe_url}/v1/payment_intents", params=params,
                            auth=("sk_test_offline", ""), timeout=30).json()
        yield from page["data"]
        if not page["has_more"] or not page["data"]:
            return
        after = page["data"][-1]["id"]


def _reconcile_finds(env: dict) -> int:
    """How many items ``reconcile-payments`` had to settle, confirm or refund (want 0)."""
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi",
                           "reconcile-payments"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    repaired = 0
    for line in done.stdout.splitlines():
        label, _, number = line.rpartition(": ")
        if label in ("Payments settled with the provider", "Bookings confirmed from a payment",
                     "Refunds made") and number.isdigit():
            repaired += int(number)
    if not any(line.startswith("Refunds made") for line in done.stdout.splitlines()):
        raise RuntimeError(f"reconcile-payments did not run: {done.stdout}{done.stderr}")
    return repaired
