"""Up to three clinics side by side: the price per 60 minutes for one technique,
techniques, credentials, languages, amenities, deposit, cancellation window, first
open slot, rating and distance. Loaded in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...models import Clinic, ClinicStatus, Modality, Service, Therapist, db
from ..availability import openings
from ..availability.engine import Slot
from ..booking import pricing
from ..common import geo
from ..common.features import AMENITIES, LANGUAGES, Term
from ..common.money import whole_dollars
from ..common.rules import BookingRules
from ..common.slugs import is_slug
from . import features
from . import tray as compare_tray
from .search import SearchError
from .terms import Vocabulary


@dataclass
class Column:
    clinic: Clinic
    service: Service | None  # the lowest price per 60 minutes for the technique
    deposit_cents: int | None  # on that service
    techniques: list[Modality]
    therapists: list[Therapist]
    credentials: list[str]
    years: tuple[int, int] | None  # fewest and most years of practice
    licensed: int  # therapists with a licence number on file
    first_opening: Slot | None
    distance_mi: float | None = None
    languages: list[Term] = field(default_factory=list)  # spoken by its bookable team
    amenities: list[Term] = field(default_factory=list)
    best: set[str] = field(default_factory=set)  # "price", "opening", "rating", "distance"

    @property
    def price_per_60_cents(self) -> int | None:
        return self.service.price_per_60_cents if self.service else None


@dataclass
class Comparison:
    columns: list[Column]
    technique: Modality | None = None
    place: geo.Place | None = None
    missing: int = 0  # clinics asked for that are not (or no longer) listed
    dropped: int = 0  # slugs beyond the three we compare


def _clinics(slugs: list[str]) -> list[Clinic]:
    rows = db.session.scalars(
        select(Clinic)
        .where(Clinic.slug.in_(slugs), Clinic.status == ClinicStatus.PUBLISHED)
        .options(
            selectinload(Clinic.locations),
            selectinload(Clinic.therapists),
            selectinload(Clinic.services).selectinload(Service.modality),
            selectinload(Clinic.amenities),
            selectinload(Clinic.photos),
        )
    )
    by_slug = {c.slug: c for c in rows}
    return [by_slug[s] for s in slugs if s in by_slug]


def _column(clinic: Clinic, technique: Modality | None, today_year: int,
            first: dict[int, Slot], place: geo.Place | None) -> Column:
    services = [s for s in clinic.services if s.active]
    priced = [s for s in services if technique is None or s.modality_id == technique.id]
    service = min(priced, key=lambda s: (s.price_per_60_cents, s.price_cents), default=None)
    therapists = [t for t in clinic.therapists if t.active]
    years = [y for t in therapists if (y := t.years_of_practice(today_year)) is not None]
    credentials = sorted({c.strip() for t in therapists for c in t.credentials.split(",")
                          if c.strip()})
    distance = None
    if place is not None and clinic.locations:
        distance = min(geo.distance_mi(place.latitude, place.longitude, loc.latitude,
                                       loc.longitude) for loc in clinic.locations)
    return Column(
        clinic=clinic, service=service,
        deposit_cents=pricing.deposit_for(clinic, service.price_cents) if service else None,
        techniques=sorted({s.modality for s in services}, key=lambda m: m.name),
        therapists=therapists, credentials=credentials,
        years=(min(years), max(years)) if years else None,
        licensed=sum(1 for t in therapists if t.licence_number),
        first_opening=first.get(clinic.id), distance_mi=distance,
        amenities=AMENITIES.terms_for(clinic.amenity_codes),
    )


def _mark_best(columns: list[Column]) -> None:
    """Flag the lowest price, soonest opening, best rating and nearest (when several)."""
    if len(columns) < 2:
        return
    picks = {
        # as shown: two prices that both read "$103" are both the lowest
        "price": lambda c: (None if c.price_per_60_cents is None
                            else whole_dollars(c.price_per_60_cents)),
        "opening": lambda c: c.first_opening.starts_at if c.first_opening else None,
        "rating": lambda c: -c.clinic.rating_avg if c.clinic.rating_avg else None,
        "distance": lambda c: c.distance_mi,
    }
    for name, key in picks.items():
        values = [(key(c), c) for c in columns if key(c) is not None]
        if len(values) >= 2:
            best = min(v for v, _ in values)
            for value, column in values:
                if value == best:
                    column.best.add(name)


def compare(slugs: list[str], *, vocabulary: Vocabulary, technique: str | None = None,
            near: str = "", now: datetime, rules: BookingRules) -> Comparison:
    """The comparison of the published clinics among ``slugs`` (the first three)."""
    distinct = list(dict.fromkeys(slugs))
    valid = [s for s in distinct if is_slug(s)]
    wanted = valid[: compare_tray.MAX_CLINICS]
    result = Comparison(columns=[], dropped=len(valid) - len(wanted))
    if technique:
        result.technique = vocabulary.technique(technique)
        if result.technique is None:
            raise SearchError("technique", "We do not know that technique. Choose one from "
                              "the list.")
    if near:
        try:
            result.place = geo.geocode(near)
        except geo.GeocodeError as exc:
            raise SearchError("near", str(exc)) from exc
    clinics = _clinics(wanted)
    result.missing = len(distinct) - len(valid) + len(wanted) - len(clinics)
    modality_ids = {result.technique.id} if result.technique else None
    first = openings.first_by_clinic([c.id for c in clinics], now=now, rules=rules,
                                     modality_ids=modality_ids)
    result.columns = [_column(c, result.technique, now.year, first, result.place)
                      for c in clinics]
    spoken = features.team_languages([c.id for c in clinics])
    for column in result.columns:
        column.languages = LANGUAGES.terms_for(spoken[column.clinic.id])
    _mark_best(result.columns)
    return result
