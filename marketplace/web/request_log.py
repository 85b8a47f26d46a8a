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

from flask import Flask, g, request

log = logging.getLogger("marketplace.request")
_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


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
        # Only a user this request already loaded: logging must not query the database.
        user = g.get("_login_user")
        user_id = user.get_id() if user is not None and user.is_authenticated else None
        log.info(
            "%s %s %s", request.method, request.path, response.status_code,
            extra={"fields": {
                "request_id": g.request_id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "user_id": user_id.split(":")[0] if user_id else None,
                "remote_addr": request.remote_addr,
            }},
        )
        return response
