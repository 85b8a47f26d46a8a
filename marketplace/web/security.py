"""Response headers that hold on every page: a strict CSP and its companions."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, abort, g, request

from .media import image_origin

STRIPE_SCRIPT = "https://js.stripe.com"
STRIPE_FRAMES = "https://js.stripe.com https://hooks.stripe.com"
STRIPE_API = "https://api.stripe.com"


def uses_real_stripe(app: Flask) -> bool:
    """Real Stripe.js is loaded only when real publishable keys are configured."""
    key = app.config.get("STRIPE_PUBLISHABLE_KEY", "")
    return (
        key.startswith("pk_")
        and not key.endswith("_offline")
        and not app.config.get("STRIPE_API_BASE")
    )


def tile_origin(app: Flask) -> str | None:
    """The CSP source for the search map's tiles: MAP_TILE_URL's origin, a ``{s}``
    subdomain label as ``*``; None when the map is off."""
    url = app.config.get("MAP_TILE_URL") or ""
    if not url:
        return None
    parts = urlsplit(url)
    host = ".".join("*" if "{" in label else label for label in parts.netloc.split("."))
    return f"{parts.scheme}://{host}"


def content_security_policy(app: Flask) -> str:
    script, frame, connect = "'self'", "'none'", "'self'"
    img = "'self' data:"
    if tiles := tile_origin(app):
        img += f" {tiles}"
    if origin := image_origin(app.config):
        img += f" {origin}"
    if uses_real_stripe(app):
        script += f" {STRIPE_SCRIPT}"
        frame = STRIPE_FRAMES
        connect += f" {STRIPE_API}"
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script}",
            "style-src 'self'",
            f"img-src {img}",
            "font-src 'self'",
            f"connect-src {connect}",
            f"frame-src {frame}",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


NUL_REFUSED = (
    "The request contained a character we cannot accept (a NUL byte). Remove it and try again."
)


def _contains_nul() -> bool:
    if "\x00" in request.path:
        return True
    sources = [request.args]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        sources.append(request.form)
    return any("\x00" in key or "\x00" in value
               for source in sources for key, value in source.items(multi=True))


def _common_headers(app: Flask) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(app),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": "geolocation=(), camera=(), microphone=(), payment=(self)",
    }


def static_headers(app: Flask):
    """The same headers for files served ahead of Flask (WhiteNoise's header hook)."""
    common = _common_headers(app)

    def add(headers, _path: str, _url: str) -> None:
        for name, value in common.items():
            headers.setdefault(name, value)

    return add


def shows_health_data() -> None:
    """Mark this response as showing health data (decrypted intake answers, or what
    they mean): it is sent with ``Cache-Control: no-store``, so neither the browser
    nor a proxy keeps a copy, and the page carries ``hx-history="false"``, so htmx
    keeps no snapshot of it in browser storage (also when it was reached with hx-boost).
    Call it before rendering."""
    g.health_data = True


def shows_secret() -> None:
    """Mark this response as showing a secret shown once (a calendar's private address):
    kept like health data, with no copy in a cache or in htmx's history."""
    g.health_data = True


def init_security(app: Flask) -> None:
    common = _common_headers(app)

    @app.context_processor
    def _health_data():
        return {"health_data": g.get("health_data", False)}

    @app.before_request
    def _refuse_nul():
        # No text field has a use for NUL, PostgreSQL refuses it in text, and
        # it is a classic way to cut strings short in other parsers.
        if _contains_nul():
            abort(400, description=NUL_REFUSED)

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in common.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=63072000; includeSubDomains"
            )
        if g.get("health_data"):
            response.headers["Cache-Control"] = "no-store"
        return response
