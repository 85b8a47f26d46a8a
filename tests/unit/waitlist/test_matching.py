"""Whether a slot suits a waiting client: days and parts of the day read in the clinic's
zone (a change day included), and how long an offer is held."""

from datetime import UTC, date, datetime, timedelta

import pytest

from marketplace.models import WaitlistEntry
from marketplace.services.availability.engine import Slot
from marketplace.services.common.rules import BookingRules
from marketplace.services.waitlist import matching

DENVER = "America/Denver"
SPRING = date(2027, 3, 14)  # clocks jump from 2:00 to 3:00 MST -> MDT


def slot(utc: datetime, tz: str = DENVER, therapist_id: int = 1) -> Slot:
    return Slot(starts_at=utc, therapist_id=therapist_id, ends_at=utc + timedelta(hours=1),
                location_id=1, timezone=tz)


def entry(first=SPRING, last=SPRING, therapist_id=None, **parts) -> WaitlistEntry:
    return WaitlistEntry(first_day=first, last_day=last, therapist_id=therapist_id,
                         **{p: parts.get(p, False) for p in ("morning", "afternoon", "evening")})


@pytest.mark.parametrize(("utc_hour", "minute", "part"), [
    (17, 45, "morning"),  # 11:45 MDT on the change day (it would be 10:45 in MST)
    (18, 0, "afternoon"),  # 12:00 MDT (11:00 if the offset of the day before were used)
    (22, 59, "afternoon"),  # 16:59 MDT
    (23, 0, "evening"),  # 17:00 MDT
])
def test_parts_of_the_day_follow_the_local_clock_on_a_spring_change_day(utc_hour, minute,
                                                                           part):
    s = slot(datetime(2027, 3, 14, utc_hour, minute, tzinfo=UTC))
    assert matching.part_of_day(s.local_start()) == part
    assert matching.suits(entry(**{part: True}), s)
    others = {"morning", "afternoon", "evening"} - {part}
    assert not matching.suits(entry(**dict.fromkeys(others, True)), s)


def test_days_are_local_days():
    # 20:30 MST on the 13th is 03:30 UTC on the 14th: it belongs to the 13th in Denver.
    late = slot(datetime(2027, 3, 14, 3, 30, tzinfo=UTC))
    assert not matching.suits(entry(evening=True), late)
    assert matching.suits(entry(first=SPRING - timedelta(days=1), last=SPRING - timedelta(
        days=1), evening=True), late)


def test_a_named_therapist_only():
    s = slot(datetime(2027, 3, 14, 16, tzinfo=UTC), therapist_id=2)
    assert matching.suits(entry(morning=True, therapist_id=2), s)
    assert not matching.suits(entry(morning=True, therapist_id=3), s)
    assert matching.suits(entry(morning=True), s)


def test_an_offer_is_held_at_most_the_setting_and_never_past_the_minimum_notice():
    rules = BookingRules(min_notice_minutes=120, waitlist_offer_minutes=30)
    now = datetime(2027, 3, 10, 12, tzinfo=UTC)
    far = slot(now + timedelta(days=2))
    assert matching.offer_minutes(far, now=now, rules=rules) == 30
    near = slot(now + timedelta(minutes=120 + 12))
    assert matching.offer_minutes(near, now=now, rules=rules) == 12
    too_near = slot(now + timedelta(minutes=120 + 4))
    assert matching.offer_minutes(too_near, now=now, rules=rules) == 0
