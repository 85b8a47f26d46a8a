"""The search page: the full page and its htmx fragment, messages for bad input
(never a 500), shareable links, and a fixed number of queries per page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace.models import db, utcnow
from marketplace.services.discovery import terms as search_terms
from tests.support import discover


@pytest.fixture
def world(app):
    v = discover.vocabulary()
    discover.clinic("Pier Trigger Point Studio", "33701", services=[(v["nmt"], 60, 120)])
    discover.clinic("Bayside Myofascial", "33704", services=[(v["mfr"], 90, 135)])
    discover.clinic("Mile High Neuromuscular", "80210", services=[(v["nmt"], 60, 100)])
    db.session.commit()
    return v


def body(response) -> str:
    return response.get_data(as_text=True)


def test_full_page_and_fragment(client, world):
    full = client.get("/search?condition=sciatica&near=33701")
    assert full.status_code == 200
    page = body(full)
    assert "<html" in page
    assert 'id="search-form"' in page
    assert "For sciatica (soft-tissue / piriformis), clinics offering myofascial release or " \
           "neuromuscular therapy (NMT)." in page
    assert page.count('id="search-status"') == 1
    assert 'hx-swap-oob="true"' not in page
    fragment = client.htmx("GET", "/search?condition=sciatica&near=33701")
    text = body(fragment)
    assert "<html" not in text
    assert 'id="search-form"' not in text
    assert "Pier Trigger Point Studio" in text
    assert "Bayside Myofascial" in text
    assert 'id="search-status"' in text
    assert 'hx-swap-oob="true"' in text
    assert "HX-Request" in fragment.headers["Vary"]


def test_results_show_distance_price_and_next_opening(client, world):
    page = body(client.get("/search?technique=neuromuscular-therapy&near=33701&radius_mi=10"))
    assert "Pier Trigger Point Studio" in page
    assert "Mile High" not in page
    assert "0.0 mi away" in page or " mi away" in page
    assert "$120</span> <span class=\"muted small\">per 60 min" in page
    assert "<time datetime=" in page
    assert ("EST" in page or "EDT" in page)


def test_trigger_point_as_free_text(client, world):
    page = body(client.get("/search?q=trigger+point&near=33701&radius_mi=10"))
    assert "“trigger point” is neuromuscular therapy (NMT): showing clinics that offer it." in page
    assert "Pier Trigger Point Studio" in page


def test_links_keep_the_filters(client, world):
    page = body(client.get("/search?technique=neuromuscular-therapy&sort=price"))
    assert "/clinics/" in page
    assert "technique=neuromuscular-therapy" in page


@pytest.mark.parametrize(("query", "message"), [
    ("near=00000", "do not know the ZIP code 00000"),
    ("near=Atlantis,+ZZ", "could not find Atlantis, ZZ"),
    ("near=33701&radius_mi=banana", "Choose a distance from 1 to 100 miles"),
    ("near=33701&radius_mi=0", "Choose a distance from 1 to 100 miles"),
    ("near=33701&radius_mi=-5", "Choose a distance from 1 to 100 miles"),
    ("near=33701&radius_mi=1e309", "Choose a distance from 1 to 100 miles"),
    ("radius_mi=101", "Choose a distance from 1 to 100 miles"),
    ("max_price=NaN", "Enter a price in dollars"),
    ("max_price=-1", "Enter a price in dollars"),
    ("available_on=2031-02-30", "Enter a date like"),
    ("available_on=tomorrow", "Enter a date like"),
    ("available_on=2001-01-01", "That date has passed"),
    ("min_rating=7", "Choose a rating from the list"),
    ("sort=cheapest", "Sort by best match"),
    ("page=0", "Pages run from 1 to 1000"),
    ("page=99999999999999999999", "Pages run from 1 to 1000"),
    ("technique=no-such-thing", "We do not know the technique"),
    ("condition=%3Cscript%3E", "We do not know the condition"),
    ("q=" + "a" * 101, "Use at most 100 characters"),
])
def test_bad_input_is_a_message_not_an_error(client, world, query, message):
    for response in (client.get(f"/search?{query}"), client.htmx("GET", f"/search?{query}")):
        assert response.status_code == 422
        assert message in body(response)
        assert "<script>" not in body(response)


def test_a_date_beyond_the_booking_horizon(client, world):
    far = (utcnow() + timedelta(days=200)).date().isoformat()
    response = client.get(f"/search?available_on={far}")
    assert response.status_code == 422
    assert "up to 60 days ahead" in body(response)


def test_a_page_beyond_the_end_says_how_many_there_are(client, world):
    response = client.get("/search?sort=price&page=40")
    assert response.status_code == 200
    assert "only 1 page of results" in body(response)
    assert "Go to page 1" in body(response)


def test_nothing_found_says_what_to_try(client, world):
    page = body(client.get("/search?q=zzzz&near=33701&radius_mi=5&max_price=10"))
    assert "No published clinic matches all of that" in page
    assert "a wider distance (10 miles)" in page
    assert "any price" in page


def test_pagination_links_carry_the_filters_but_never_urlfor_internals(client, world):
    for n in range(12):
        discover.clinic(f"Extra Clinic {n}", "33701", services=[(world["nmt"], 60, 90 + n)])
    db.session.commit()
    page = body(client.get("/search?technique=neuromuscular-therapy&sort=price"
                           "&_external=1&_scheme=javascript&_anchor=x"))
    assert 'rel="next" href="/search?technique=neuromuscular-therapy&amp;sort=price&amp;page=2"' \
        in page
    assert "javascript:" not in page
    second = body(client.get("/search?technique=neuromuscular-therapy&sort=price&page=2"))
    assert "Page 2 of 2" in second
    assert 'rel="prev"' in second


def _clinics(world, n: int, zip_code: str) -> None:
    for i in range(n):
        discover.clinic(f"Counted {zip_code} {i}", zip_code,
                        services=[(world["nmt"], 60, 80 + i), (world["mfr"], 90, 130)])
    db.session.commit()


@pytest.mark.parametrize("query", [
    "/search?technique=neuromuscular-therapy&near={zip}&radius_mi=25&sort=distance",
    "/search?q=counted&sort=price",
    "/search?near={zip}&sort=soonest",
    "/search?condition=sciatica&near={zip}&available_on={day}",
])
def test_the_number_of_queries_does_not_grow_with_the_results(client, world, count_queries,
                                                               query):
    day = (utcnow() + timedelta(days=3)).date().isoformat()
    _clinics(world, 2, "33602")
    _clinics(world, 9, "80206")
    search_terms.load_vocabulary()  # as after a worker's first search: kept in memory
    counts = []
    for zip_code, expected in (("33602", 2), ("80206", 9)):
        url = query.format(zip=zip_code, day=day).replace("q=counted", f"q=counted+{zip_code}")
        with count_queries() as q:
            response = client.get(url)
        assert response.status_code == 200
        assert body(response).count('class="card result"') >= expected
        counts.append(q.count)
    assert counts[0] == counts[1], counts


def _selected_sort(page: str) -> str:
    import re
    select = re.search(r'<select[^>]*name="sort".*?</select>', page, re.S).group(0)
    return re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected',
                     select).group(0)


def test_a_city_name_is_that_city_in_the_header(client, world):
    page = body(client.get("/search?near=Denver%2C+CO&radius_mi=10"))
    assert "within 10 miles of Denver, CO" in page
    assert "Aurora" not in page
    assert "Mile High Neuromuscular" in page


@pytest.mark.parametrize(("query", "words", "option"), [
    # No words to match: the best match is the nearest, and the box still says so.
    ("near=33701", "sorted by best match (nearest first)", "relevance"),
    ("near=33701&sort=distance", "sorted by distance", "distance"),
    ("q=trigger+studio&near=33701", "sorted by best match", "relevance"),
    # Distance without a place cannot apply: the box shows the sort that did.
    ("technique=neuromuscular-therapy&sort=distance", "sorted by best match", "relevance"),
    ("sort=price", "sorted by price per 60 minutes", "price"),
])
def test_the_header_and_the_sort_box_name_the_same_sort(client, world, query, words, option):
    page = body(client.get(f"/search?{query}"))
    assert words in page
    assert f'value="{option}"' in _selected_sort(page)
    fragment = body(client.htmx("GET", f"/search?{query}"))
    assert words in fragment
    if option != dict(p.split("=") for p in query.split("&")).get("sort", "relevance"):
        # htmx keeps the form: the box is replaced out of band to show the sort applied.
        assert 'id="sort-field" hx-swap-oob="true"' in fragment
        assert f'value="{option}"' in _selected_sort(fragment)
    else:
        assert 'id="sort-field"' not in fragment


def test_headline_prices_per_60_minutes_are_whole_dollars_and_charges_exact(client, world):
    # 90 minutes for $155 is $103.33 an hour: shown as $103; the $155 charged is exact.
    odd = discover.clinic("Odd Cents Studio", "33701", services=[(world["nmt"], 90, 155)])
    db.session.commit()
    page = body(client.get("/search?technique=neuromuscular-therapy&near=33701&radius_mi=5"))
    assert '<span class="price">$103</span>' in page
    assert "103.33" not in page
    profile = body(client.get(f"/clinics/{odd.slug}"))
    assert "<td>$155</td>" in profile
    assert "<td>$103</td>" in profile
    assert "103.33" not in profile


def test_the_home_page_shows_the_three_real_seed_clinics(client, app):
    from marketplace.demo import seed

    seed.seed_demo(now=utcnow())
    db.session.commit()
    page = body(client.get("/"))
    for name in ("Solely Therapeutic Massage", "Center for Massage Therapy",
                 "Flex Spine &amp; Sport"):
        assert name in page


def test_a_search_url_with_empty_parameters_redirects_to_the_clean_one(client, world):
    # What a GET form sends without JavaScript: every field, filled or not.
    response = client.get("/search?q=&near=33701&radius_mi=10&technique=&condition="
                          "&max_price=&available_on=&min_rating=&sort=relevance")
    assert response.status_code == 303
    assert response.headers["Location"] == "/search?near=33701&radius_mi=10&sort=relevance"
    assert client.get(response.headers["Location"]).status_code == 200
    everything_empty = client.get("/search?q=&near=&technique=")
    assert (everything_empty.status_code, everything_empty.headers["Location"]) == \
        (303, "/search")
    # Order and repeats of the filled ones are kept; bad values still get their message.
    bad = client.get("/search?near=00000&q=")
    assert bad.headers["Location"] == "/search?near=00000"
    assert client.get("/search?near=00000").status_code == 422


def test_a_clean_search_url_is_served_as_it_is(client, world):
    assert client.get("/search?near=33701&radius_mi=10").status_code == 200
    assert client.get("/search").status_code == 200


def test_the_rating_sort_says_how_it_ranks(client, world):
    page = body(client.get("/search?sort=rating"))
    assert "sorted by rating, weighted by number of reviews" in page
    assert "as if it had five more reviews of 4 stars" in page
    doc = client.get("/api/v1/openapi.json").json
    sort = next(p for p in doc["paths"]["/api/v1/clinics"]["get"]["parameters"]
                if p["name"] == "sort")
    assert "Bayesian average" in sort["description"]
