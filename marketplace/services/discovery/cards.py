"""What a result card, the map and the API show of each clinic on a page of results, read
as plain rows: five statements built once (the page's ids bound at each call), whatever
the page's length, and no ORM objects to make, track or expire.

A card is what search shows, not the clinic: its name and words, rating, first gallery
photo, locations (for the nearest one and the map's pins), amenities and the techniques
its active services offer. The profile page, which edits nothing either but shows
everything, still loads the ORM's ``Clinic``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import sqlalchemy as sa

from ...models import Clinic, ClinicAmenity, Location, Photo, Service, db
from ...models.clinic import address_line
from ...models.photo import height_at


@dataclass(frozen=True)
class CardPhoto:
    """A photo as ``photo_img`` draws it (the fields of ``Photo`` it reads)."""

    digest: str
    widths: list[int]
    width: int
    height: int
    alt_text: str

    def height_at(self, width: int) -> int:
        return height_at(self.width, self.height, width)


@dataclass(frozen=True)
class CardLocation:
    id: int
    latitude: float
    longitude: float
    city: str
    state: str
    timezone: str
    one_line: str  # the address on one line, as ``Location.one_line``


@dataclass
class Card:
    id: int
    slug: str
    name: str
    tagline: str | None
    rating_avg: float | None
    review_count: int
    photo: CardPhoto | None = None  # the first of the clinic's own gallery
    locations: list[CardLocation] = field(default_factory=list)  # by id
    amenity_codes: list[str] = field(default_factory=list)
    modality_ids: set[int] = field(default_factory=set)  # of its active services


def _ids() -> sa.BindParameter:
    return sa.bindparam("ids", expanding=True)


_C, _L, _P, _A, _S = (Clinic.__table__.c, Location.__table__.c, Photo.__table__.c,
                      ClinicAmenity.__table__.c, Service.__table__.c)
#: built once: a page binds only its ids (no statement built or keyed again per request)
_CLINICS = sa.select(_C.id, _C.slug, _C.name, _C.tagline, _C.rating_avg,
                     _C.review_count).where(_C.id.in_(_ids()))
_LOCATIONS = sa.select(
    _L.clinic_id, _L.id, _L.latitude, _L.longitude, _L.address_line1, _L.address_line2,
    _L.city, _L.state, _L.zip_code, _L.timezone,
).where(_L.clinic_id.in_(_ids())).order_by(_L.id)
_GALLERY = sa.select(
    _P.clinic_id, _P.digest, _P.widths, _P.width, _P.height, _P.alt_text,
).where(_P.clinic_id.in_(_ids()), _P.therapist_id.is_(None)).order_by(
    _P.clinic_id, _P.position, _P.id)
_AMENITIES = sa.select(_A.clinic_id, _A.code).where(_A.clinic_id.in_(_ids()))
_OFFERED = sa.select(_S.clinic_id, _S.modality_id).distinct().where(
    _S.clinic_id.in_(_ids()), _S.active.is_(True))


def cards(clinic_ids: Collection[int]) -> dict[int, Card]:
    """The cards of these clinics, by id (those that exist)."""
    ids = list(clinic_ids)
    if not ids:
        return {}
    conn = db.session.connection()
    params = {"ids": ids}
    found = {row.id: Card(row.id, row.slug, row.name, row.tagline, row.rating_avg,
                          row.review_count) for row in conn.execute(_CLINICS, params)}
    # A clinic removed between two reads (another transaction) simply has no card.
    for row in conn.execute(_LOCATIONS, params):
        if row.clinic_id not in found:
            continue
        found[row.clinic_id].locations.append(CardLocation(
            row.id, row.latitude, row.longitude, row.city, row.state, row.timezone,
            address_line(row.address_line1, row.address_line2, row.city, row.state,
                         row.zip_code)))
    for row in conn.execute(_GALLERY, params):
        card = found.get(row.clinic_id)
        if card is not None and card.photo is None:
            card.photo = CardPhoto(row.digest, row.widths, row.width, row.height,
                                   row.alt_text)
    for clinic_id, code in conn.execute(_AMENITIES, params):
        if clinic_id in found:
            found[clinic_id].amenity_codes.append(code)
    for clinic_id, modality_id in conn.execute(_OFFERED, params):
        if clinic_id in found:
            found[clinic_id].modality_ids.add(modality_id)
    return found
