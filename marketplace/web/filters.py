"""Template filters and globals: money, named date and time formats, review parts, the menu.

Dates and times on pages and in e-mail use the named formats below, never a
hand-written ``strftime`` pattern, so the same thing reads the same everywhere::

    {{ booking.starts_at|day_time(booking.timezone) }}        Tue Mar 10, 9:00 AM
    {{ booking.starts_at|day_time(booking.timezone, zone=True) }}   ... 9:00 AM EDT
    {{ picker.day|day }}                                      Tuesday, March 10

Each takes a UTC instant and the zone to show it in (the clinic's), or a plain
``date`` or ``time`` that is already local (then no zone is given).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import Flask, current_app, url_for
from flask_wtf.csrf import generate_csrf

from ..models import Clinic
from ..services.common.money import format_cents, format_whole_dollars
from ..services.messages import threads
from ..services.reviews import posting as reviews


def local_time(value: datetime | None, tz: str, fmt: str = "%a %b %-d, %-I:%M %p") -> str:
    """A UTC datetime shown in ``tz`` (the clinic's zone), e.g. "Tue Mar 10, 9:00 AM".

    Pages use the named formats below (``day_time`` is this one); a pattern of
    one's own is for machine-read text only."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(tz)).strftime(fmt)


def zone_abbr(value: datetime | None, tz: str) -> str:
    """The zone's abbreviation at that instant: "EST" or "EDT", "MST" or "MDT"."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(tz)).tzname() or tz


#: The named formats: filter name, pattern, and what it looks like.
FORMATS: dict[str, tuple[str, str]] = {
    "day": ("%A, %B %-d", "Monday, December 7"),
    "short_day": ("%a %b %-d", "Mon Dec 7"),
    "full_day": ("%A %B %-d, %Y", "Monday December 7, 2026"),
    "long_date": ("%B %-d, %Y", "December 7, 2026"),
    "short_date": ("%b %-d, %Y", "Dec 7, 2026"),
    "weekday": ("%a", "Mon"),
    "month_day": ("%b %-d", "Dec 7"),
    "clock": ("%-I:%M %p", "9:00 AM"),
    "day_time": ("%a %b %-d, %-I:%M %p", "Mon Dec 7, 9:00 AM"),
    "date_time": ("%b %-d, %Y %-I:%M %p", "Dec 7, 2026 9:00 AM"),
    "full_day_time": ("%A %B %-d, %Y, %-I:%M %p", "Monday December 7, 2026, 9:00 AM"),
    "iso_date": ("%Y-%m-%d", "2026-12-07"),
    "stamp": ("%Y-%m-%d %H:%M", "2026-12-07 14:05"),
}

Moment = datetime | date | time


def _named_format(name: str) -> Callable[..., str]:
    pattern = FORMATS[name][0]

    def show(value: Moment | None, tz: str | None = None, *, zone: bool = False) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime) and tz is not None:
            value = value.astimezone(ZoneInfo(tz))
        text = value.strftime(pattern)
        if zone and isinstance(value, datetime) and value.tzinfo is not None:
            text = f"{text} {value.tzname()}"
        return text

    show.__name__ = show.__qualname__ = name
    show.__doc__ = f"{FORMATS[name][1]!r}; with ``zone=True`` its zone's abbreviation follows."
    return show


#: One filter per named format, e.g. ``day_time(instant, "America/New_York")``.
NAMED: dict[str, Callable[..., str]] = {name: _named_format(name) for name in FORMATS}


def show(name: str, value: Moment | None, tz: str | None = None, *, zone: bool = False) -> str:
    """A named format from Python code: ``show("long_date", given_at, clinic_tz)``."""
    return NAMED[name](value, tz, zone=zone)


# (endpoint, label, roles that see it); entries whose blueprint is not
# registered yet are skipped, so the menu grows with the app.
NAV = (
    ("account.bookings", "My bookings", {"client", "owner", "admin"}),
    ("account.reviews", "My reviews", {"client"}),
    ("account.gift_cards", "Gift cards", {"client"}),
    ("account.messages", "Messages", {"client", "owner"}),
    ("owner.dashboard", "My clinics", {"owner"}),
    ("admin.dashboard", "Admin", {"admin"}),
    ("account.settings", "Settings", {"client", "owner", "admin"}),
)


def clinic_timezone(clinic: Clinic) -> str:
    """The zone a clinic's dates are shown in: its first location's."""
    return clinic.locations[0].timezone if clinic.locations else "UTC"


#: Menu entries that show a count of unread things, and how to count them.
NAV_COUNTS = {"account.messages": threads.client_unread_count}


def nav_items(user) -> list[dict]:
    """The signed-in menu for ``user``'s role (with a count where one is kept)."""
    items = []
    for endpoint, label, roles in NAV:
        if user.role.value in roles and endpoint in current_app.view_functions:
            count = NAV_COUNTS[endpoint](user) if endpoint in NAV_COUNTS else 0
            items.append({"url": url_for(endpoint), "label": label, "count": count})
    return items


def register(app: Flask) -> None:
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.globals["clinic_unread"] = threads.clinic_unread_count
    app.jinja_env.globals["clinic_timezone"] = clinic_timezone
    app.jinja_env.globals["review_aspects"] = reviews.aspect_ratings
    app.jinja_env.globals["review_author"] = reviews.author_label
    app.jinja_env.filters["money"] = format_cents
    app.jinja_env.filters["money_rounded"] = format_whole_dollars
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["zone_abbr"] = zone_abbr
    app.jinja_env.filters.update(NAMED)
    app.jinja_env.globals["csrf_token"] = generate_csrf
    app.jinja_env.globals["site_name"] = app.config["SITE_NAME"]
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
