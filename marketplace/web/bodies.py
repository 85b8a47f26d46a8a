"""Request bodies sent in chunks (no Content-Length) obey the size limit.

Werkzeug bounds a streamed body by ``max_content_length`` but stops reading at
the limit without saying so, which would hand a form or a webhook its first
2 MB as if that were the whole body. Here a streamed body is read up to one
byte past the limit: over it, the request is refused with 413 like a body that
declares its size; within it, the body is served from memory with its length
known. Requests with a Content-Length are left to Werkzeug.

The limit is ``MAX_CONTENT_LENGTH`` (small) everywhere but on the views marked
``@accepts_photo``, whose limit is one photo (``PHOTO_MAX_BYTES``) and its form.
"""

from __future__ import annotations

import io
from functools import cached_property
from typing import IO

from flask import Request, current_app
from werkzeug.exceptions import RequestEntityTooLarge

_READ = 64 * 1024
#: Room for a photo form's other fields and multipart headers on top of the photo.
FORM_ROOM = 64 * 1024


def accepts_photo(view):
    """Mark a view whose form carries a photo: its body may be a photo's size."""
    view.accepts_photo = True
    return view


class BoundedRequest(Request):
    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and current_app and self.url_rule is not None:
            view = current_app.view_functions.get(self.url_rule.endpoint)
            if getattr(view, "accepts_photo", False):
                return current_app.config["PHOTO_MAX_BYTES"] + FORM_ROOM
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    @cached_property
    def stream(self) -> IO[bytes]:
        limit = self.max_content_length
        if (self.content_length is not None or limit is None
                or not self.environ.get("wsgi.input_terminated")):
            return super().stream
        raw = self.environ["wsgi.input"]
        body = bytearray()
        while len(body) <= limit:
            chunk = raw.read(min(_READ, limit + 1 - len(body)))
            if not chunk:
                return io.BytesIO(bytes(body))
            body.extend(chunk)
        raise RequestEntityTooLarge()
