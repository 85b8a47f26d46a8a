"""A search sorted by the soonest opening in a dense place reads widening windows of time
and stops once a window holds its page and one more clinic open in it: the page is the
page of the whole search (same clinics, order, figures and first openings), and the total
is what it counted, marked as "at least" when it stopped early. Without a place the sort
is refused (the page falls back with a note, the API answers 400)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.models import db
from marketplace.services.discovery import search as search_module
from marketplace.services.discovery.search import SearchQuery, search
from tests.integration.discovery.test_nearest_first import OFFSETS, _spread
from tests.support import discover, factories
from tests.support.booking import booking_rules

NOW = datetime(2031, 3, 3, 12, 0, tzinfo=UTC)  # a Monday, 7:00 in St. Petersburg


@pytest.fixture
def staggered_clinics(app):
    """Twelve clinics whose first openings differ by hours and days: each therapist starts
    at a different hour, some only on some weekdays, one never."""
    v = discover.vocabulary()
    clinics = []
    for i in range(12):
        services = [(v["nmt"], 60, 80 + 5 * i)] if i % 3 else [(v["swedish"], 60, 70 + i)]
        clinic = discover.clinic(f"Soon Clinic {i:02}", "33701", services=services,
                                 hours=False)
        clinic.rating_avg, clinic.review_count = (4.0 + (i % 5) / 5, i) if i % 4 else (None, 0)
        if i != 11:  # the last never opens
            weekdays = range(7) if i % 2 else (0, 2, 4) if i % 4 else (3, 5)
            factories.create_hours(clinic.therapists[0], clinic.locations[0],
                                   weekdays=weekdays, starts=time(8 + i % 6), ends=time(18))
        clinics.append(clinic)
    db.session.flush()
    return v, clinics


def _figures(results) -> list[tuple]:
    return [(r.clinic.id, r.distance_mi, r.price_per_60_from_cents,
             r.next_opening and r.next_opening.starts_at) for r in results.results]


def test_a_page_read_soonest_first_is_the_page_of_the_whole_search(app, staggered_clinics,
                                                                   monkeypatch):
    _, clinics = staggered_clinics
    rules = booking_rules(app)

    @settings(max_examples=25, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(spots=st.lists(st.tuples(st.integers(0, 11), OFFSETS), min_size=1, max_size=24),
           radius=st.sampled_from([5, 25, 50]),
           technique=st.sampled_from([None, "neuromuscular-therapy"]),
           page=st.integers(1, 4), per_page=st.integers(1, 4),
           windows=st.sampled_from([(1800, 3600, 4 * 3600, 86400), (3 * 3600, 2 * 86400)]))
    def check(spots, radius, technique, page, per_page, windows):
        with db.session.begin_nested() as savepoint:
            _spread(clinics, spots)
            query = SearchQuery(near="33701", radius_mi=radius, sort="soonest",
                                technique=technique, page=page, per_page=per_page)
            monkeypatch.setattr(search_module, "NEAREST_FIRST_AFTER", 10**9)
            whole = search(query, now=NOW, rules=rules)
            monkeypatch.setattr(search_module, "NEAREST_FIRST_AFTER", 0)
            monkeypatch.setattr(search_module, "SOONEST_WINDOWS_S", windows)
            soonest = search(query, now=NOW, rules=rules)
            assert _figures(soonest) == _figures(whole)
            assert not whole.capped
            if soonest.capped:
                assert page * per_page < soonest.total <= whole.total
                assert soonest.pages > page
            else:
                assert soonest.total == whole.total
            savepoint.rollback()

    check()


def test_a_window_that_holds_the_page_stops_the_count(app, client, staggered_clinics,
                                                      monkeypatch):
    _, clinics = staggered_clinics
    db.session.commit()
    monkeypatch.setattr(search_module, "NEAREST_FIRST_AFTER", 0)
    monkeypatch.setattr(search_module, "SOONEST_WINDOWS_S", (10 * 86400,))
    data = client.get("/api/v1/clinics?near=33701&radius_mi=25&sort=soonest&per_page=2").json
    assert data["total_is_capped"] is True
    assert 2 < data["total"] < 12  # the clinic that never opens is not counted
    page = client.get("/search?near=33701&radius_mi=25&sort=soonest").get_data(as_text=True)
    assert "Counted soonest first, as far as this page needs" in page


def test_soonest_needs_a_place(app, client, staggered_clinics):
    results = search(SearchQuery(sort="soonest"), now=NOW, rules=booking_rules(app))
    assert results.sort == "relevance"
    assert any("Sorting by soonest opening needs a place" in n for n in results.notes)
    refused = client.get("/api/v1/clinics?sort=soonest&technique=neuromuscular-therapy")
    assert refused.status_code == 400
    assert refused.json["error"]["parameter"] == "sort"
    page = client.get("/search?sort=soonest")
    assert page.status_code == 200
    assert "Sorting by soonest opening needs a place" in page.get_data(as_text=True)
