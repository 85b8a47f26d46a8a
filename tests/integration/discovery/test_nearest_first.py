"""A search read nearest first (a place, no words, sorted by distance or best match) stops
once it has found its page and one more match: the page is the page the whole radius
gives (same clinics, same order, same figures), and the total it reports is what it
counted, marked as "at least" when it stopped early."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.models import Location, db
from marketplace.services.common import geo
from marketplace.services.discovery import search as search_module
from marketplace.services.discovery.search import SearchQuery, search
from tests.support import discover
from tests.support.booking import booking_rules

NOW = datetime(2031, 3, 3, 12, 0, tzinfo=UTC)
PIER = geo.lookup_zip("33701")
# Up to about 0.5 degrees (35 miles) around St. Petersburg.
OFFSETS = st.tuples(st.integers(-500, 500).map(lambda n: n / 1000),
                    st.integers(-500, 500).map(lambda n: n / 1000))


def _spread(clinics, spots) -> None:
    db.session.execute(sa.delete(Location).where(
        Location.clinic_id.in_([c.id for c in clinics])))
    for index, (dlat, dlng) in spots:
        where = discover.place("33701")
        where.update(latitude=round(PIER.latitude + dlat, 6),
                     longitude=round(PIER.longitude + dlng, 6))
        db.session.add(Location(clinic=clinics[index % len(clinics)], name="Spot",
                                address_line1="1 Test St", **where))
    db.session.flush()


@pytest.fixture
def spread_clinics(app):
    v = discover.vocabulary()
    clinics = []
    for i in range(12):
        services = [(v["nmt"], 60, 80 + 5 * i)] if i % 3 else [(v["swedish"], 60, 70 + i)]
        clinic = discover.clinic(f"Ring Clinic {i:02}", "33701", services=services,
                                 hours=False)
        clinic.rating_avg, clinic.review_count = (4.0 + (i % 5) / 5, i) if i % 4 else (None, 0)
        clinics.append(clinic)
    db.session.flush()
    return v, clinics


def _figures(results) -> list[tuple]:
    return [(r.clinic.id, r.distance_mi, r.price_per_60_from_cents, r.price_from_cents)
            for r in results.results]


def test_a_page_read_nearest_first_is_the_page_of_the_whole_radius(app, spread_clinics,
                                                                   monkeypatch):
    v, clinics = spread_clinics
    rules = booking_rules(app)

    @settings(max_examples=30, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(spots=st.lists(st.tuples(st.integers(0, 11), OFFSETS), min_size=1, max_size=24),
           radius=st.sampled_from([1, 5, 10, 25, 50]),
           sort=st.sampled_from(["distance", "relevance"]),
           technique=st.sampled_from([None, "neuromuscular-therapy"]),
           page=st.integers(1, 4), per_page=st.integers(1, 4), fill=st.sampled_from([1, 4]))
    def check(spots, radius, sort, technique, page, per_page, fill):
        with db.session.begin_nested() as savepoint:
            _spread(clinics, spots)
            query = SearchQuery(near="33701", radius_mi=radius, sort=sort, technique=technique,
                                page=page, per_page=per_page)
            monkeypatch.setattr(search_module, "NEAREST_FIRST_AFTER", 10**9)
            whole = search(query, now=NOW, rules=rules)
            monkeypatch.setattr(search_module, "NEAREST_FIRST_AFTER", 0)
            monkeypatch.setattr(search_module, "RING_FILL", fill)
            nearest = search(query, now=NOW, rules=rules)
            assert _figures(nearest) == _figures(whole)
            assert not whole.capped
            if nearest.capped:
                assert page * per_page < nearest.total <= whole.total
                assert nearest.pages > page  # there is a next page to go to
            else:
                assert nearest.total == whole.total
                assert nearest.pages == whole.pages
            savepoint.rollback()

    check()


def test_the_page_and_the_api_say_the_count_stopped(client, spread_clinics, monkeypatch):
    _, clinics = spread_clinics
    _spread(clinics, [(i, (0.03 * i, 0.0)) for i in range(12)])  # 0-23 miles north
    db.session.commit()
    monkeypatch.setattr(search_module, "NEAREST_FIRST_AFTER", 0)
    monkeypatch.setattr(search_module, "RING_FILL", 1)
    data = client.get("/api/v1/clinics?near=33701&radius_mi=25&per_page=2").json
    assert data["total_is_capped"] is True
    assert 2 < data["total"] < 12
    assert data["pages"] >= 2
    assert [r["slug"] for r in data["results"]] == [clinics[0].slug, clinics[1].slug]
    page = client.get("/search?near=33701&radius_mi=25").get_data(as_text=True)
    assert "Counted nearest first, as far as this page needs" in page
    every = client.get("/api/v1/clinics?near=33701&radius_mi=25&sort=rating").json
    assert every["total_is_capped"] is False  # other sorts count every match
    assert every["total"] >= 12
    doc = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    described = next(s for s in doc.values() if "total_is_capped" in s.get("properties", {}))
    assert "nearest" in described["properties"]["total_is_capped"]["description"]
