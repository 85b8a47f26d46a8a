"""Everything about htmx requests lives here: header names and fragment rendering.

One template renders the whole page and, for an htmx request, just the named
block that request targets. ``Vary: HX-Request`` keeps caches from serving one
for the other.
"""

from __future__ import annotations

from flask import Response, make_response, redirect, render_template, request
from jinja2_fragments.flask import render_block

HX_REQUEST = "HX-Request"
HX_BOOSTED = "HX-Boosted"
HX_HISTORY_RESTORE = "HX-History-Restore-Request"
HX_TARGET = "HX-Target"
HX_REDIRECT = "HX-Redirect"
HX_LOCATION = "HX-Location"
HX_PUSH_URL = "HX-Push-Url"
HX_REPLACE_URL = "HX-Replace-Url"
HX_TRIGGER = "HX-Trigger"
HX_RETARGET = "HX-Retarget"
HX_RESWAP = "HX-Reswap"


def is_htmx() -> bool:
    """True for an htmx request that wants a fragment (not boosted, not a history restore)."""
    return (
        request.headers.get(HX_REQUEST) == "true"
        and request.headers.get(HX_BOOSTED) != "true"
        and request.headers.get(HX_HISTORY_RESTORE) != "true"
    )


def render(template: str, block: str | None = None, status: int = 200, **context) -> Response:
    """Render the whole page, or only ``block`` when htmx asked for a fragment."""
    if block and is_htmx():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add(HX_REQUEST)
    return response


def redirect_to(url: str) -> Response:
    """Send the browser elsewhere: ``HX-Redirect`` for htmx, a 303 otherwise."""
    if request.headers.get(HX_REQUEST) == "true" and request.headers.get(HX_BOOSTED) != "true":
        response = make_response("", 204)
        response.headers[HX_REDIRECT] = url
        return response
    return redirect(url, code=303)
