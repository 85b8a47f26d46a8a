"""The SQL half of search: one statement that applies every filter the database can.

Published clinics only; technique and condition filters and the price cap are
a grouped subquery over ``services`` (index ``ix_services_modality_price``);
free text is a join on the full-text index (``search_fts``); the place is a
bounding box on ``ix_locations_lat_lng`` and the exact distance; the rating floor uses
``ix_clinics_status_rating``; "open on a date" and the soonest opening are a grouped
subquery over the open time kept as rows (``opening_runs``, see
``availability/kept.py``).
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy import Select, event, func, select
from sqlalchemy.engine import Engine

from ...models import Clinic, ClinicStatus, Location, OpeningRun, Service
from ..availability import openings
from ..common import geo
from . import index as search_index
from .plan import RATING_PRIOR_MEAN, RATING_PRIOR_WEIGHT


@dataclass(frozen=True)
class Filters:
    """What the database filters on; ``None`` means "no filter"."""

    tokens: tuple[str, ...] = ()
    modality_ids: Collection[int] | None = None
    max_price_cents: int | None = None
    min_rating: float | None = None
    place: geo.Place | None = None
    radius_mi: float = 25
    openings: OpeningFilter | None = None


@dataclass(frozen=True)
class OpeningFilter:
    """Open time from the kept rows: on one local date (only clinics open then), or each
    clinic's soonest start (a column to sort on; clinics with none come last). Starts in
    [cutoff, end), epoch seconds: the caller's minimum notice and horizon or look-ahead."""

    cutoff: int
    end: int
    day: date | None = None


def _openings(filters: Filters, nearby: sa.CTE | None) -> sa.Subquery:
    """Each clinic's first bookable start (epoch seconds) from the kept rows."""
    wanted = filters.openings
    run = OpeningRun
    first = openings.first_from(wanted.cutoff)
    stmt = select(run.clinic_id, func.min(first).label("opening_s")).where(
        run.last_s >= wanted.cutoff, run.first_s < wanted.end)
    if wanted.day is not None:
        stmt = stmt.where(run.day == wanted.day)
    if filters.modality_ids is not None:
        stmt = stmt.where(run.modality_id.in_(list(filters.modality_ids)))
    if nearby is not None:
        stmt = stmt.where(run.clinic_id.in_(select(nearby.c.clinic_id)))
    return stmt.group_by(run.clinic_id).having(func.min(first) < wanted.end).subquery("open")


def _prices(filters: Filters, nearby: sa.CTE | None) -> sa.Subquery:
    """Each clinic's cheapest matching active service: per 60 minutes and per session
    (only for clinics near the place, when there is one)."""
    stmt = select(
        Service.clinic_id,
        func.min(Service.price_per_60_cents).label("per_60"),
        func.min(Service.price_cents).label("price"),
    ).where(Service.active.is_(True))
    if nearby is not None:
        stmt = stmt.where(Service.clinic_id.in_(select(nearby.c.clinic_id)))
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


def distance_mi(place: geo.Place, latitude, longitude, dialect: str):
    """SQL for the great-circle distance in miles from ``place`` (haversine, as geo does)."""
    least = func.least if dialect == "postgresql" else func.min  # SQLite's two-argument min
    half_dlat = func.radians(latitude - place.latitude) / 2
    half_dlng = func.radians(longitude - place.longitude) / 2
    a = func.power(func.sin(half_dlat), 2) + func.cos(func.radians(place.latitude)) * func.cos(
        func.radians(latitude)) * func.power(func.sin(half_dlng), 2)
    return 2 * geo.EARTH_RADIUS_MI * func.asin(least(1.0, func.sqrt(a)))


def _nearby(filters: Filters, dialect: str) -> sa.CTE:
    """Each clinic's nearest location inside the bounding box: (clinic_id, distance)."""
    place = filters.place
    min_lat, max_lat, min_lng, max_lng = geo.bounding_box(
        place.latitude, place.longitude, filters.radius_mi)
    distance = distance_mi(place, Location.latitude, Location.longitude, dialect)
    return (
        select(Location.clinic_id, func.min(distance).label("distance"))
        .where(Location.latitude.between(min_lat, max_lat),
               Location.longitude.between(min_lng, max_lng))
        .group_by(Location.clinic_id)
        .cte("nearby")
    )


def candidates(filters: Filters, dialect: str) -> Select:
    """Rows of (id, name, rating_avg, review_count, per_60, price, rank, distance, total)."""
    nearby = _nearby(filters, dialect) if filters.place is not None else None
    prices = _prices(filters, nearby)
    narrowed = filters.modality_ids is not None or filters.max_price_cents is not None
    stmt = select(
        Clinic.id, Clinic.name, Clinic.rating_avg, Clinic.review_count,
        prices.c.per_60, prices.c.price,
    ).where(Clinic.status == ClinicStatus.PUBLISHED)
    on_prices = prices.c.clinic_id == Clinic.id
    stmt = stmt.join(prices, on_prices) if narrowed else stmt.outerjoin(prices, on_prices)
    if filters.tokens:
        fts = _text_match(filters.tokens, dialect)
        stmt = stmt.join(fts, fts.c.clinic_id == Clinic.id).add_columns(fts.c.rank)
    else:
        stmt = stmt.add_columns(sa.literal(0.0, sa.Float).label("rank"))
    if filters.min_rating is not None:
        stmt = stmt.where(Clinic.rating_avg >= filters.min_rating)
    if nearby is not None:
        stmt = stmt.join(nearby, nearby.c.clinic_id == Clinic.id).where(
            nearby.c.distance <= filters.radius_mi).add_columns(nearby.c.distance)
    else:
        stmt = stmt.add_columns(sa.null().cast(sa.Float).label("distance"))
    if filters.openings is not None:
        opened = _openings(filters, nearby)
        on_open = opened.c.clinic_id == Clinic.id
        stmt = (stmt.join(opened, on_open) if filters.openings.day is not None
                else stmt.outerjoin(opened, on_open)).add_columns(opened.c.opening_s)
    else:
        stmt = stmt.add_columns(sa.null().cast(sa.BigInteger).label("opening_s"))
    return stmt.add_columns(func.count().over().label("total"))


def rating_score():
    """SQL for ``search_plan.rating_score``: the Bayesian average, the same on both databases."""
    prior = sa.literal(RATING_PRIOR_MEAN * RATING_PRIOR_WEIGHT, sa.Float)
    weighted = prior + Clinic.rating_avg * Clinic.review_count
    return weighted / (sa.literal(float(RATING_PRIOR_WEIGHT), sa.Float) + Clinic.review_count)


def ordered(stmt: Select, sort: str, *, has_text: bool, has_place: bool) -> Select:
    """ORDER BY for every sort (the soonest opening from the kept rows' column).

    Unrated clinics come last; rated ones by their Bayesian average, then by
    how many reviews; the name and id make every order deterministic."""
    c = stmt.selected_columns
    rating = (Clinic.rating_avg.is_(None), rating_score().desc(), Clinic.review_count.desc())
    distance = (c.distance,) if has_place else ()
    if sort == "soonest":
        keys = (c.opening_s.is_(None), c.opening_s, *distance)
    elif sort == "price":
        keys = (c.per_60.is_(None), c.per_60, *distance, *rating)
    elif sort == "rating":
        keys = (*rating, *distance)
    elif sort == "distance" and has_place:
        keys = (*distance, *rating)
    elif has_text:
        keys = (c.rank, *distance, *rating)
    else:
        keys = (*distance, *rating)
    return stmt.order_by(*keys, Clinic.name, Clinic.id)


_MATH = {"sin": (1, math.sin), "cos": (1, math.cos), "asin": (1, math.asin),
         "sqrt": (1, math.sqrt), "radians": (1, math.radians), "power": (2, math.pow)}


def _register_sqlite_functions(dbapi_connection, _record) -> None:
    """SQLite builds without its math functions get them from Python (slower, same answers)."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    try:
        dbapi_connection.execute("SELECT asin(0.5), radians(1.0), power(2.0, 2.0)").fetchall()
    except sqlite3.OperationalError:
        for name, (arity, function) in _MATH.items():
            dbapi_connection.create_function(name, arity, function, deterministic=True)


def install() -> None:
    """Make sure every SQLite connection has the math distance needs (PostgreSQL has it)."""
    if not event.contains(Engine, "connect", _register_sqlite_functions):
        event.listen(Engine, "connect", _register_sqlite_functions)
