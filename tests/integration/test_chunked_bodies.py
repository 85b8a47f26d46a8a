"""A body sent in chunks, without a Content-Length, is bounded as it is read:
gunicorn (the production server) passes it on, and the app refuses it with 413
once it passes the limit (2 MB for forms, 256 kB for the Stripe webhook),
while a small chunked form is read and answered as usual."""

from __future__ import annotations

import contextlib
import http.client
import re

import pytest

from tests.support.faults import committed_app
from tests.support.servers import app_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("chunked")
    with committed_app(tmp_path, "chunked") as (_app, url), \
            app_server(url, tmp_path, workers=1) as (_process, port):
        yield port


def _chunks(total: int, size: int = 64 * 1024):
    sent = 0
    while sent < total:
        step = min(size, total - sent)
        sent += step
        yield b"x" * step


def _post_chunked(port: int, path: str, body, content_type: str,
                  cookie: str | None = None) -> tuple[int, bytes]:
    headers = {"Content-Type": content_type, "Transfer-Encoding": "chunked"}
    if cookie:
        headers["Cookie"] = cookie
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    # the server may answer and close before the rest is sent
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        connection.request("POST", path, body=body, encode_chunked=True, headers=headers)
    try:
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_an_oversized_chunked_form_is_refused(server):
    status, body = _post_chunked(server, "/login", (b"email=" + c for c in _chunks(3 << 20)),
                                 "application/x-www-form-urlencoded")
    assert status == 413
    assert b"too large" in body


def test_an_oversized_chunked_webhook_is_refused(server):
    status, body = _post_chunked(server, "/webhooks/stripe", _chunks(512 * 1024),
                                 "application/json")
    assert status == 413
    assert b"too large" in body


def test_a_chunked_form_within_the_limit_is_read_whole(server):
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=30)
    connection.request("GET", "/login")
    page = connection.getresponse()
    cookie = page.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page.read()).group(1)
    connection.close()
    # 1.5 MB in 64 kB chunks; the e-mail field comes last, so it is only seen
    # if every chunk was read.
    filler = b"note=" + b"x" * (3 << 19)
    chunks = [filler[i:i + 65536] for i in range(0, len(filler), 65536)]
    chunks += [b"&csrf_token=" + token, b"&password=p&email=nobody%40example.com"]
    status, body = _post_chunked(server, "/login", iter(chunks),
                                 "application/x-www-form-urlencoded", cookie)
    assert status == 422
    assert b"do not match an active account" in body
