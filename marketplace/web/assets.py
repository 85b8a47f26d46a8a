"""Static files and response compression.

Static files are served by WhiteNoise in front of Flask. ``flask digest compile``
(Flask-Static-Digest, run by ``make`` and at deploy) writes a copy of each file
under a name carrying its content's MD5 (``app-<md5>.css``) with gzip and brotli
versions beside it, and a manifest; templates link them through
``static_url_for``, so a changed file is a new URL and every copy can be cached
for good (``immutable``). Without the manifest (a fresh checkout) the plain
names are linked and cached for a few minutes only. WhiteNoise sends the
brotli or gzip copy to a browser that accepts it.

Pages, fragments and JSON are compressed per response by Flask-Compress
(brotli, else gzip) when they are large enough to gain from it.
"""

from __future__ import annotations

import re

from flask import Flask
from flask_compress import Compress
from flask_static_digest import FlaskStaticDigest
from whitenoise import WhiteNoise

from .security import static_headers

HASHED_NAME = re.compile(r"-[0-9a-f]{32}\.")
PLAIN_NAME_MAX_AGE = 300  # seconds: a file linked by its plain name may change at the next deploy

compress = Compress()
static_digest = FlaskStaticDigest()


def init_assets(app: Flask) -> None:
    app.config.setdefault("FLASK_STATIC_DIGEST_COMPRESSION", ["gzip", "brotli"])
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_LEVEL", 6)
    app.config.setdefault("COMPRESS_MIN_SIZE", 1024)
    app.config.setdefault("COMPRESS_STREAMS", False)  # CSV exports stream; leave them be
    app.config.setdefault("COMPRESS_MIMETYPES", [
        "text/html", "application/json", "text/csv", "text/calendar", "text/plain",
        "application/problem+json",
    ])
    compress.init_app(app)
    static_digest.init_app(app)
    app.wsgi_app = WhiteNoise(
        app.wsgi_app,
        root=app.static_folder,
        prefix=app.static_url_path,
        max_age=PLAIN_NAME_MAX_AGE,
        autorefresh=app.debug,
        immutable_file_test=lambda _path, url: bool(HASHED_NAME.search(url)),
        add_headers_function=static_headers(app),
    )
