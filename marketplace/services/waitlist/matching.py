"""Whether an open slot suits a waiting client: pure, no database.

An entry names local days (in the clinic's zone) and parts of the day; a slot suits
it when its start, read in the slot's own zone, falls on one of those days and in
one of those parts. Reading the start in the zone (never as a UTC offset) keeps a
9:00 start a morning on the days the clocks change.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ...models import DAY_PARTS, WaitlistEntry
from ..availability.engine import Slot
from ..common.rules import BookingRules

#: An offer shorter than this is not worth sending: nobody could act on it in time.
MIN_OFFER_MINUTES = 5


def part_of_day(local: datetime) -> str:
    """"morning", "afternoon" or "evening" for a local wall-clock time."""
    minute = local.hour * 60 + local.minute
    return next(name for name, (lo, hi) in DAY_PARTS.items() if lo <= minute < hi)


def suits(entry: WaitlistEntry, slot: Slot) -> bool:
    """True when ``slot`` is on one of the entry's days, in one of its parts of the day,
    and with its therapist (when the entry names one)."""
    if entry.therapist_id is not None and slot.therapist_id != entry.therapist_id:
        return False
    local = slot.local_start()
    if not entry.first_day <= local.date() <= entry.last_day:
        return False
    return getattr(entry, part_of_day(local))


def offer_minutes(slot: Slot, *, now: datetime, rules: BookingRules) -> int:
    """How long the offer of ``slot`` is held: ``WAITLIST_OFFER_MINUTES``, shorter for a
    near slot, so the hold ends no later than the minimum notice before the visit
    (0: too near to offer)."""
    latest = slot.starts_at - rules.min_notice - now
    minutes = min(rules.waitlist_offer_minutes, int(latest / timedelta(minutes=1)))
    return minutes if minutes >= MIN_OFFER_MINUTES else 0
