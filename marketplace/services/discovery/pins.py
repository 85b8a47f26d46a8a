"""Where a page of search results is on a map: each clinic's locations as pins.

A clinic with several locations gets a pin for each; with a place searched, only
those within the radius (its nearest always, which is what put it in the results),
so a far-off branch does not stretch the map across the country."""

from __future__ import annotations

from dataclasses import dataclass

from ..common import geo
from .cards import CardLocation
from .search import Result, SearchResults


@dataclass(frozen=True)
class Pin:
    latitude: float
    longitude: float
    label: str  # the address, on one line


@dataclass(frozen=True)
class ClinicPins:
    clinic_id: int
    slug: str
    name: str
    pins: list[Pin]


def page_pins(results: SearchResults) -> list[ClinicPins]:
    """The pins of the clinics on this page of results, in the list's order."""
    return [ClinicPins(clinic_id=r.clinic.id, slug=r.clinic.slug, name=r.clinic.name,
                       pins=[_pin(loc) for loc in _shown(r, results)])
            for r in results.results]


def _shown(result: Result, results: SearchResults) -> list[CardLocation]:
    locations = sorted(result.clinic.locations, key=lambda loc: loc.id)
    place = results.place
    if place is None:
        return locations
    radius = results.query.radius_mi
    near = [loc for loc in locations if geo.distance_mi(
        place.latitude, place.longitude, loc.latitude, loc.longitude) <= radius]
    nearest = result.location
    if nearest is not None and nearest not in near:
        near.insert(0, nearest)
    return near


def _pin(location: CardLocation) -> Pin:
    return Pin(latitude=location.latitude, longitude=location.longitude,
               label=location.one_line)
