"""Photos on pages: the app's media storage, the ``/media/`` route that serves local
files, and the template helpers that write ``src``/``srcset``."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, request

from ..models import Photo
from ..services.media import storage as media_storage
from ..services.media.images import ImageLimits
from ..services.media.storage import IMMUTABLE, photo_key

#: The variant each use shows first: result cards, a gallery, the photo on its own.
ROLE_WIDTHS = {"card": 400, "profile": 800, "full": 1600}


def storage() -> media_storage.Storage:
    """This app's media storage (built once from the settings)."""
    return current_app.extensions["media_storage"]


def limits() -> ImageLimits:
    return ImageLimits.from_config(current_app.config)


def photo_url(photo: Photo, role: str = "profile") -> str:
    """The address of ``photo``'s variant for ``role`` (the widest it has up to that)."""
    want = ROLE_WIDTHS[role]
    width = max((w for w in photo.widths if w <= want), default=min(photo.widths))
    return storage().url(photo_key(photo.digest, width))


def photo_srcset(photo: Photo) -> str:
    """Every variant of ``photo`` for ``srcset``, by width."""
    return ", ".join(f"{storage().url(photo_key(photo.digest, w))} {w}w" for w in photo.widths)


def image_origin(config) -> str | None:
    """The origin pages load photos from when it is not the site's own (S3), for the CSP."""
    if config.get("MEDIA_STORAGE") != "s3":
        return None
    parts = urlsplit(media_storage.public_base_url(config))
    return f"{parts.scheme}://{parts.netloc}"


def serve(key: str):
    """A stored file, cached for good (its key changes with its content)."""
    local = storage()
    if (not isinstance(local, media_storage.LocalStorage)
            or not media_storage.KEY_PATTERN.fullmatch(key)):
        abort(404)
    try:  # small files (a variant is at most 1600 px wide): read whole, no handle left open
        data = local.path(key).read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        abort(404)
    response = Response(data, mimetype="image/webp")
    response.set_etag(key.rsplit("/", 1)[-1])  # the key is the content's digest
    response.make_conditional(request)
    response.headers["Cache-Control"] = IMMUTABLE
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def init_media(app: Flask) -> None:
    app.extensions["media_storage"] = media_storage.from_config(app.config)
    app.add_template_global(photo_url)
    app.add_template_global(photo_srcset)
