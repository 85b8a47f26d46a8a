"""Offline geocoding of US ZIP codes and "City, ST", and distances in miles.

Coordinates come from the ``zipcodes`` package (CC BY 4.0 data shipped in
its wheel), so no request leaves the machine.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import zipcodes

EARTH_RADIUS_MI = 3958.7613
MILES_PER_DEGREE_LAT = 69.055
_ZIP_RE = re.compile(r"^(\d{5})(?:-\d{4})?$")
_CITY_RE = re.compile(r"^(?P<city>[A-Za-z .'\-]{2,60}?)\s*,?\s+(?P<state>[A-Za-z]{2})$")


class GeocodeError(ValueError):
    """The text is not a place we can find; ``str()`` says what to try."""


@dataclass(frozen=True)
class Place:
    label: str
    latitude: float
    longitude: float
    timezone: str | None
    zip_code: str | None = None
    city: str | None = None
    state: str | None = None


def _canonical_city(city: str) -> str:
    city = re.sub(r"\s+", " ", city.strip().lower().replace(".", ""))
    city = re.sub(r"^st ", "saint ", city)
    city = re.sub(r"^ft ", "fort ", city)
    return re.sub(r"^mt ", "mount ", city)


@lru_cache(maxsize=1)
def _city_index() -> dict[tuple[str, str], list[dict]]:
    index: dict[tuple[str, str], list[dict]] = {}
    for row in zipcodes.list_all():
        if not row.get("active") or row.get("zip_code_type") == "MILITARY":
            continue
        names = {row["city"], *row.get("acceptable_cities", [])}
        for name in names:
            index.setdefault((_canonical_city(name), row["state"]), []).append(row)
    return index


@lru_cache(maxsize=4096)
def lookup_zip(zip_code: str) -> Place | None:
    """The place for a 5-digit ZIP, or None when it is unknown."""
    match = _ZIP_RE.match(zip_code.strip())
    if not match:
        return None
    rows = zipcodes.matching(match.group(1))
    if not rows:
        return None
    row = rows[0]
    return Place(
        label=f"{match.group(1)} ({row['city'].title()}, {row['state']})",
        latitude=float(row["lat"]),
        longitude=float(row["long"]),
        timezone=row.get("timezone") or None,
        zip_code=match.group(1),
        city=row["city"].title(),
        state=row["state"],
    )


def lookup_city(city: str, state: str) -> Place | None:
    """The centre of a city's own standard ZIP codes, or None when unknown.

    A ZIP code also lists the neighbouring names the post office accepts for it
    (Denver's include Aurora and Littleton): the ZIP codes whose own city is the
    one asked for come first, so "Denver, CO" is Denver, not a suburb.
    """
    wanted = _canonical_city(city)
    rows = _city_index().get((wanted, state.upper()))
    if not rows:
        return None
    own = [r for r in rows if _canonical_city(r["city"]) == wanted] or rows
    standard = [r for r in own if r.get("zip_code_type") == "STANDARD"] or own
    lat = sum(float(r["lat"]) for r in standard) / len(standard)
    lng = sum(float(r["long"]) for r in standard) / len(standard)
    name = standard[0]["city"].title()
    return Place(
        label=f"{name}, {state.upper()}",
        latitude=lat,
        longitude=lng,
        timezone=standard[0].get("timezone") or None,
        city=name,
        state=state.upper(),
    )


def geocode(text: str) -> Place:
    """A ZIP code ("33701") or "City, ST" ("Denver, CO") as a place.

    Raises GeocodeError with a message a person can act on.
    """
    text = (text or "").strip()
    if not text:
        raise GeocodeError("Enter a ZIP code or a city and state, like 33701 or Denver, CO.")
    if _ZIP_RE.match(text):
        place = lookup_zip(text)
        if place is None:
            raise GeocodeError(
                f"We do not know the ZIP code {text[:5]}. Check it, or try a city and state."
            )
        return place
    match = _CITY_RE.match(text)
    if not match:
        raise GeocodeError(
            "Enter a 5-digit ZIP code or a city and two-letter state, like Denver, CO."
        )
    place = lookup_city(match.group("city"), match.group("state"))
    if place is None:
        raise GeocodeError(
            f"We could not find {match.group('city').strip()}, {match.group('state').upper()}. "
            "Check the spelling, or try a ZIP code."
        )
    return place


def distance_mi(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in miles (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MI * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lng: float, radius_mi: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) that contains the circle; a cheap pre-filter."""
    dlat = radius_mi / MILES_PER_DEGREE_LAT
    cos_lat = max(0.01, math.cos(math.radians(lat)))
    dlng = radius_mi / (MILES_PER_DEGREE_LAT * cos_lat)
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng
