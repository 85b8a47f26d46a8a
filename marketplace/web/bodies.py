"""Request bodies sent in chunks (no Content-Length) obey the size limit.

Werkzeug bounds a streamed body by ``max_content_length`` but stops reading at
the limit without saying so, which would hand a form or a webhook its first
2 MB as if that were the whole body. Here a streamed body is read up to one
byte past the limit: over it, the request is refused with 413 like a body that
declares its size; within it, the body is served from memory with its length
known. Requests with a Content-Length are left to Werkzeug.
"""

from __future__ import annotations

import io
from functools import cached_property
from typing import IO

from flask import Request
from werkzeug.exceptions import RequestEntityTooLarge

_READ = 64 * 1024


class BoundedRequest(Request):
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
