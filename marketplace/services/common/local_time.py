"""Local time: zones, local calendar days, and instants in words.

Every conversion between a UTC instant and a clinic's wall clock goes through
here. A local day runs from local midnight to the next local midnight, so a
spring-forward Sunday is 23 hours long and a fall-back Sunday 25.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``, looked up once per process."""
    return ZoneInfo(name)


def local_today(tz: str, now: datetime) -> date:
    """Today's date in ``tz``."""
    return now.astimezone(zone(tz)).date()


def local_instant(day: date, wall: time, tz: str) -> datetime:
    """The wall-clock time ``wall`` on ``day`` in ``tz``, as UTC."""
    return datetime.combine(day, wall, tzinfo=zone(tz)).astimezone(UTC)


def local_midnight(day: date, tz: str) -> datetime:
    """Local midnight of ``day`` in ``tz``, as UTC."""
    return local_instant(day, time(0), tz)


def local_day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """The UTC instants a local calendar day starts and ends (23, 24 or 25 hours)."""
    return local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)


def describe_time(value: datetime | None, tz: str, *, with_date: bool = True) -> str:
    """A UTC instant as the clinic's wall-clock time, always labelled with its zone."""
    if value is None:
        return ""
    local = value.astimezone(zone(tz))
    clock = f"{local:%-I:%M %p} {local.tzname()}"
    return f"{local:%a %b} {local.day}, {clock}" if with_date else clock
