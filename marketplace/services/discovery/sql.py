"""The SQL half of search: one statement that applies every filter the database can.

Published clinics only; technique and condition filters read each clinic's lowest
prices kept as data (``clinic_prices``, see ``prices.py``), by key; a price cap groups
the active services under it (index ``ix_services_modality_price``);
free text is a join on the full-text index (``search_fts``); the place reads
the locations in its bounding box through a spatial index (SQLite's R*Tree
``locations_rtree``, PostgreSQL's GiST ``ix_locations_point``), then the exact
distance; the rating floor uses ``ix_clinics_status_rating``; "open on a date" and
the soonest opening are a grouped subquery over the open time kept as rows
(``opening_runs``, see ``availability/kept.py``); a language and amenities are an
``EXISTS`` each over their association tables' keys (``features``). With neither a place nor words,
``catalogue`` shapes the same rows so that a page in the rating order is read from
``ix_clinics_status_rank`` and the work stops after it.
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

from ...models import (
    ANY_TECHNIQUE,
    Clinic,
    ClinicPrice,
    ClinicStatus,
    Location,
    OpeningRun,
    Service,
)
from ..availability import openings
from ..common import geo
from . import features
from . import index as search_index


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
    language: str | None = None
    amenities: tuple[str, ...] = ()

    def feature_conditions(self) -> list:
        """The language and amenity filters: an ``EXISTS`` each (``features``)."""
        found = features.has_amenities(self.amenities)
        if self.language is not None:
            found.append(features.speaks(self.language, self.modality_ids))
        return found

    @property
    def everywhere(self) -> bool:
        """Neither a place nor words: the matches may be the whole catalogue."""
        return self.place is None and not self.tokens


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


def _kept_technique_ids(filters: Filters) -> list[int]:
    """The kept price rows a search reads: its techniques', or the any-technique row."""
    if filters.modality_ids is None:
        return [ANY_TECHNIQUE]
    return sorted(filters.modality_ids)


def _prices(filters: Filters, nearby: sa.CTE | None) -> sa.Subquery:
    """Each clinic's cheapest matching active service: per 60 minutes and per session
    (only for clinics near the place, when there is one).

    Read from the prices kept as data (``clinic_prices``, ``prices.py``): one row per
    clinic for one technique or any, the least of a few for a condition's techniques.
    With a price cap the cheapest session is the cheapest among the services under the
    cap, which the kept rows cannot tell, so that case groups the services."""
    if filters.max_price_cents is not None:
        return _capped_prices(filters, nearby)
    kept_row = ClinicPrice
    wanted = _kept_technique_ids(filters)
    if len(wanted) == 1:  # one row per clinic: a key lookup, nothing to group
        return select(
            kept_row.clinic_id, kept_row.per_60_cents.label("per_60"),
            kept_row.price_cents.label("price"),
        ).where(kept_row.modality_id == wanted[0]).subquery("prices")
    stmt = select(
        kept_row.clinic_id, func.min(kept_row.per_60_cents).label("per_60"),
        func.min(kept_row.price_cents).label("price"),
    ).where(kept_row.modality_id.in_(wanted))
    if nearby is not None:
        stmt = stmt.where(kept_row.clinic_id.in_(select(nearby.c.clinic_id)))
    return stmt.group_by(kept_row.clinic_id).subquery("prices")


def _capped_prices(filters: Filters, nearby: sa.CTE | None) -> sa.Subquery:
    """With a price cap: group the active services under it, per clinic."""
    stmt = select(
        Service.clinic_id,
        func.min(Service.price_per_60_cents).label("per_60"),
        func.min(Service.price_cents).label("price"),
    ).where(Service.active.is_(True), Service.price_per_60_cents <= filters.max_price_cents)
    if nearby is not None:
        stmt = stmt.where(Service.clinic_id.in_(select(nearby.c.clinic_id)))
    if filters.modality_ids is not None:
        stmt = stmt.where(Service.modality_id.in_(list(filters.modality_ids)))
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


# SQLite's R*Tree over locations (migration 0003): one box per location, kept by triggers.
LOCATIONS_RTREE = sa.table("locations_rtree", sa.column("id"), sa.column("min_lat"),
                           sa.column("max_lat"), sa.column("min_lng"), sa.column("max_lng"))


def rebuild_spatial_index(conn: sa.Connection) -> int:
    """SQLite: refill ``locations_rtree`` from ``locations`` (after a bulk load that set its
    triggers aside); returns how many boxes it holds. PostgreSQL's index keeps itself."""
    if conn.dialect.name != "sqlite":
        return 0
    conn.execute(sa.text("DELETE FROM locations_rtree"))
    conn.execute(sa.text(
        "INSERT INTO locations_rtree (id, min_lat, max_lat, min_lng, max_lng) "
        "SELECT id, latitude, latitude, longitude, longitude FROM locations"))
    return conn.execute(sa.text("SELECT count(*) FROM locations_rtree")).scalar_one()


def _in_box(dialect: str, min_lat: float, max_lat: float, min_lng: float, max_lng: float):
    """Locations in the box (or within a hair of it), found through the spatial index.

    PostgreSQL: GiST on ``point(longitude, latitude)``; its ``<@`` compares with a
    tolerance of 1e-6, and asking for the box on the columns as well only makes the
    planner combine the btree with it (slower), so the exact distance that follows
    decides. SQLite: the R*Tree (32-bit floats, rounded outwards), then the exact box
    on the columns of the few rows it found."""
    if dialect == "postgresql":
        corner = func.point
        box = func.box(corner(sa.literal(min_lng, sa.Float), sa.literal(min_lat, sa.Float)),
                       corner(sa.literal(max_lng, sa.Float), sa.literal(max_lat, sa.Float)))
        return func.point(Location.longitude, Location.latitude).op("<@")(box)
    r = LOCATIONS_RTREE.c
    ids = select(r.id).where(r.max_lat >= min_lat, r.min_lat <= max_lat,
                             r.max_lng >= min_lng, r.min_lng <= max_lng)
    return sa.and_(Location.id.in_(ids), Location.latitude.between(min_lat, max_lat),
                   Location.longitude.between(min_lng, max_lng))


def locations_in_box(filters: Filters, dialect: str) -> Select:
    """How many locations lie in the place's bounding box (the spatial index alone): what
    tells a search whether its place is dense enough to be read nearest first."""
    box = geo.bounding_box(filters.place.latitude, filters.place.longitude, filters.radius_mi)
    if dialect == "postgresql":
        return select(func.count()).select_from(Location).where(_in_box(dialect, *box))
    min_lat, max_lat, min_lng, max_lng = box
    r = LOCATIONS_RTREE.c
    return select(func.count()).select_from(LOCATIONS_RTREE).where(
        r.max_lat >= min_lat, r.min_lat <= max_lat, r.max_lng >= min_lng, r.min_lng <= max_lng)


def _nearby(filters: Filters, dialect: str) -> sa.CTE:
    """Each clinic's nearest location inside the bounding box: (clinic_id, distance)."""
    place = filters.place
    box = geo.bounding_box(place.latitude, place.longitude, filters.radius_mi)
    distance = distance_mi(place, Location.latitude, Location.longitude, dialect)
    return (
        select(Location.clinic_id, func.min(distance).label("distance"))
        .where(_in_box(dialect, *box))
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
    stmt = stmt.where(*filters.feature_conditions())
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


def catalogue(filters: Filters) -> Select:
    """The same rows as ``candidates`` for a search with neither a place nor words,
    shaped so that a page costs what it shows, not what the catalogue holds: the
    technique and price filters are an ``EXISTS`` per clinic and the prices are
    correlated subqueries, so a database walking ``ix_clinics_status_rank`` in the
    rating order stops after the page (and the capped count after ``COUNT_CAP + 1``).
    No total column: the caller counts, up to the cap."""
    if filters.max_price_cents is None:  # the kept prices: a key lookup per clinic
        row = ClinicPrice
        techniques = _kept_technique_ids(filters)
        matching = [row.clinic_id == Clinic.id, row.modality_id.in_(techniques)]
        per_60_of, price_of, key = row.per_60_cents, row.price_cents, row.clinic_id
    else:
        matching = [Service.clinic_id == Clinic.id, Service.active.is_(True),
                    Service.price_per_60_cents <= filters.max_price_cents]
        if filters.modality_ids is not None:
            matching.append(Service.modality_id.in_(list(filters.modality_ids)))
        per_60_of, price_of, key = Service.price_per_60_cents, Service.price_cents, Service.id
    per_60 = select(func.min(per_60_of)).where(*matching).scalar_subquery()
    price = select(func.min(price_of)).where(*matching).scalar_subquery()
    stmt = select(
        Clinic.id, Clinic.name, Clinic.rating_avg, Clinic.review_count,
        per_60.label("per_60"), price.label("price"), sa.literal(0.0, sa.Float).label("rank"),
        sa.null().cast(sa.Float).label("distance"),
        sa.null().cast(sa.BigInteger).label("opening_s"),
    ).where(Clinic.status == ClinicStatus.PUBLISHED)
    if filters.modality_ids is not None or filters.max_price_cents is not None:
        stmt = stmt.where(select(key).where(*matching).exists())
    if filters.min_rating is not None:
        stmt = stmt.where(Clinic.rating_avg >= filters.min_rating)
    stmt = stmt.where(*filters.feature_conditions())
    wanted = filters.openings
    if wanted is not None and wanted.day is not None:  # open on that date: one probe each
        run = OpeningRun
        opened = [run.clinic_id == Clinic.id, run.day == wanted.day, run.last_s >= wanted.cutoff,
                  run.first_s < wanted.end, openings.first_from(wanted.cutoff) < wanted.end]
        if filters.modality_ids is not None:
            opened.append(run.modality_id.in_(list(filters.modality_ids)))
        stmt = stmt.where(select(run.id).where(*opened).exists())
    return stmt


def ordered(stmt: Select, sort: str, *, has_text: bool, has_place: bool) -> Select:
    """ORDER BY for every sort (the soonest opening from the kept rows' column).

    Unrated clinics come last (their ``rating_rank`` is 0); rated ones by their
    Bayesian average (``rating_rank``, computed by the database from the same
    expression as ``rating_score``), then by how many reviews; the name and id make
    every order deterministic, and ``ix_clinics_status_rank`` holds this order."""
    c = stmt.selected_columns
    rating = (Clinic.rating_rank.desc(), Clinic.review_count.desc())
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
