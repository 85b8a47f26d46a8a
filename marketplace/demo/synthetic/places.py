"""Where synthetic clinics stand: active US ZIP codes, with a quarter each near the
two demo cities so searches there find dense results."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import zipcodes

from ...services.common import geo

SYNTHETIC_RADIUS_MI = 25
DENSE_CENTRES = ("33701", "80210")  # St. Petersburg FL, Denver CO


@dataclass(frozen=True)
class Zip:
    code: str
    city: str
    state: str
    latitude: float
    longitude: float
    timezone: str


@dataclass(frozen=True)
class ZipPools:
    everywhere: tuple[Zip, ...]
    dense: tuple[tuple[Zip, ...], ...]  # ZIPs near each dense centre
    by_prefix: dict[str, tuple[Zip, ...]]


@lru_cache(maxsize=1)
def zip_pools() -> ZipPools:
    """Standard, active US ZIP codes, and those near the two demo cities."""
    rows = [
        Zip(r["zip_code"], r["city"].title(), r["state"], float(r["lat"]), float(r["long"]),
             r["timezone"])
        for r in zipcodes.list_all()
        if r["zip_code_type"] == "STANDARD" and r["active"] and r["timezone"]
    ]
    dense = []
    for centre in DENSE_CENTRES:
        place = geo.lookup_zip(centre)
        dense.append(tuple(
            z for z in rows
            if geo.distance_mi(place.latitude, place.longitude, z.latitude, z.longitude)
            <= SYNTHETIC_RADIUS_MI
        ))
    by_prefix: dict[str, list[Zip]] = {}
    for z in rows:
        by_prefix.setdefault(z.code[:3], []).append(z)
    return ZipPools(tuple(rows), tuple(dense),
                     {k: tuple(v) for k, v in by_prefix.items()})
