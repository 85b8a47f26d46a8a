"""Static files under content-hashed names, cached for good and sent compressed; pages,
fragments and JSON compressed per response."""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import hashlib
import io
import re

import brotli
import pytest

from marketplace import create_app
from marketplace.models import db, utcnow
from tests.conftest import ROOT, base_config

STATIC = ROOT / "static"
FOREVER = "max-age=315360000, public, immutable"


def _compile_static() -> None:
    """What ``make assets`` does (``flask digest compile``), for a run without make."""
    from flask_static_digest.digester import compile as digest

    with (ROOT / "instance").joinpath(".assets.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with contextlib.redirect_stdout(io.StringIO()):
            digest(str(STATIC), str(STATIC), [], True, True)


@pytest.fixture(scope="module")
def web(_app, _database, tmp_path_factory):
    """An app made after the static files were compiled, so it links the hashed names."""
    (ROOT / "instance").mkdir(exist_ok=True)
    _compile_static()
    app = create_app(base_config(_database, tmp_path_factory.mktemp("assets")))
    yield app.test_client()
    with app.app_context():
        db.engine.dispose()  # its connections closed here, not left to the garbage collector


def _hashed(name: str) -> str:
    digest = hashlib.md5((STATIC / name).read_bytes()).hexdigest()  # noqa: S324 (a name, not a secret)
    stem, dot, ext = name.rpartition(".")
    return f"/static/{stem}-{digest}{dot}{ext}"


def test_pages_link_each_static_file_by_its_content_hash(web):
    page = web.get("/").get_data(as_text=True)
    for name in ("css/app.css", "js/app.js", "vendor/htmx-2.0.11.min.js", "favicon.svg"):
        assert f'"{_hashed(name)}"' in page, name
    assert not re.search(r'"/static/css/app\.css"', page)


LEAFLET = ("vendor/leaflet-1.9.4/leaflet.js", "vendor/leaflet-1.9.4/leaflet.css",
           "vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js",
           "vendor/leaflet.markercluster-1.5.3/MarkerCluster.css",
           "vendor/leaflet.markercluster-1.5.3/MarkerCluster.Default.css", "js/search-map.js")


def test_the_map_files_are_named_by_content_hash_for_the_loader_only(web):
    """The search page links search-map.js; Leaflet's files are only data for it to load
    when the map is asked for, never a <link> or <script> of the page."""
    search = web.get("/search").get_data(as_text=True)
    home = web.get("/").get_data(as_text=True)
    styles = re.search(r' data-styles="([^"]+)"', search).group(1).split()
    scripts = re.search(r' data-scripts="([^"]+)"', search).group(1).split()
    assert styles == [_hashed(name) for name in LEAFLET[1:2] + LEAFLET[3:5]]
    assert scripts == [_hashed(LEAFLET[0]), _hashed(LEAFLET[2])]
    assert f'<script src="{_hashed(LEAFLET[5])}" defer></script>' in search
    for name in LEAFLET[:5]:
        assert f'href="{_hashed(name)}"' not in search, name
        assert f'src="{_hashed(name)}"' not in search, name
    assert not re.search(r'<(link|script)[^>]+(href|src)="[^"]*leaflet', search, re.I)
    for name in LEAFLET:
        assert _hashed(name) not in home, name


FIRST_VISIT_BUDGET = 40_000  # bytes on the wire: benchmarks/README.md


def test_the_first_visit_to_a_search_stays_under_budget(web, app):
    """The demo search as a new browser fetches it, brotli as served: the page and every
    stylesheet and script it links. The map's files come only when asked for."""
    from marketplace.demo import seed

    seed.seed_demo(now=utcnow())
    db.session.commit()
    accept = {"Accept-Encoding": "gzip, deflate, br"}
    page = web.get("/search?near=33701&radius_mi=25", headers=accept)
    assert page.status_code == 200
    assert page.headers["Content-Encoding"] == "br"
    html = brotli.decompress(page.get_data()).decode()
    assert html.count('class="card result') >= 5  # the demo clinics near 33701
    linked = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) + \
        re.findall(r'<script src="([^"]+)"', html)
    assert {_hashed(n) for n in ("css/app.css", "js/app.js", "vendor/htmx-2.0.11.min.js",
                                 "js/search-map.js")} <= set(linked)
    sizes = {"page": len(page.get_data())}
    for url in linked:
        with web.get(url, headers=accept) as response:
            assert response.status_code == 200, url
            assert response.headers["Content-Encoding"] == "br", url
            sizes[url] = len(response.get_data())
    assert sum(sizes.values()) < FIRST_VISIT_BUDGET, sizes


@pytest.mark.parametrize(("encoding", "decode"), [
    ("br", brotli.decompress), ("gzip", gzip.decompress), ("identity", lambda body: body)])
def test_a_hashed_file_is_cached_for_good_and_sent_compressed(web, encoding, decode):
    original = (STATIC / "vendor/htmx-2.0.11.min.js").read_bytes()
    with web.get(_hashed("vendor/htmx-2.0.11.min.js"),
                 headers={"Accept-Encoding": encoding}) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == FOREVER
        assert response.headers.get("Content-Encoding", "identity") == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        body = response.get_data()
    assert decode(body) == original
    if encoding != "identity":
        assert len(body) < len(original) / 3


def test_a_file_asked_for_by_its_plain_name_is_cached_briefly(web):
    with web.get("/static/css/app.css") as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "max-age=300, public"


def test_pages_and_json_are_compressed_for_browsers_that_accept_it(web):
    plain = web.get("/search", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    squeezed = web.get("/search", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert squeezed.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in squeezed.headers["Vary"]
    html = brotli.decompress(squeezed.get_data()).decode()
    assert "</html>" in html
    assert len(squeezed.get_data()) < len(plain.get_data()) / 2
    api = web.get("/api/v1/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert api.headers["Content-Encoding"] == "gzip"
    assert b'"openapi"' in gzip.decompress(api.get_data())


def test_small_answers_are_left_as_they_are(web):
    response = web.get("/healthz", headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
