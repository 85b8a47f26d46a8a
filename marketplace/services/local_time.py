"""Instants in words, in the zone they happen in: "Tue Mar 10, 9:00 AM EDT"."""

from __future__ import annotations

from datetime import datetime

from .availability import zone


def describe_time(value: datetime | None, tz: str, *, with_date: bool = True) -> str:
    """A UTC instant as the clinic's wall-clock time, always labelled with its zone."""
    if value is None:
        return ""
    local = value.astimezone(zone(tz))
    clock = f"{local:%-I:%M %p} {local.tzname()}"
    return f"{local:%a %b} {local.day}, {clock}" if with_date else clock
