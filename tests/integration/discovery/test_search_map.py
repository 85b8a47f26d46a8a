"""The search map's data: the page and its htmx fragment carry, as JSON, the pins of
exactly the clinics listed (names, coordinates, profile links, the place searched);
the map box carries the tile settings; the CSP lets in the configured tile
server and nothing when the map is off."""

from __future__ import annotations

import html
import json
import re

import pytest

from marketplace import create_app
from marketplace.config import ConfigError
from marketplace.models import Location, db
from tests.conftest import CSRFClient, base_config
from tests.support import discover

DATA = re.compile(r'<script type="application/json" id="search-map-data">(.*?)</script>', re.S)


@pytest.fixture
def world(app):
    v = discover.vocabulary()
    pier = discover.clinic("Pier Trigger Point Studio", "33701", services=[(v["nmt"], 60, 120)])
    # A second location near the first and a third in Denver, far outside any radius here.
    db.session.add(Location(clinic=pier, name="Gulfport", address_line1="2 Beach Blvd",
                            **discover.place("33707")))
    db.session.add(Location(clinic=pier, name="Denver", address_line1="3 Mile Rd",
                            **discover.place("80210")))
    discover.clinic("Bayside Myofascial", "33704", services=[(v["mfr"], 90, 135)])
    discover.clinic("Mile High Neuromuscular", "80210", services=[(v["nmt"], 60, 100)])
    db.session.commit()
    return v


def map_data(response) -> dict:
    found = DATA.findall(response.get_data(as_text=True))
    assert len(found) == 1, "one map data block"
    return json.loads(found[0])


def cards(response) -> list[tuple[str, str, str]]:
    """(card id, clinic name, profile link) of each result card, in the list's order."""
    text = response.get_data(as_text=True)
    return [(card, html.unescape(name), html.unescape(href)) for card, href, name in re.findall(
        r'<li class="card result" id="(result-\d+)">.*?<h2 class="result-title"><a href="([^"]+)">'
        r"([^<]+)</a>", text, re.S)]


def coordinates(zip_code: str) -> list[float]:
    where = discover.place(zip_code)
    return [where["latitude"], where["longitude"]]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_the_pins_are_the_listed_clinics(client, world, htmx):
    url = "/search?technique=neuromuscular-therapy"
    response = client.htmx("GET", url) if htmx else client.get(url)
    assert response.status_code == 200
    data = map_data(response)
    listed = cards(response)
    assert len(listed) == 2
    assert [(c["card"], c["name"], c["url"]) for c in data["clinics"]] == listed
    assert data["centre"] is None
    pier = next(c for c in data["clinics"] if c["name"] == "Pier Trigger Point Studio")
    # No place searched: every location of the clinic, in the order they were added.
    assert [[p["lat"], p["lng"]] for p in pier["pins"]] == [
        coordinates("33701"), coordinates("33707"), coordinates("80210")]
    assert pier["pins"][1]["label"].startswith("2 Beach Blvd, ")
    assert re.fullmatch(r"/clinics/[a-z0-9-]+\?technique=neuromuscular-therapy", pier["url"])


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_a_place_search_pins_the_centre_and_only_locations_within_the_radius(
        client, world, htmx):
    url = "/search?near=33701&radius_mi=25"
    response = client.htmx("GET", url) if htmx else client.get(url)
    data = map_data(response)
    assert [c["name"] for c in data["clinics"]] == [name for _, name, _ in cards(response)]
    assert {c["name"] for c in data["clinics"]} == {"Pier Trigger Point Studio",
                                                    "Bayside Myofascial"}
    assert data["centre"]["lat"] == pytest.approx(coordinates("33701")[0], abs=0.05)
    assert data["centre"]["lng"] == pytest.approx(coordinates("33701")[1], abs=0.05)
    assert "33701" in data["centre"]["label"]
    assert data["centre"]["radius_mi"] == 25
    pier = next(c for c in data["clinics"] if c["name"] == "Pier Trigger Point Studio")
    assert [[p["lat"], p["lng"]] for p in pier["pins"]] == [
        coordinates("33701"), coordinates("33707")]  # Denver is 1,500 miles away


def test_a_changed_filter_pins_the_new_results(client, world):
    every = client.htmx("GET", "/search?sort=price")
    assert [c["name"] for c in map_data(every)["clinics"]] == [n for _, n, _ in cards(every)]
    assert len(map_data(every)["clinics"]) == 3
    denver = client.htmx("GET", "/search?sort=price&near=Denver%2C+CO")
    pins = {c["name"]: [[p["lat"], p["lng"]] for p in c["pins"]]
            for c in map_data(denver)["clinics"]}
    # Pier's Denver branch put it in the results; its Florida locations are not pinned.
    assert pins == {"Mile High Neuromuscular": [coordinates("80210")],
                    "Pier Trigger Point Studio": [coordinates("80210")]}
    assert [c["name"] for c in map_data(denver)["clinics"]] == [n for _, n, _ in cards(denver)]


@pytest.mark.parametrize("url", ["/search?q=nothing+matches+this", "/search?radius_mi=abc",
                                 "/search?near=33701&page=99"])
def test_no_results_bad_input_and_beyond_the_end_have_no_pins(client, world, url):
    response = client.get(url)
    assert response.status_code in (200, 422)
    assert map_data(response)["clinics"] == []


def test_names_cannot_break_out_of_the_data(client, app):
    discover.clinic("</script><img src=x onerror=alert(1)> & Co", "33701")
    db.session.commit()
    response = client.get("/search?near=33701")
    text = response.get_data(as_text=True)
    assert "</script><img" not in text
    assert map_data(response)["clinics"][0]["name"] == "</script><img src=x onerror=alert(1)> & Co"


def test_the_map_box_carries_the_tile_settings(client, world):
    search = client.get("/search").get_data(as_text=True)
    assert 'aria-labelledby="search-map-title"' in search
    assert 'data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in search
    assert "OpenStreetMap</a> contributors" in html.unescape(search)
    assert "leaflet" not in client.get("/").get_data(as_text=True)


def test_leaflet_is_data_for_the_loader_not_linked(client, world):
    """The page links no Leaflet file: the map's button loads them, from the box's data."""
    search = client.get("/search?near=33701").get_data(as_text=True)
    assert not re.search(r'<(link|script)\b[^>]*leaflet', search, re.I)
    box = re.search(r'<section class="search-map"[^>]*>', search).group(0)
    styles = re.search(r'data-styles="([^"]+)"', box).group(1).split()
    scripts = re.search(r'data-scripts="([^"]+)"', box).group(1).split()
    assert [s.rsplit("/", 1)[1].split("-")[0].split(".")[0] for s in styles] == \
        ["leaflet", "MarkerCluster", "MarkerCluster"]
    assert [s.rsplit("/", 2)[1] for s in scripts] == \
        ["leaflet-1.9.4", "leaflet.markercluster-1.5.3"]
    assert all(s.startswith("/static/vendor/") for s in styles + scripts)
    assert re.search(r'<button type="button"[^>]*data-map-toggle[^>]*>Show the map</button>',
                     search)
    assert 'aria-controls="search-map-canvas" aria-expanded="false"' in search
    assert 'id="search-map-canvas"' in search


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {d.split()[0]: " ".join(d.split()[1:]) for d in policy.split("; ")}


def test_the_csp_lets_in_the_default_tile_server(client):
    for path in ("/", "/search", "/static/css/app.css"):
        with client.get(path) as response:
            assert _csp(response)["img-src"] == "'self' data: https://tile.openstreetmap.org"


@pytest.fixture
def app_with(_database, tmp_path):
    made = []

    def build(**settings):
        made.append(create_app(base_config(_database, tmp_path, **settings)))
        made[-1].test_client_class = CSRFClient
        return made[-1]

    yield build
    for app in made:
        with app.app_context():
            db.engine.dispose()


def test_a_configured_tile_server_and_its_subdomains(app_with):
    app = app_with(MAP_TILE_URL="https://{s}.tiles.example.com:8443/v1/{z}/{x}/{y}@2x.png",
                   MAP_ATTRIBUTION="© Example Maps")
    web = app.test_client()
    response = web.get("/search")
    assert _csp(response)["img-src"] == "'self' data: https://*.tiles.example.com:8443"
    assert "data-tiles=\"https://{s}.tiles.example.com:8443/v1/{z}/{x}/{y}@2x.png\"" in \
        response.get_data(as_text=True)
    assert 'data-attribution="© Example Maps"' in response.get_data(as_text=True)


def test_an_empty_tile_url_turns_the_map_off(app_with, world):
    web = app_with(MAP_TILE_URL="").test_client()
    response = web.get("/search?near=33701")
    text = response.get_data(as_text=True)
    assert _csp(response)["img-src"] == "'self' data:"
    assert "Pier Trigger Point Studio" in text
    assert "search-map" not in text
    assert "leaflet" not in text
    assert "search-map" not in web.htmx("GET", "/search?near=33701").get_data(as_text=True)


@pytest.mark.parametrize("url", ["ftp://tiles.example.com/{z}/{x}/{y}.png",
                                 "https://tiles.example.com/tile.png",
                                 "tile.openstreetmap.org/{z}/{x}/{y}.png",
                                 'https://tiles.example.com/{z}/{x}/{y}.png" onerror="x'])
def test_a_tile_url_that_is_not_a_tile_template_is_refused_at_start(tmp_path, url):
    with pytest.raises(ConfigError, match="MAP_TILE_URL"):
        create_app(base_config("sqlite://", tmp_path, MAP_TILE_URL=url))


def test_a_tile_server_needs_its_credit_line(tmp_path):
    with pytest.raises(ConfigError, match="MAP_ATTRIBUTION"):
        create_app(base_config("sqlite://", tmp_path, MAP_ATTRIBUTION=" "))
