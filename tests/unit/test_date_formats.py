"""The named date and time formats pages and e-mail use."""

from datetime import UTC, date, datetime, time

import pytest

from marketplace.services.common.local_time import describe_time
from marketplace.web.filters import FORMATS, NAMED, show

NEW_YORK = "America/New_York"
# Sunday Mar 8, 2026: New York springs forward at 2:00 AM (EST, UTC-5 -> EDT, UTC-4).
BEFORE_DST = datetime(2026, 3, 8, 6, 30, tzinfo=UTC)  # 1:30 AM EST
AFTER_DST = datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 3:30 AM EDT
VISIT = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)  # Monday 9:00 AM EST


@pytest.mark.parametrize("name", list(FORMATS))
def test_each_format_looks_like_its_example(name):
    """The example next to each pattern is what it gives for Monday Dec 7, 2026, 9:00 AM
    (14:05 for the 24-hour stamp)."""
    moment = datetime(2026, 12, 7, 14, 5) if name == "stamp" else datetime(2026, 12, 7, 9, 0)
    assert NAMED[name](moment) == FORMATS[name][1]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("day", "Monday, December 7"),
        ("short_day", "Mon Dec 7"),
        ("full_day", "Monday December 7, 2026"),
        ("long_date", "December 7, 2026"),
        ("short_date", "Dec 7, 2026"),
        ("weekday", "Mon"),
        ("month_day", "Dec 7"),
        ("clock", "9:00 AM"),
        ("day_time", "Mon Dec 7, 9:00 AM"),
        ("date_time", "Dec 7, 2026 9:00 AM"),
        ("full_day_time", "Monday December 7, 2026, 9:00 AM"),
        ("iso_date", "2026-12-07"),
        ("stamp", "2026-12-07 09:00"),
    ],
)
def test_a_utc_instant_is_shown_in_the_clinics_zone(name, text):
    assert NAMED[name](VISIT, NEW_YORK) == text


def test_plain_dates_and_times_need_no_zone():
    assert NAMED["day"](date(2026, 12, 7)) == "Monday, December 7"
    assert NAMED["short_date"](date(2031, 3, 3)) == "Mar 3, 2031"
    assert NAMED["clock"](time(17, 0)) == "5:00 PM"
    assert NAMED["clock"](time(0, 30)) == "12:30 AM"


def test_the_zone_abbreviation_follows_daylight_saving_time():
    day_time = NAMED["day_time"]
    assert day_time(BEFORE_DST, NEW_YORK, zone=True) == "Sun Mar 8, 1:30 AM EST"
    assert day_time(AFTER_DST, NEW_YORK, zone=True) == "Sun Mar 8, 3:30 AM EDT"
    assert NAMED["clock"](datetime(2026, 11, 1, 5, 30, tzinfo=UTC), NEW_YORK, zone=True) == (
        "1:30 AM EDT"
    )
    assert NAMED["clock"](datetime(2026, 11, 1, 6, 30, tzinfo=UTC), NEW_YORK, zone=True) == (
        "1:30 AM EST"
    )


def test_a_zone_ahead_of_utc_can_move_the_day():
    """Sydney is UTC+11 in its summer: late Sunday in UTC is Monday morning there."""
    sunday_night_utc = datetime(2026, 12, 6, 22, 0, tzinfo=UTC)
    assert NAMED["day"](sunday_night_utc, "Australia/Sydney") == "Monday, December 7"
    assert NAMED["iso_date"](sunday_night_utc, "Australia/Sydney") == "2026-12-07"
    assert NAMED["day_time"](sunday_night_utc, "Australia/Sydney", zone=True) == (
        "Mon Dec 7, 9:00 AM AEDT"
    )
    assert NAMED["iso_date"](sunday_night_utc, NEW_YORK) == "2026-12-06"


def test_a_half_hour_zone_and_a_24_hour_stamp():
    instant = datetime(2026, 6, 1, 3, 30, tzinfo=UTC)
    assert NAMED["clock"](instant, "Asia/Kolkata", zone=True) == "9:00 AM IST"
    assert NAMED["stamp"](instant, "Europe/Berlin") == "2026-06-01 05:30"
    assert NAMED["date_time"](instant, "Europe/Berlin", zone=True) == "Jun 1, 2026 5:30 AM CEST"


def test_nothing_shows_as_empty_text():
    assert all(NAMED[name](None, NEW_YORK) == "" for name in FORMATS)


@pytest.mark.parametrize("instant", [BEFORE_DST, AFTER_DST, VISIT])
def test_day_time_with_its_zone_matches_the_booking_flows_when(instant):
    assert show("day_time", instant, NEW_YORK, zone=True) == describe_time(instant, NEW_YORK)
    assert show("clock", instant, NEW_YORK, zone=True) == describe_time(
        instant, NEW_YORK, with_date=False
    )
