"""Browser tests: real Chromium (Debian's /usr/bin/chromium) driven by Playwright
against the app served on a free port, with its own database seeded with the
demo data. These tests commit for real, so each makes its own unique data."""

from __future__ import annotations

import os
import re
import struct
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, sync_playwright

from marketplace import create_app
from marketplace.config import OSM_TILE_URL
from marketplace.models import db, utcnow
from tests.conftest import base_config, migrate
from tests.support.databases import drop_database, fresh_database_url
from tests.support.servers import LiveServer

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory, localstripe, smtp_server):
    tmp = tmp_path_factory.mktemp("live")
    url = fresh_database_url(tmp, "live")
    app = create_app(
        base_config(
            url,
            tmp,
            STRIPE_API_BASE=localstripe.url,
            MAIL_BACKEND="smtp",
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=smtp_server.port,
            MAP_TILE_URL=OSM_TILE_URL,  # answered locally: see _TilesAnsweredLocally
        )
    )
    migrate(app)
    with app.app_context():
        from marketplace.demo import seed

        seed.seed_demo(now=utcnow())
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()
    drop_database(url)


@pytest.fixture(scope="session")
def live_server(live_app):
    server = LiveServer(live_app).start()
    yield server
    server.stop()


def _png(rgb: tuple[int, int, int]) -> bytes:
    """A one-pixel PNG of this colour (Leaflet stretches it to a 256 px tile)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes([0, *rgb]))) + chunk(b"IEND", b""))


BLANK_TILE = _png((232, 237, 237))
TILE_ORIGIN = "{0.scheme}://{0.netloc}/".format(urlsplit(OSM_TILE_URL))


class TileRequests(list):
    """The map tiles pages asked for, each answered with BLANK_TILE from here: no test
    ever reaches a tile server."""

    def answer(self, route) -> None:
        self.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=BLANK_TILE)


class _TilesAnsweredLocally:
    """The browser, whose every new context answers map tile requests locally."""

    def __init__(self, browser, tiles: TileRequests):
        self._browser, self._tiles = browser, tiles

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.route(lambda url: url.startswith(TILE_ORIGIN), self._tiles.answer)
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def tile_requests() -> TileRequests:
    return TileRequests()


@pytest.fixture(scope="session")
def browser(tile_requests):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make test` (it installs it) "
            "or `apt-get install chromium`."
        )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield _TilesAnsweredLocally(browser, tile_requests)
        browser.close()


# Chromium logs every 4xx answer as a console error, and htmx logs the 422s it
# swaps in; those are expected (validation errors, 404 pages), not script bugs.
_EXPECTED = re.compile(r"status of 4\d\d|Response Status Error Code 4\d\d")


def _is_real_error(msg) -> bool:
    return msg.type == "error" and not _EXPECTED.search(msg.text)


def _script_errors(errors: list[str]) -> list[str]:
    """Drop htmx's report of a request the browser aborted because the user
    navigated away (a status poll in flight when the test clicks on): htmx
    logs `htmx:sendAbort` and then `htmx:afterRequest` for it. A failed
    request without an abort still counts."""
    if not any(e.startswith("htmx:sendAbort") for e in errors):
        return errors
    return [e for e in errors if not e.startswith(("htmx:sendAbort", "htmx:afterRequest"))]


@pytest.fixture
def page(browser, live_server, artifacts_dir, request) -> Page:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if _is_real_error(msg) else None)
    yield page
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-120:]
    page.screenshot(path=str(artifacts_dir / f"{name}.png"), full_page=True)
    context.close()
    errors = _script_errors(errors)
    assert not errors, f"browser console errors: {errors}"


@pytest.fixture
def phone_page(browser, live_server, artifacts_dir, request) -> Page:
    """A phone-sized page (390 x 844, touch)."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-120:]
    page.screenshot(path=str(artifacts_dir / f"{name}-phone.png"), full_page=True)
    context.close()
