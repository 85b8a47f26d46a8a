"""The SQL half of search: one statement that applies every filter the database can.

Published clinics only; technique and condition filters and the price cap are
a grouped subquery over ``services`` (index ``ix_services_modality_price``);
free text is a join on the full-text index (``search_fts``); the place is a
bounding box on ``ix_locations_lat_lng``; the rating floor uses
``ix_clinics_status_rating``. Exact distance, open slots and the soonest
opening are worked out afterwards in Python, for these candidates only.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import Select, func, select

from ..models import Clinic, ClinicStatus, Location, Service
from . import geo, search_index


@dataclass(frozen=True)
class Filters:
    """What the database filters on; ``None`` means "no filter"."""

    tokens: tuple[str, ...] = ()
    modality_ids: Collection[int] | None = None
    max_price_cents: int | None = None
    min_rating: float | None = None
    box: tuple[float, float, float, float] | None = None  # min_lat, max_lat, min_lng, max_lng


def _prices(filters: Filters) -> sa.Subquery:
    """Each clinic's cheapest matching active service: per 60 minutes and per session."""
    stmt = select(
        Service.clinic_id,
        func.min(Service.price_per_60_cents).label("per_60"),
        func.min(Service.price_cents).label("price"),
    ).where(Service.active.is_(True))
    if filters.modality_ids is not None:
        stmt = stmt.where(Service.modality_id.in_(list(filters.modality_ids)))
    if filters.max_price_cents is not None:
        stmt = stmt.where(Service.price_per_60_cents <= filters.max_price_cents)
    return stmt.group_by(Service.clinic_id).subquery("prices")


def _text_match(tokens: tuple[str, ...], dialect: str) -> sa.Subquery:
    """Clinic ids matching every word, with a rank where lower is better."""
    expression = search_index.match_expression(list(tokens), dialect)
    if dialect == "postgresql":
        sql = (
            "SELECT clinic_id, -ts_rank(document, to_tsquery('simple', :fts)) AS rank "
            "FROM search_fts WHERE document @@ to_tsquery('simple', :fts)"
        )
    else:
        sql = (
            "SELECT rowid AS clinic_id, bm25(search_fts, 10.0, 4.0, 2.0, 1.0) AS rank "
            "FROM search_fts WHERE search_fts MATCH :fts"
        )
    text = sa.text(sql).bindparams(fts=expression)
    return text.columns(clinic_id=sa.Integer, rank=sa.Float).subquery("fts")


def candidates(filters: Filters, dialect: str) -> Select:
    """Rows of (id, name, rating_avg, review_count, per_60, price, rank[, location]).

    With a bounding box there is one row per location inside it; otherwise one
    row per clinic.
    """
    prices = _prices(filters)
    narrowed = filters.modality_ids is not None or filters.max_price_cents is not None
    columns = [
        Clinic.id, Clinic.name, Clinic.rating_avg, Clinic.review_count,
        prices.c.per_60, prices.c.price,
    ]
    stmt = select(*columns).where(Clinic.status == ClinicStatus.PUBLISHED)
    on_prices = prices.c.clinic_id == Clinic.id
    stmt = stmt.join(prices, on_prices) if narrowed else stmt.outerjoin(prices, on_prices)
    if filters.tokens:
        fts = _text_match(filters.tokens, dialect)
        stmt = stmt.join(fts, fts.c.clinic_id == Clinic.id).add_columns(fts.c.rank)
    else:
        stmt = stmt.add_columns(sa.literal(0.0).label("rank"))
    if filters.min_rating is not None:
        stmt = stmt.where(Clinic.rating_avg >= filters.min_rating)
    if filters.box is not None:
        min_lat, max_lat, min_lng, max_lng = filters.box
        stmt = stmt.join(Location, Location.clinic_id == Clinic.id).where(
            Location.latitude.between(min_lat, max_lat),
            Location.longitude.between(min_lng, max_lng),
        ).add_columns(Location.id.label("location_id"), Location.latitude, Location.longitude)
    return stmt


def box_for(place: geo.Place, radius_mi: float) -> tuple[float, float, float, float]:
    """The bounding box of a circle around ``place``."""
    return geo.bounding_box(place.latitude, place.longitude, radius_mi)


def order_in_sql(stmt: Select, sort: str, *, has_text: bool) -> Select:
    """ORDER BY for the sorts the database can do alone (no place, no opening)."""
    no_rating = Clinic.rating_avg.is_(None)
    by_rating = (no_rating, Clinic.rating_avg.desc(), Clinic.review_count.desc())
    if sort == "price":
        per_60 = stmt.selected_columns.per_60
        keys = (per_60.is_(None), per_60, *by_rating)
    elif sort == "relevance" and has_text:
        keys = (stmt.selected_columns.rank, *by_rating)
    else:
        keys = by_rating
    return stmt.order_by(*keys, Clinic.name, Clinic.id)
