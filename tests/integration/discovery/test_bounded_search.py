"""Search work bounded by what is near and what is shown: the spatial index follows the
locations, a radius search answers exactly what the plain haversine over every location
answers, the stored rating rank is the Bayesian average, and a search with neither a
place nor words reads one page in index order and counts up to a cap it reports."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from marketplace.models import Clinic, ClinicAmenity, Location, db
from marketplace.services.common import geo
from marketplace.services.discovery import search as search_module
from marketplace.services.discovery import sql as search_sql
from marketplace.services.discovery.plan import rating_score
from marketplace.services.discovery.search import SearchQuery, search
from tests.support import discover, factories
from tests.support.booking import booking_rules

NOW = datetime(2031, 3, 3, 12, 0, tzinfo=UTC)
PIER = geo.lookup_zip("33701")  # St. Petersburg, FL
EXAMPLES = settings(max_examples=15, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _location(clinic: Clinic, lat: float, lng: float) -> Location:
    where = discover.place("33701")
    where.update(latitude=lat, longitude=lng)
    location = Location(clinic=clinic, name="Spot", address_line1="1 Test St", **where)
    db.session.add(location)
    return location


# --- the spatial index follows the locations ------------------------------------------

# Coordinates as stored: degrees to six decimals (about 10 cm).
LATITUDES = st.integers(-89_900_000, 89_900_000).map(lambda n: n / 1e6)
LONGITUDES = st.integers(-179_900_000, 179_900_000).map(lambda n: n / 1e6)
OPERATIONS = st.lists(st.one_of(
    st.tuples(st.just("add"), LATITUDES, LONGITUDES),
    st.tuples(st.just("move"), st.integers(0, 50), LATITUDES, LONGITUDES),
    st.tuples(st.just("drop"), st.integers(0, 50)),
    st.tuples(st.just("sql-move"), st.integers(0, 50), LATITUDES, LONGITUDES),
), max_size=12)


def _rtree_matches_locations() -> None:
    rows = {r.id: r for r in db.session.execute(sa.text(
        "SELECT id, min_lat, max_lat, min_lng, max_lng FROM locations_rtree"))}
    locations = {r.id: r for r in db.session.execute(
        sa.select(Location.id, Location.latitude, Location.longitude))}
    assert rows.keys() == locations.keys()
    for lid, loc in locations.items():
        box = rows[lid]
        # 32-bit floats, rounded outwards: the box always contains the point, tightly.
        assert box.min_lat <= loc.latitude <= box.max_lat
        assert box.min_lng <= loc.longitude <= box.max_lng
        assert box.max_lat - box.min_lat < 1e-4
        assert box.max_lng - box.min_lng < 1e-4


def _index_finds_exactly_the_box(lat: float, lng: float) -> None:
    """The statement through the spatial index finds what a plain scan of the box finds
    (on PostgreSQL, whose geometric operators compare within 1e-6, perhaps a location
    that close to the box's edge as well: the exact distance decides after it)."""
    min_lat, max_lat, min_lng, max_lng = geo.bounding_box(lat, lng, 50)
    through_index = set(db.session.scalars(
        sa.select(Location.id).where(search_sql._in_box(_dialect())),
        {"min_lat": min_lat, "max_lat": max_lat, "min_lng": min_lng, "max_lng": max_lng}))
    coordinates = {lid: (la, ln) for lid, la, ln in db.session.execute(
        sa.select(Location.id, Location.latitude, Location.longitude))}

    def inside(lid, margin=0.0):
        la, ln = coordinates[lid]
        return (min_lat - margin <= la <= max_lat + margin
                and min_lng - margin <= ln <= max_lng + margin)

    assert through_index >= {lid for lid in coordinates if inside(lid)}
    assert all(inside(lid, margin=1e-5) for lid in through_index)


def test_the_spatial_index_follows_inserts_moves_and_deletes(app):
    clinic = factories.create_clinic(zip_code=None)
    db.session.flush()

    @EXAMPLES
    @given(operations=OPERATIONS, probe=st.tuples(LATITUDES, LONGITUDES))
    def check(operations, probe):
        with db.session.begin_nested() as savepoint:
            for op in operations:
                mine = list(db.session.scalars(
                    sa.select(Location).where(Location.clinic_id == clinic.id)
                    .order_by(Location.id)))
                if op[0] == "add":
                    _location(clinic, op[1], op[2])
                elif not mine:
                    continue
                elif op[0] == "move":
                    target = mine[op[1] % len(mine)]
                    target.latitude, target.longitude = op[2], op[3]
                elif op[0] == "sql-move":  # bypassing the ORM: the triggers still follow
                    target = mine[op[1] % len(mine)]
                    db.session.execute(sa.update(Location).where(Location.id == target.id)
                                       .values(latitude=op[2], longitude=op[3]))
                    db.session.expire(target)
                else:
                    db.session.delete(mine[op[1] % len(mine)])
                db.session.flush()
            if _dialect() == "sqlite":
                _rtree_matches_locations()
            _index_finds_exactly_the_box(*probe)
            savepoint.rollback()

    check()


def test_deleting_a_clinic_drops_its_locations_from_the_index(app):
    clinic = factories.create_clinic(zip_code=None)
    _location(clinic, 27.77, -82.64)
    _location(clinic, 27.80, -82.60)
    db.session.flush()
    db.session.execute(sa.delete(Clinic).where(Clinic.id == clinic.id))  # ON DELETE CASCADE
    if _dialect() == "sqlite":
        _rtree_matches_locations()
    _index_finds_exactly_the_box(27.77, -82.64)


# --- a radius search answers exactly as the plain haversine does ------------------------

# Offsets of up to about 1.6 degrees around St. Petersburg: inside, on and beyond 100 miles.
OFFSETS = st.tuples(st.floats(-1.6, 1.6, allow_nan=False), st.floats(-1.8, 1.8, allow_nan=False))


def test_a_radius_search_finds_exactly_the_clinics_within_the_radius(app):
    v = discover.vocabulary()
    clinics = [discover.clinic(f"Radius Clinic {i}", "33701", services=[(v["nmt"], 60, 90)],
                               hours=False) for i in range(6)]
    db.session.execute(sa.delete(Location).where(
        Location.clinic_id.in_([c.id for c in clinics])))
    db.session.flush()
    rules = booking_rules(app)

    @EXAMPLES
    @given(spots=st.lists(st.tuples(st.integers(0, 5), OFFSETS), min_size=1, max_size=14),
           radius=st.sampled_from([1, 5, 10, 25, 50, 100]),
           sort=st.sampled_from(["distance", "relevance", "price", "rating"]))
    def check(spots, radius, sort):
        with db.session.begin_nested() as savepoint:
            nearest: dict[int, float] = {}
            for index, (dlat, dlng) in spots:
                lat, lng = PIER.latitude + dlat, PIER.longitude + dlng
                _location(clinics[index], lat, lng)
                d = geo.distance_mi(PIER.latitude, PIER.longitude, lat, lng)
                assume(abs(d - radius) > 1e-6)  # no point on the circle itself
                cid = clinics[index].id
                nearest[cid] = min(d, nearest.get(cid, math.inf))
            db.session.flush()
            # Every location in the database (the app's own clinics included), by haversine.
            expected: dict[int, float] = {}
            for cid, lat, lng in db.session.execute(sa.select(
                    Location.clinic_id, Location.latitude, Location.longitude)
                    .join(Clinic).where(Clinic.status == "published")):
                d = geo.distance_mi(PIER.latitude, PIER.longitude, lat, lng)
                expected[cid] = min(d, expected.get(cid, math.inf))
            within = {cid: d for cid, d in expected.items() if d <= radius}
            results = search(SearchQuery(near="33701", radius_mi=radius, sort=sort,
                                         per_page=50), now=NOW, rules=rules)
            found = {r.clinic.id: r.distance_mi for r in results.results}
            assert results.total == len(within)
            assert found.keys() == within.keys()
            for cid, d in found.items():
                assert d == pytest.approx(within[cid], abs=1e-6)
            savepoint.rollback()

    check()


# --- the stored rating rank ----------------------------------------------------------------


@pytest.mark.parametrize(("average", "count"), [
    (None, 0), (5.0, 1), (4.7, 3), (4.9, 500), (1.0, 2), (4.0, 0), (3.33, 7)])
def test_the_stored_rating_rank_is_the_bayesian_average(app, average, count):
    clinic = factories.create_clinic()
    clinic.rating_avg, clinic.review_count = average, count
    db.session.flush()
    db.session.expire(clinic)
    assert clinic.rating_rank == pytest.approx(rating_score(average, count) or 0.0, rel=1e-12)


def test_the_rating_rank_follows_a_change_made_outside_the_orm(app):
    clinic = factories.create_clinic()
    db.session.flush()
    db.session.execute(sa.update(Clinic).where(Clinic.id == clinic.id)
                       .values(rating_avg=4.5, review_count=10))
    db.session.expire(clinic)
    assert clinic.rating_rank == pytest.approx(rating_score(4.5, 10))


# --- neither a place nor words: one page in index order, a capped count --------------------


@pytest.fixture
def catalogue(app):
    v = discover.vocabulary()
    made = [
        discover.clinic("Alder Neuromuscular", "33701", services=[(v["nmt"], 60, 120)]),
        discover.clinic("Birch Myofascial", "33704",
                        services=[(v["mfr"], 90, 135), (v["swedish"], 60, 80)]),
        discover.clinic("Cedar Relax House", "33602", services=[(v["swedish"], 60, 70)]),
        discover.clinic("Dogwood Neuromuscular", "80210", services=[(v["nmt"], 60, 100)]),
        discover.clinic("Elm Without Services", "80206"),
    ]
    for clinic, (average, count) in zip(made, [(4.9, 12), (4.2, 3), (5.0, 1), (4.7, 3),
                                               (None, 0)], strict=True):
        clinic.rating_avg, clinic.review_count = average, count
    db.session.commit()  # saved, and so indexed
    return v, made


@pytest.mark.parametrize("sort", ["relevance", "price", "rating"])
@pytest.mark.parametrize("narrow", [
    {}, {"technique": True}, {"max_price_cents": 11000}, {"min_rating": 4.5},
])
def test_the_catalogue_statement_answers_as_the_general_one(app, catalogue, sort, narrow):
    v, _ = catalogue
    filters = search_sql.Filters(
        modality_ids={v["nmt"].id, v["swedish"].id} if narrow.get("technique") else None,
        max_price_cents=narrow.get("max_price_cents"), min_rating=narrow.get("min_rating"))
    general = search_sql.ordered(search_sql.candidates(filters, _dialect()), sort,
                                 has_text=False, has_place=False)
    bounded = search_sql.ordered(search_sql.catalogue(filters, _dialect()), sort,
                                 has_text=False, has_place=False)
    columns = ("id", "name", "rating_avg", "review_count", "per_60", "price", "distance")
    expected = [tuple(getattr(r, c) for c in columns) for r in db.session.execute(general)]
    assert [tuple(getattr(r, c) for c in columns) for r in db.session.execute(bounded)] \
        == expected
    assert expected  # the case says something


def _narrowed(v, made, narrow: dict) -> search_sql.Filters:
    """The filters of ``narrow``, after giving Birch a short session cheaper than its
    others but dear per hour: the cheapest session under a cap is then another one."""
    factories.create_service(made[1], therapists=list(made[1].therapists), duration_min=30,
                             modality=v["swedish"], price_cents=6000)
    db.session.flush()
    techniques = narrow.get("technique")
    return search_sql.Filters(
        modality_ids={v[t].id for t in techniques} if techniques else None,
        max_price_cents=narrow.get("max_price_cents"),
        min_rating=narrow.get("min_rating"), amenities=narrow.get("amenities", ()))


@pytest.mark.parametrize("narrow", [
    {}, {"technique": ("nmt",)}, {"min_rating": 4.5}, {"amenities": ("parking",)},
    {"technique": ("nmt", "swedish")}, {"technique": ("nmt", "mfr", "swedish")},
    {"max_price_cents": 11000}, {"max_price_cents": 9000, "technique": ("mfr", "swedish")},
    {"max_price_cents": 12000, "technique": ("nmt",), "min_rating": 4.5},
])
def test_the_price_walk_reads_the_general_order_of_priced_clinics(app, catalogue, narrow):
    v, made = catalogue
    db.session.add(ClinicAmenity(clinic_id=made[0].id, code="parking"))
    techniques = narrow.get("technique")
    filters = _narrowed(v, made, narrow)
    general = search_sql.ordered(search_sql.candidates(filters, _dialect()), "price",
                                 has_text=False, has_place=False)
    shape = filters.shape(_dialect())
    walked = search_sql.by_price(shape, len(techniques or ((),))).params(
        **filters.params(_dialect()), walk=100)
    columns = ("id", "name", "rating_avg", "review_count", "per_60", "price")
    expected = [tuple(getattr(r, c) for c in columns) for r in db.session.execute(general)
                if r.per_60 is not None]
    assert [tuple(getattr(r, c) for c in columns) for r in db.session.execute(walked)] \
        == expected
    assert expected  # the case says something


@pytest.mark.parametrize("sort", ["relevance", "rating", "price"])
@pytest.mark.parametrize("narrow", [
    {"technique": ("nmt",)}, {"technique": ("nmt", "mfr", "swedish")},
    {"max_price_cents": 11000}, {"max_price_cents": 9000, "technique": ("mfr", "swedish")},
    {"max_price_cents": 12000, "min_rating": 4.5},
])
def test_the_price_walks_read_and_count_every_match_in_any_order(app, catalogue, sort,
                                                                  narrow):
    """A technique, a condition or a cap: the walks over the kept prices hold every match
    (when none reaches its limit), in the order and with the count of the general read."""
    v, made = catalogue
    techniques = narrow.get("technique")
    filters = _narrowed(v, made, narrow)
    general = search_sql.ordered(search_sql.candidates(filters, _dialect()), sort,
                                 has_text=False, has_place=False)
    walked = search_sql.by_walks(filters.shape(_dialect()), len(techniques or ((),)), sort)
    columns = ("id", "name", "rating_avg", "review_count", "per_60", "price")
    expected = [tuple(getattr(r, c) for c in columns) for r in db.session.execute(general)]
    assert expected  # the case says something
    read = db.session.execute(walked.params(**filters.params(_dialect()), walk=100))
    assert [tuple(getattr(r, c) for c in columns) for r in read] == expected
    assert search_sql.count(filters, _dialect(), cap=100, reading="walked") == len(expected)
    # Stopped short, the walks count at least the cap: "N+" is then said.
    for cap in range(1, len(expected) + 1):
        counted = search_sql.count(filters, _dialect(), cap=cap, reading="walked")
        assert min(counted, cap) == min(len(expected), cap)


@pytest.mark.parametrize("narrow", [
    {}, {"technique": "neuromuscular-therapy"}, {"condition": "sciatica"},
    {"max_price_cents": 11000}, {"condition": "sciatica", "max_price_cents": 12000},
])
def test_price_pages_without_a_place_agree_with_one_long_page(app, catalogue, narrow):
    """Page by page, the walk gives the order of one long page; without a technique the
    clinic with no services comes last (the short page falls back to the whole order)."""
    rules = booking_rules(app)
    whole = search(SearchQuery(sort="price", per_page=50, **narrow), now=NOW, rules=rules)
    assert whole.total >= 2  # the case says something
    paged = []
    for number in range(1, whole.pages * 25 + 1):
        page = search(SearchQuery(sort="price", per_page=2, page=number, **narrow),
                      now=NOW, rules=rules)
        assert page.total == whole.total
        paged += [(r.clinic.id, r.price_per_60_from_cents) for r in page.results]
        if number >= page.pages:
            break
    assert paged == [(r.clinic.id, r.price_per_60_from_cents) for r in whole.results]
    if not narrow:
        assert whole.results[-1].clinic.name == "Elm Without Services"


@pytest.mark.parametrize("narrow", [{"technique": "neuromuscular-therapy"},
                                    {"condition": "sciatica"}, {"max_price_cents": 13000}])
def test_a_narrowed_count_beyond_the_cap_is_reported_as_the_cap(app, catalogue, monkeypatch,
                                                                narrow):
    rules = booking_rules(app)
    everything = search(SearchQuery(sort="rating", per_page=50, **narrow), now=NOW,
                        rules=rules)
    assert not everything.capped
    assert everything.total >= 2
    monkeypatch.setattr(search_module, "COUNT_CAP", 1)
    first = search(SearchQuery(sort="rating", per_page=2, **narrow), now=NOW, rules=rules)
    assert (first.total, first.capped, first.pages) == (1, True, 1)
    assert [r.clinic.id for r in first.results] == [everything.results[0].clinic.id]


def test_a_count_beyond_the_cap_is_reported_as_the_cap(app, catalogue, monkeypatch):
    rules = booking_rules(app)
    everything = search(SearchQuery(sort="rating", per_page=50), now=NOW, rules=rules)
    assert not everything.capped
    assert everything.total == len(everything.results) >= 5
    monkeypatch.setattr(search_module, "COUNT_CAP", 3)
    first = search(SearchQuery(sort="rating", per_page=2), now=NOW, rules=rules)
    assert (first.total, first.capped, first.pages, first.total_words) == (3, True, 2, "3+")
    second = search(SearchQuery(sort="rating", per_page=2, page=2), now=NOW, rules=rules)
    shown = [r.clinic.id for r in first.results + second.results]
    assert shown == [r.clinic.id for r in everything.results[:3]]  # the first 3, no further
    beyond = search(SearchQuery(sort="rating", per_page=2, page=3), now=NOW, rules=rules)
    assert beyond.beyond_the_end
    assert beyond.results == []


def test_the_page_and_the_api_say_the_count_is_capped(client, catalogue, monkeypatch):
    db.session.commit()
    monkeypatch.setattr(search_module, "COUNT_CAP", 3)
    page = client.get("/search?sort=rating").get_data(as_text=True)
    assert "<strong>3+</strong> clinics" in page
    assert "The pages list the first 3." in page
    data = client.get("/api/v1/clinics?sort=rating&per_page=2").json
    assert (data["total"], data["total_is_capped"], data["pages"]) == (3, True, 2)
    monkeypatch.setattr(search_module, "COUNT_CAP", 1000)
    data = client.get("/api/v1/clinics?sort=rating").json
    assert data["total_is_capped"] is False
    assert data["total"] >= 5
    near = client.get("/api/v1/clinics?near=33701&radius_mi=25").json
    assert near["total_is_capped"] is False


def test_the_openapi_document_describes_the_cap(client):
    schema = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    page = next(s for s in schema.values() if "total_is_capped" in s.get("properties", {}))
    assert "total_is_capped" in page["required"]
    assert "1,000" in page["properties"]["total"]["description"]


# --- words with a place: the full-text match is read once -------------------------------


@pytest.mark.parametrize("sort", ["relevance", "price"])
def test_words_near_a_place_read_the_full_text_index_once(app, catalogue, sort):
    """The matches are read once and joined to the clinics in the radius. As a subquery,
    SQLite read the whole match again for every clinic in the radius (seconds in a dense
    place of a large catalogue). PostgreSQL plans the join itself."""
    filters = search_sql.Filters(tokens=("neuromuscular",), place=geo.lookup_zip("33701"))
    stmt = search_sql.ordered(search_sql.candidates(filters, _dialect()), sort,
                              has_text=True, has_place=True).limit(10)
    if _dialect() == "sqlite":
        sql = str(stmt.compile(dialect=db.engine.dialect,
                               compile_kwargs={"literal_binds": True}))
        plan = [row[3] for row in db.session.connection().exec_driver_sql(
            "EXPLAIN QUERY PLAN " + sql)]
        assert "MATERIALIZE fts" in plan
        assert sum("search_fts VIRTUAL TABLE" in step for step in plan) == 1
    found = db.session.execute(stmt).all()
    assert [r.name for r in found] == ["Alder Neuromuscular"]
