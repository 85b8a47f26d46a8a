"""The slot grid's fast path (spans without an offset change) gives exactly the starts
that walking the grid in wall-clock time gives, on any day, in any zone."""

from datetime import date, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from marketplace.services.availability.engine import (
    SlotRules,
    WeeklySpan,
    _span_candidates,
    _walk_candidates,
)

ZONES = ["America/Denver", "America/New_York", "Europe/London", "Australia/Lord_Howe"]


@settings(max_examples=300, deadline=None)
@given(
    tz=st.sampled_from(ZONES),
    day=st.one_of(st.dates(date(2026, 1, 1), date(2032, 12, 31)),
                  st.sampled_from([date(2027, 3, 14), date(2027, 11, 7), date(2027, 3, 28),
                                   date(2027, 10, 31), date(2027, 4, 4), date(2027, 10, 3)])),
    start_minute=st.integers(0, 22 * 60).map(lambda m: m - m % 15),
    length=st.integers(30, 14 * 60),
    step=st.sampled_from([5, 10, 15, 30, 60]),
    duration=st.sampled_from([30, 45, 60, 90, 120]),
)
def test_the_fast_grid_matches_the_wall_clock_walk(tz, day, start_minute, length, step, duration):
    starts = time(start_minute // 60, start_minute % 60)
    end_minute = min(start_minute + length, 24 * 60 - 1)
    ends = time(end_minute // 60, end_minute % 60)
    if ends <= starts:
        return
    span = WeeklySpan(day.weekday(), starts, ends, 1, tz)
    rules = SlotRules(duration=timedelta(minutes=duration), step=timedelta(minutes=step))
    assert list(_span_candidates(span, day, rules)) == list(_walk_candidates(span, day, rules))
