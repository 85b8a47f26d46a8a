"""One structured log line per request, with a request id and its duration.

The id comes from a well-formed ``X-Request-ID`` header (set by a load
balancer) or is made here; it is echoed in the response so a user's report
can be matched to the log line.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

import sqlalchemy as sa
from flask import Flask, g, request

log = logging.getLogger("marketplace.request")
_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _user_id() -> int | None:
    """The id of a user this request already loaded, read from the identity map: logging
    must not query the database (after a commit the user's attributes are expired, and
    the database may be the very thing that just failed)."""
    user = g.get("_login_user")
    state = sa.inspect(user, raiseerr=False) if user is not None else None
    identity = state.identity if state is not None else None
    return identity[0] if identity else None


class JSONFormatter(logging.Formatter):
    """Log records as one JSON object per line (fields given via ``extra={"fields": ...}``)."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {"level": record.levelname.lower(), "logger": record.name,
                   "message": record.getMessage()}
        payload.update(getattr(record, "fields", {}))
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)


def init_request_log(app: Flask) -> None:
    @app.before_request
    def _start():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _ID_RE.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response):
        started = g.get("request_started")
        if started is None:
            return response
        response.headers["X-Request-ID"] = g.request_id
        log.info(
            "%s %s %s", request.method, request.path, response.status_code,
            extra={"fields": {
                "request_id": g.request_id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "user_id": _user_id(),
                "remote_addr": request.remote_addr,
            }},
        )
        return response
