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

Each statement is built once per shape (which filters a search has, its sort, the
database) and kept (``functools.lru_cache``); a search only binds its values
(``Filters.params``). Building a statement this size and computing its cache key cost
more CPU than SQLite's execution of it did.
"""

from __future__ import annotations

import functools
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
    db,
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

    @property
    def everywhere(self) -> bool:
        """Neither a place nor words: the matches may be the whole catalogue."""
        return self.place is None and not self.tokens

    def shape(self, dialect: str) -> Shape:
        techniques = 0 if self.modality_ids is None else min(2, len(self.modality_ids))
        opened = None
        if self.openings is not None:
            opened = "day" if self.openings.day is not None else (
                "within" if self.openings.within else "soonest")
        return Shape(dialect=dialect, text=bool(self.tokens), techniques=techniques,
                     capped=self.max_price_cents is not None,
                     rating=self.min_rating is not None, place=self.place is not None,
                     openings=opened, language=self.language is not None,
                     amenities=len(self.amenities))

    def params(self, dialect: str) -> dict:
        """The values a statement of this shape binds."""
        found: dict = {"technique": ANY_TECHNIQUE, "techniques": [ANY_TECHNIQUE]}
        if self.modality_ids is not None:
            found["techniques"] = sorted(self.modality_ids)
            found["technique"] = found["techniques"][0] if self.modality_ids else 0
            for i, technique in enumerate(found["techniques"]):  # one price walk each
                found[f"technique_{i}"] = technique
        if self.tokens:
            found["fts"] = search_index.match_expression(list(self.tokens), dialect)
        if self.max_price_cents is not None:
            found["max_price"] = self.max_price_cents
        if self.min_rating is not None:
            found["min_rating"] = self.min_rating
        if self.place is not None:
            min_lat, max_lat, min_lng, max_lng = geo.bounding_box(
                self.place.latitude, self.place.longitude, self.radius_mi)
            found.update(lat=self.place.latitude, lng=self.place.longitude,
                         radius=self.radius_mi, min_lat=min_lat, max_lat=max_lat,
                         min_lng=min_lng, max_lng=max_lng)
        if self.openings is not None:
            found.update(cutoff=self.openings.cutoff, end=self.openings.end)
            if self.openings.day is not None:
                found["day"] = self.openings.day
        if self.language is not None:
            found["language"] = self.language
        for i, code in enumerate(self.amenities):
            found[f"amenity_{i}"] = code
        return found


@dataclass(frozen=True)
class Shape:
    """What a statement's SQL depends on (its values are bound): the filters a search
    has, and the database."""

    dialect: str
    text: bool = False
    techniques: int = 0  # 0: any technique; 1: one; 2: several
    capped: bool = False  # a price cap
    rating: bool = False
    place: bool = False
    openings: str | None = None  # "day", "within" (both only the open), "soonest" or None
    language: bool = False
    amenities: int = 0

    def feature_conditions(self) -> list:
        """The language and amenity filters: an ``EXISTS`` each (``features``)."""
        found = features.has_amenities(
            [_bound(f"amenity_{i}", sa.String) for i in range(self.amenities)])
        if self.language:
            found.append(features.speaks(_bound("language", sa.String),
                                         _techniques() if self.techniques else None))
        return found


def _bound(name: str, type_=sa.Integer) -> sa.BindParameter:
    return sa.bindparam(name, type_=type_)


def _techniques() -> sa.BindParameter:
    """The techniques asked for (or the any-technique row's key), one parameter."""
    return sa.bindparam("techniques", expanding=True, type_=sa.Integer)


def _cutoff():
    return _bound("cutoff", sa.BigInteger)


def _end():
    return _bound("end", sa.BigInteger)


@dataclass(frozen=True)
class OpeningFilter:
    """Open time from the kept rows: on one local date (only clinics open then), or each
    clinic's soonest start (a column to sort on; clinics with none come last). Starts in
    [cutoff, end), epoch seconds: the caller's minimum notice and horizon or look-ahead."""

    cutoff: int
    end: int
    day: date | None = None
    # Only clinics open in the window (an inner join, as for a date): what a soonest-first
    # read of a dense place asks of a narrower window (``search._page_soonest_first``).
    within: bool = False


def _openings(shape: Shape, nearby: sa.CTE | None) -> sa.Subquery:
    """Each clinic's first bookable start (epoch seconds) from the kept rows."""
    run = OpeningRun
    first = openings.first_from(_cutoff())
    stmt = select(run.clinic_id, func.min(first).label("opening_s")).where(
        *openings.reaching(_cutoff(), _end()))
    if shape.openings == "day":
        stmt = stmt.where(run.day == _bound("day", sa.Date))
    if shape.techniques:
        stmt = stmt.where(run.modality_id.in_(_techniques()))
    if nearby is not None:
        stmt = stmt.where(run.clinic_id.in_(select(nearby.c.clinic_id)))
    return stmt.group_by(run.clinic_id).having(func.min(first) < _end()).subquery("open")


def _prices(shape: Shape, nearby: sa.CTE | None) -> sa.Subquery:
    """Each clinic's cheapest matching active service: per 60 minutes and per session
    (only for clinics near the place, when there is one).

    Read from the prices kept as data (``clinic_prices``, ``prices.py``): one row per
    clinic for one technique or any, the least of a few for a condition's techniques.
    With a price cap the cheapest session is the cheapest among the services under the
    cap, which the kept rows cannot tell, so that case groups the services."""
    if shape.capped:
        return _capped_prices(shape, nearby)
    kept_row = ClinicPrice
    if shape.techniques < 2:  # one row per clinic: a key lookup, nothing to group
        return select(
            kept_row.clinic_id, kept_row.per_60_cents.label("per_60"),
            kept_row.price_cents.label("price"),
        ).where(kept_row.modality_id == _bound("technique")).subquery("prices")
    stmt = select(
        kept_row.clinic_id, func.min(kept_row.per_60_cents).label("per_60"),
        func.min(kept_row.price_cents).label("price"),
    ).where(kept_row.modality_id.in_(_techniques()))
    if nearby is not None:
        stmt = stmt.where(kept_row.clinic_id.in_(select(nearby.c.clinic_id)))
    return stmt.group_by(kept_row.clinic_id).subquery("prices")


def _capped_prices(shape: Shape, nearby: sa.CTE | None) -> sa.Subquery:
    """With a price cap: group the active services under it, per clinic."""
    stmt = select(
        Service.clinic_id,
        func.min(Service.price_per_60_cents).label("per_60"),
        func.min(Service.price_cents).label("price"),
    ).where(Service.active.is_(True), Service.price_per_60_cents <= _bound("max_price"))
    if nearby is not None:
        stmt = stmt.where(Service.clinic_id.in_(select(nearby.c.clinic_id)))
    if shape.techniques:
        stmt = stmt.where(Service.modality_id.in_(_techniques()))
    return stmt.group_by(Service.clinic_id).subquery("prices")


def _text_match(dialect: str):
    """Clinic ids matching every word (``:fts``), with a rank where lower is better.

    On SQLite the matches are read once, as a materialised common table expression:
    as a subquery, joined after a place's clinics, SQLite ran the whole match once per
    clinic in the radius (4.3 s for "massage" near the densest ZIP code of 10,000
    clinics), and probing the index per clinic is no better for a prefix query (each
    probe merges the doclists of every word with that prefix)."""
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
    text = sa.text(sql).bindparams(_bound("fts", sa.String))
    matches = text.columns(clinic_id=sa.Integer, rank=sa.Float)
    if dialect == "postgresql":
        return matches.subquery("fts")
    return matches.cte("fts").prefix_with("MATERIALIZED")


def distance_mi(latitude_from, longitude_from, latitude, longitude, dialect: str):
    """SQL for the great-circle distance in miles between two points (haversine, as geo
    does); the first may be numbers or bound parameters."""
    least = func.least if dialect == "postgresql" else func.min  # SQLite's two-argument min
    half_dlat = func.radians(latitude - latitude_from) / 2
    half_dlng = func.radians(longitude - longitude_from) / 2
    a = func.power(func.sin(half_dlat), 2) + func.cos(func.radians(latitude_from)) * func.cos(
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


def _box() -> tuple[sa.BindParameter, ...]:
    return tuple(_bound(name, sa.Float) for name in ("min_lat", "max_lat", "min_lng", "max_lng"))


def _in_box(dialect: str):
    """Locations in the place's box (``:min_lat`` ... ``:max_lng``), or within a hair of
    it, found through the spatial index.

    PostgreSQL: GiST on ``point(longitude, latitude)``; its ``<@`` compares with a
    tolerance of 1e-6, and asking for the box on the columns as well only makes the
    planner combine the btree with it (slower), so the exact distance that follows
    decides. SQLite: the R*Tree (32-bit floats, rounded outwards), then the exact box
    on the columns of the few rows it found."""
    min_lat, max_lat, min_lng, max_lng = _box()
    if dialect == "postgresql":
        box = func.box(func.point(min_lng, min_lat), func.point(max_lng, max_lat))
        return func.point(Location.longitude, Location.latitude).op("<@")(box)
    r = LOCATIONS_RTREE.c
    ids = select(r.id).where(r.max_lat >= min_lat, r.min_lat <= max_lat,
                             r.max_lng >= min_lng, r.min_lng <= max_lng)
    return sa.and_(Location.id.in_(ids), Location.latitude.between(min_lat, max_lat),
                   Location.longitude.between(min_lng, max_lng))


@functools.lru_cache(maxsize=4)
def _locations_in_box(dialect: str) -> Select:
    if dialect == "postgresql":
        return select(func.count()).select_from(Location).where(_in_box(dialect))
    min_lat, max_lat, min_lng, max_lng = _box()
    r = LOCATIONS_RTREE.c
    return select(func.count()).select_from(LOCATIONS_RTREE).where(
        r.max_lat >= min_lat, r.min_lat <= max_lat, r.max_lng >= min_lng, r.min_lng <= max_lng)


def locations_in_box(filters: Filters, dialect: str) -> int:
    """How many locations lie in the place's bounding box (the spatial index alone): what
    tells a search whether its place is dense enough to be read nearest first."""
    params = filters.params(dialect)
    box = {k: params[k] for k in ("min_lat", "max_lat", "min_lng", "max_lng")}
    return db.session.connection().execute(_locations_in_box(dialect), box).scalar_one()


def _nearby(dialect: str) -> sa.CTE:
    """Each clinic's nearest location inside the bounding box: (clinic_id, distance)."""
    distance = distance_mi(_bound("lat", sa.Float), _bound("lng", sa.Float),
                           Location.latitude, Location.longitude, dialect)
    return (
        select(Location.clinic_id, func.min(distance).label("distance"))
        .where(_in_box(dialect))
        .group_by(Location.clinic_id)
        .cte("nearby")
    )


def _candidates(shape: Shape) -> Select:
    """Rows of (id, name, rating_avg, review_count, per_60, price, rank, distance, total)."""
    nearby = _nearby(shape.dialect) if shape.place else None
    prices = _prices(shape, nearby)
    narrowed = shape.techniques or shape.capped
    stmt = select(
        Clinic.id, Clinic.name, Clinic.rating_avg, Clinic.review_count,
        prices.c.per_60, prices.c.price,
    ).where(Clinic.status == ClinicStatus.PUBLISHED)
    on_prices = prices.c.clinic_id == Clinic.id
    stmt = stmt.join(prices, on_prices) if narrowed else stmt.outerjoin(prices, on_prices)
    if shape.text:
        fts = _text_match(shape.dialect)
        stmt = stmt.join(fts, fts.c.clinic_id == Clinic.id).add_columns(fts.c.rank)
    else:
        stmt = stmt.add_columns(sa.literal(0.0, sa.Float).label("rank"))
    if shape.rating:
        stmt = stmt.where(Clinic.rating_avg >= _bound("min_rating", sa.Float))
    stmt = stmt.where(*shape.feature_conditions())
    if nearby is not None:
        stmt = stmt.join(nearby, nearby.c.clinic_id == Clinic.id).where(
            nearby.c.distance <= _bound("radius", sa.Float)).add_columns(nearby.c.distance)
    else:
        stmt = stmt.add_columns(sa.null().cast(sa.Float).label("distance"))
    if shape.openings is not None:
        opened = _openings(shape, nearby)
        on_open = opened.c.clinic_id == Clinic.id
        stmt = (stmt.join(opened, on_open) if shape.openings in ("day", "within")
                else stmt.outerjoin(opened, on_open)).add_columns(opened.c.opening_s)
    else:
        stmt = stmt.add_columns(sa.null().cast(sa.BigInteger).label("opening_s"))
    return stmt.add_columns(func.count().over().label("total"))


def _catalogue(shape: Shape) -> Select:
    """The same rows as ``_candidates`` for a search with neither a place nor words,
    shaped so that a page costs what it shows, not what the catalogue holds: the
    technique and price filters are an ``EXISTS`` per clinic and the prices are
    correlated subqueries, so a database walking ``ix_clinics_status_rank`` in the
    rating order stops after the page (and the capped count after ``COUNT_CAP + 1``).
    No total column: the caller counts, up to the cap."""
    if not shape.capped:  # the kept prices: a key lookup per clinic
        row = ClinicPrice
        matching = [row.clinic_id == Clinic.id, row.modality_id.in_(_techniques())]
        per_60_of, price_of, key = row.per_60_cents, row.price_cents, row.clinic_id
    else:
        matching = [Service.clinic_id == Clinic.id, Service.active.is_(True),
                    Service.price_per_60_cents <= _bound("max_price")]
        if shape.techniques:
            matching.append(Service.modality_id.in_(_techniques()))
        per_60_of, price_of, key = Service.price_per_60_cents, Service.price_cents, Service.id
    per_60 = select(func.min(per_60_of)).where(*matching).scalar_subquery()
    price = select(func.min(price_of)).where(*matching).scalar_subquery()
    stmt = select(
        Clinic.id, Clinic.name, Clinic.rating_avg, Clinic.review_count,
        per_60.label("per_60"), price.label("price"), sa.literal(0.0, sa.Float).label("rank"),
        sa.null().cast(sa.Float).label("distance"),
        sa.null().cast(sa.BigInteger).label("opening_s"),
    ).where(Clinic.status == ClinicStatus.PUBLISHED)
    if shape.techniques or shape.capped:
        stmt = stmt.where(select(key).where(*matching).exists())
    if shape.rating:
        stmt = stmt.where(Clinic.rating_avg >= _bound("min_rating", sa.Float))
    return stmt.where(*shape.feature_conditions(), *_open_on_the_day(shape))


def _price_walk(shape: Shape, technique, *columns, in_order: bool = True) -> Select:
    """One technique's kept prices cheapest first (``ix_clinic_prices_modality_per_60``),
    stopped at the price cap, each clinic's filters probed as it comes (in any order,
    for counting, unless ``in_order``)."""
    row = ClinicPrice
    stmt = select(*columns).select_from(row).join(Clinic, Clinic.id == row.clinic_id).where(
        row.modality_id == technique, Clinic.status == ClinicStatus.PUBLISHED)
    if shape.capped:
        stmt = stmt.where(row.per_60_cents <= _bound("max_price"))
    if shape.rating:
        stmt = stmt.where(Clinic.rating_avg >= _bound("min_rating", sa.Float))
    stmt = stmt.where(*shape.feature_conditions(), *_open_on_the_day(shape))
    return stmt.order_by(row.per_60_cents, *_RATING_ORDER) if in_order else stmt


_RATING_ORDER = (Clinic.rating_rank.desc(), Clinic.review_count.desc(), Clinic.name, Clinic.id)


def _walked(shape: Shape, techniques: int, *, in_order: bool = True) -> sa.Subquery:
    """(clinic_id, per_60): the first ``:walk`` rows of each technique's price walk (the
    technique, or any, or a condition's ``:technique_0``...), each clinic's least."""
    row = ClinicPrice
    keys = [_bound("technique")] if techniques < 2 else [
        _bound(f"technique_{i}") for i in range(techniques)]
    walks = [_price_walk(shape, key, row.clinic_id, row.per_60_cents, in_order=in_order)
             .limit(_bound("walk")).subquery(f"walk_{i}") for i, key in enumerate(keys)]
    rows = sa.union_all(*[select(w.c.clinic_id, w.c.per_60_cents) for w in walks]).subquery()
    return select(rows.c.clinic_id, func.min(rows.c.per_60_cents).label("per_60")).group_by(
        rows.c.clinic_id).subquery("walked")


def _page_columns(per_60, price) -> tuple:
    return (Clinic.id, Clinic.name, Clinic.rating_avg, Clinic.review_count,
            per_60.label("per_60"), price.label("price"), sa.literal(0.0, sa.Float).label("rank"),
            sa.null().cast(sa.Float).label("distance"),
            sa.null().cast(sa.BigInteger).label("opening_s"))


def by_price(shape: Shape, techniques: int = 1) -> Select:
    """The catalogue in the price order, read from the prices kept as data, so a page
    costs what it shows. Only clinics with a kept price: the general order puts the
    others after every priced clinic.

    - One technique or any: one walk of that technique's rows (``_price_walk``).
    - A condition's several techniques (``techniques`` of them): each technique's walk
      stopped after ``:walk`` rows (the page's end), then each clinic's least
      (``by_walks``). A clinic on the page has its cheapest row among the first
      ``:walk`` of its technique's walk, since every row ahead of it there is another
      clinic ahead of it on the page.
    - A price cap stops the walk at the cap: the least price per 60 minutes of the
      services under the cap is the kept least whenever that is under it. The cheapest
      session under the cap is read for the page's clinics only.
    """
    if techniques >= 2:
        return by_walks(shape, techniques, "price")
    row = ClinicPrice
    price = _least_price(shape) if shape.capped else row.price_cents
    return _price_walk(shape, _bound("technique"), *_page_columns(row.per_60_cents, price))


def by_walks(shape: Shape, techniques: int, sort: str) -> Select:
    """The clinics of the price walks (``_walked``) in ``sort`` order: every match when
    each walk reaches its end within ``:walk`` rows (a price cap or a condition with few
    matches, read by the prices' index instead of walking the catalogue)."""
    walked = _walked(shape, techniques)
    stmt = select(*_page_columns(walked.c.per_60, _least_price(shape))).select_from(
        walked).join(Clinic, Clinic.id == walked.c.clinic_id)
    return ordered(stmt, sort, has_text=False, has_place=False)


def _least_price(shape: Shape):
    """A clinic's cheapest session among its matching services (one clinic's rows)."""
    if not shape.capped:
        row = ClinicPrice
        return select(func.min(row.price_cents)).where(
            row.clinic_id == Clinic.id, row.modality_id.in_(_techniques())).scalar_subquery()
    matching = [Service.clinic_id == Clinic.id, Service.active.is_(True),
                Service.price_per_60_cents <= _bound("max_price")]
    if shape.techniques:
        matching.append(Service.modality_id.in_(_techniques()))
    return select(func.min(Service.price_cents)).where(*matching).scalar_subquery()


def _open_on_the_day(shape: Shape) -> list:
    """Open on the date asked for: one probe of the clinic's kept runs (none without one)."""
    if shape.openings != "day":
        return []
    run = OpeningRun
    opened = [run.clinic_id == Clinic.id, run.day == _bound("day", sa.Date),
              *openings.reaching(_cutoff(), _end()),
              openings.first_from(_cutoff()) < _end()]
    if shape.techniques:
        opened.append(run.modality_id.in_(_techniques()))
    return [select(run.id).where(*opened).exists()]


def candidates(filters: Filters, dialect: str) -> Select:
    """The search's rows with every filter's values bound: (id, name, rating_avg,
    review_count, per_60, price, rank, distance, opening_s, total). For reading the
    rows whole (tests, tools); search pages them (``page``)."""
    return _candidates(filters.shape(dialect)).params(**filters.params(dialect))


def catalogue(filters: Filters, dialect: str) -> Select:
    """The catalogue's shape of the search (neither a place nor words) with its values
    bound, for reading whole (tests, tools)."""
    return _catalogue(filters.shape(dialect)).params(**filters.params(dialect))


@functools.lru_cache(maxsize=256)
def _paged(shape: Shape, sort: str, reading: str, techniques: int) -> Select:
    if reading == "by_price":
        stmt = by_price(shape, techniques)
    elif reading == "walked":
        stmt = by_walks(shape, techniques, sort)
    else:
        stmt = ordered(_catalogue(shape) if reading == "catalogue" else _candidates(shape),
                       sort, has_text=shape.text, has_place=shape.place)
    return stmt.limit(_bound("limit")).offset(_bound("offset"))


@functools.lru_cache(maxsize=128)
def _counted(shape: Shape, reading: str, techniques: int) -> Select:
    if reading == "walked":
        return select(func.count()).select_from(_walked(shape, techniques, in_order=False))
    stmt = (_catalogue(shape).with_only_columns(Clinic.id).limit(_bound("count_cap"))
            if reading == "catalogue" else _candidates(shape))
    return select(func.count()).select_from(stmt.subquery())


def _walks(filters: Filters, reading: str) -> int:
    """How many price walks a reading of these filters takes (``_walked``; 1 for the
    readings that take none, so their statements are kept once)."""
    if reading not in ("by_price", "walked"):
        return 1
    return max(1, len(filters.modality_ids or ()))


def page(filters: Filters, dialect: str, *, sort: str, limit: int, offset: int,
         reading: str = "candidates", walk: int | None = None) -> list[sa.Row]:
    """One page of the search's rows in ``sort`` order, read by the general statement
    (``candidates``), the catalogue's (``catalogue``: neither a place nor words; no total
    column), the kept prices walked cheapest first (``by_price``: the catalogue's price
    order; no total column) or every clinic of the price walks in ``sort`` order
    (``walked``: each walk at most ``walk`` rows; no total column)."""
    params = {**filters.params(dialect), "limit": limit, "offset": offset,
              "walk": walk if walk is not None else offset + limit}
    return db.session.connection().execute(
        _paged(filters.shape(dialect), sort, reading, _walks(filters, reading)), params).all()


def count(filters: Filters, dialect: str, *, cap: int | None = None,
          reading: str = "candidates") -> int:
    """How many clinics match: all (``candidates``), or at least ``cap`` if there are
    more: the catalogue's shape walked in the rating order (``catalogue``) or the price
    walks, each stopped after ``cap`` rows (``walked``: every match when no walk reaches
    ``cap``; at least ``cap`` otherwise)."""
    params = filters.params(dialect)
    if cap is not None:
        params.update(count_cap=cap, walk=cap)
    return db.session.connection().execute(
        _counted(filters.shape(dialect), reading, _walks(filters, reading)), params).scalar_one()


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
