"""Clinic search: text, technique and location.

The first cut: a bounding-box pre-filter on location, exact distance in
Python, technique through the indexed link tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from ..models import Clinic, ClinicStatus, Location, Modality, ModalityAlias, Service, db
from . import geo

MAX_RADIUS_MI = 100


@dataclass
class SearchQuery:
    q: str = ""
    near: str = ""
    radius_mi: int = 25


@dataclass
class Result:
    clinic: Clinic
    distance_mi: float | None
    price_from_cents: int | None


@dataclass
class SearchResults:
    results: list[Result] = field(default_factory=list)
    place: geo.Place | None = None
    total: int = 0


def _text_filter(stmt: Select, q: str) -> Select:
    like = f"%{q.lower()}%"
    modality_ids = (
        select(Modality.id)
        .outerjoin(ModalityAlias)
        .where(
            or_(
                func.lower(Modality.name).like(like),
                func.lower(Modality.short_name).like(like),
                ModalityAlias.alias.like(like),
            )
        )
    )
    offers = select(Service.clinic_id).where(
        Service.active.is_(True), Service.modality_id.in_(modality_ids)
    )
    return stmt.where(or_(func.lower(Clinic.name).like(like), Clinic.id.in_(offers)))


def search(query: SearchQuery) -> SearchResults:
    """Published clinics matching ``query``, nearest first when a place is given.

    Raises geo.GeocodeError for a place we cannot find.
    """
    place = geo.geocode(query.near) if query.near else None
    stmt = select(Clinic).where(Clinic.status == ClinicStatus.PUBLISHED)
    if query.q:
        stmt = _text_filter(stmt, query.q)
    if place:
        min_lat, max_lat, min_lng, max_lng = geo.bounding_box(
            place.latitude, place.longitude, query.radius_mi
        )
        near_ids = select(Location.clinic_id).where(
            Location.latitude.between(min_lat, max_lat),
            Location.longitude.between(min_lng, max_lng),
        )
        stmt = stmt.where(Clinic.id.in_(near_ids))
    clinics = db.session.scalars(
        stmt.options(selectinload(Clinic.locations), selectinload(Clinic.services))
    ).all()
    results = []
    for clinic in clinics:
        distance = None
        if place:
            distance = min(
                geo.distance_mi(place.latitude, place.longitude, loc.latitude, loc.longitude)
                for loc in clinic.locations
            )
            if distance > query.radius_mi:
                continue
        prices = [s.price_cents for s in clinic.services if s.active]
        results.append(Result(clinic, distance, min(prices) if prices else None))
    results.sort(key=lambda r: (r.distance_mi if r.distance_mi is not None else 0, r.clinic.name))
    return SearchResults(results=results, place=place, total=len(results))
