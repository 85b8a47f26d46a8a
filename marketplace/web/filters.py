"""Template filters and globals: money, local times, review parts, and the menu."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, url_for
from flask_wtf.csrf import generate_csrf

from ..models import Clinic
from ..services.common.money import format_cents, format_whole_dollars
from ..services.reviews import posting as reviews


def local_time(value: datetime | None, tz: str, fmt: str = "%a %b %-d, %-I:%M %p") -> str:
    """A UTC datetime shown in ``tz`` (the clinic's zone), e.g. "Tue Mar 10, 9:00 AM"."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(tz)).strftime(fmt)


def zone_abbr(value: datetime | None, tz: str) -> str:
    """The zone's abbreviation at that instant: "EST" or "EDT", "MST" or "MDT"."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(tz)).tzname() or tz


# (endpoint, label, roles that see it); entries whose blueprint is not
# registered yet are skipped, so the menu grows with the app.
NAV = (
    ("account.bookings", "My bookings", {"client", "owner", "admin"}),
    ("account.reviews", "My reviews", {"client"}),
    ("owner.dashboard", "My clinics", {"owner"}),
    ("admin.dashboard", "Admin", {"admin"}),
    ("account.settings", "Settings", {"client", "owner", "admin"}),
)


def clinic_timezone(clinic: Clinic) -> str:
    """The zone a clinic's dates are shown in: its first location's."""
    return clinic.locations[0].timezone if clinic.locations else "UTC"


def nav_items(user) -> list[dict]:
    """The signed-in menu for ``user``'s role."""
    items = []
    for endpoint, label, roles in NAV:
        if user.role.value in roles and endpoint in current_app.view_functions:
            items.append({"url": url_for(endpoint), "label": label})
    return items


def register(app: Flask) -> None:
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.globals["clinic_timezone"] = clinic_timezone
    app.jinja_env.globals["review_aspects"] = reviews.aspect_ratings
    app.jinja_env.globals["review_author"] = reviews.author_label
    app.jinja_env.filters["money"] = format_cents
    app.jinja_env.filters["money_rounded"] = format_whole_dollars
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["zone_abbr"] = zone_abbr
    app.jinja_env.globals["csrf_token"] = generate_csrf
    app.jinja_env.globals["site_name"] = app.config["SITE_NAME"]
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
