"""Builders for search, profile and compare tests: techniques with aliases, conditions,
and clinics with services, therapists and hours at real ZIP codes."""

from __future__ import annotations

from datetime import time

import zipcodes
from sqlalchemy import select

from marketplace.models import (
    Condition,
    Intensity,
    Location,
    Modality,
    ModalityAlias,
    Service,
    db,
    per_60,
)
from tests.support import factories


def modality(slug: str, name: str, *aliases: str, short: str | None = None,
             intensity: Intensity = Intensity.MODERATE) -> Modality:
    """A technique (reused if it exists) with these aliases."""
    found = db.session.scalar(select(Modality).where(Modality.slug == slug))
    if found is None:
        found = Modality(slug=slug, name=name, short_name=short, intensity=intensity, summary="")
        db.session.add(found)
    have = {a.alias for a in found.aliases}
    for alias in aliases:
        if alias not in have:
            found.aliases.append(ModalityAlias(alias=alias))
    db.session.flush()
    return found


def vocabulary() -> dict[str, Modality | Condition]:
    """NMT (alias "trigger point"), myofascial release, Swedish, and sciatica -> NMT + MFR."""
    nmt = modality("neuromuscular-therapy", "Neuromuscular therapy", "trigger point",
                   "trigger point therapy", short="NMT", intensity=Intensity.DEEP)
    mfr = modality("myofascial-release", "Myofascial release", "mfr")
    swedish = modality("swedish-massage", "Swedish massage", "relaxation massage",
                       intensity=Intensity.GENTLE)
    sciatica = db.session.scalar(select(Condition).where(Condition.slug == "sciatica"))
    if sciatica is None:
        sciatica = Condition(slug="sciatica", name="Sciatica (soft-tissue / piriformis)",
                             summary="Leg pain from tight soft tissue.")
        sciatica.modalities = [nmt, mfr]
        db.session.add(sciatica)
        db.session.flush()
    return {"nmt": nmt, "mfr": mfr, "swedish": swedish, "sciatica": sciatica}


def place(zip_code: str) -> dict:
    row = zipcodes.matching(zip_code)[0]
    return {"city": row["city"].title(), "state": row["state"], "zip_code": zip_code,
            "latitude": float(row["lat"]), "longitude": float(row["long"]),
            "timezone": row["timezone"]}


def clinic(name: str, zip_code: str = "33701", *, services=(), therapist: str | None = None,
           hours: bool = True, weekdays=range(7), **overrides):
    """A published clinic at ``zip_code`` with one therapist (working 9-17 on ``weekdays``)
    who gives every service in ``services``: (modality, minutes, dollars) tuples."""
    created = factories.create_clinic(name=name, zip_code=None, **overrides)
    where = place(zip_code)
    location = Location(clinic=created, name="Main", address_line1="1 Test St", **where)
    db.session.add(location)
    db.session.flush()
    person = factories.create_therapist(created, **({"name": therapist} if therapist else {}))
    for technique, minutes, dollars in services:
        factories.create_service(created, therapists=[person], modality=technique,
                                 duration_min=minutes, price_cents=dollars * 100,
                                 name=f"{technique.name}, {minutes} min")
        if technique not in person.modalities:
            person.modalities.append(technique)
    if hours:
        factories.create_hours(person, location, weekdays=weekdays, starts=time(9),
                               ends=time(17))
    db.session.flush()
    return created


def set_price(service: Service, dollars: int, minutes: int) -> None:
    service.price_cents, service.duration_min = dollars * 100, minutes
    service.price_per_60_cents = per_60(dollars * 100, minutes)
    db.session.flush()
