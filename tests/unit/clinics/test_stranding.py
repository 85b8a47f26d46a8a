"""The pure half of the stranding rules: is a booked visit inside weekly hours,
in the location's local time, on both sides of a daylight-saving change?"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from marketplace.models import Booking
from marketplace.services.availability.engine import WeeklySpan
from marketplace.services.clinics.stranding import covered, uncovered

DENVER = "America/Denver"


def visit(local_start: datetime, minutes: int = 60, location_id: int = 1) -> Booking:
    starts = local_start.astimezone(UTC)
    return Booking(starts_at=starts, ends_at=starts + timedelta(minutes=minutes),
                   location_id=location_id)


def span(weekday: int, starts: str, ends: str, location_id: int = 1) -> WeeklySpan:
    return WeeklySpan(weekday, time.fromisoformat(starts), time.fromisoformat(ends),
                      location_id, DENVER)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(DENVER))


@pytest.mark.parametrize(
    "start",
    [
        local(2026, 3, 6, 9),  # Friday before spring-forward (MST)
        local(2026, 3, 9, 9),  # Monday after it (MDT)
        local(2026, 10, 30, 9),  # Friday before fall-back (MDT)
        local(2026, 11, 2, 9),  # Monday after it (MST)
    ],
)
def test_nine_oclock_is_inside_nine_to_five_whatever_the_offset(start):
    weekdays = [span(d, "09:00", "17:00") for d in range(5)]
    assert covered(visit(start), weekdays)


def test_a_visit_must_lie_wholly_inside_one_span_on_its_weekday_and_location():
    friday_morning = [span(4, "09:00", "12:00")]
    assert covered(visit(local(2026, 3, 6, 11)), friday_morning)
    assert not covered(visit(local(2026, 3, 6, 11, 30)), friday_morning)  # runs past noon
    assert not covered(visit(local(2026, 3, 5, 10)), friday_morning)  # a Thursday
    assert not covered(visit(local(2026, 3, 6, 10), location_id=2), friday_morning)


def test_uncovered_lists_only_bookings_the_change_moves_out_of_hours():
    inside = visit(local(2026, 3, 9, 10))
    late = visit(local(2026, 3, 9, 15))
    by_hand = visit(local(2026, 3, 9, 20))  # never inside the hours
    before = [span(0, "09:00", "17:00")]
    after = [span(0, "09:00", "13:00")]
    assert uncovered([inside, late, by_hand], before=before, after=after) == [late]
    assert uncovered([inside, late, by_hand], before=before, after=before) == []
