"""The public blueprint and what its views share: the compare tray in the session."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Blueprint, Response, redirect, request, session, url_for

from ...models import Clinic
from ...services.booking import pricing
from ...services.clinics import policy as policy_words
from ...services.common.features import AMENITIES, LANGUAGES
from ...services.common.local_time import zone
from ...services.discovery import terms as search_terms
from ...services.discovery import tray as compare_tray
from ..htmx import is_htmx

bp = Blueprint("public", __name__)

TRAY_KEY = "compare"
CONTEXT_KEY = "compare_from"  # the technique and place of the search the tray came from


def tray_slugs() -> list[str]:
    """The visitor's compare tray (slugs), from the signed session cookie."""
    return compare_tray.clean(session.get(TRAY_KEY, []))


def save_tray(slugs: list[str]) -> None:
    """Keep the compare tray in the session."""
    session[TRAY_KEY] = compare_tray.clean(slugs)
    if not session[TRAY_KEY]:
        session.pop(CONTEXT_KEY, None)  # an empty tray starts afresh


def tray_context() -> dict[str, str]:
    """The technique and place the compare tray remembers (empty with an empty tray)."""
    if not tray_slugs():
        return {}
    return compare_tray.clean_context(session.get(CONTEXT_KEY))


def remember_context(back: str) -> None:
    """Remember the technique and place of the page a clinic was added from, if it had any
    (a profile opened from the search carries the technique only: the place stays)."""
    args = dict(parse_qsl(urlsplit(back).query))
    if not args.get("technique") and not args.get("q") and not args.get("near"):
        return
    vocabulary = search_terms.load_vocabulary()
    context = compare_tray.search_context(args, vocabulary)
    if context:
        session[CONTEXT_KEY] = {**tray_context(), **context}


@bp.app_template_global()
def compare_url(tray: list[Clinic]) -> str:
    """The comparison of the tray's clinics, priced and measured as the client searched."""
    return url_for("public.compare", c=[c.slug for c in tray], **tray_context())


def tray_clinics() -> list[Clinic]:
    """The tray's clinics that are still published (no query when it is empty)."""
    return compare_tray.published(tray_slugs())


def without_empty_params() -> Response | None:
    """A 303 to this URL without its empty parameters, when it has any.

    A GET form sent without JavaScript carries every field, filled or not
    (``?q=&technique=&near=33701``); the clean address is the one to share
    and bookmark. htmx requests drop empty fields before they are sent.
    """
    given = list(request.args.items(multi=True))
    if is_htmx() or all(value for _, value in given):
        return None
    kept = [(name, value) for name, value in given if value]
    return redirect(f"{request.path}?{urlencode(kept)}" if kept else request.path, code=303)


@bp.app_template_filter("local_iso")
def local_iso(value: datetime, tz: str) -> str:
    """ISO 8601 with the clinic's UTC offset: 2026-03-10T09:00:00-04:00."""
    return value.astimezone(zone(tz)).isoformat()


@bp.app_template_global()
def in_tray(slug: str) -> bool:
    """Whether the visitor's compare tray holds this clinic."""
    return slug in tray_slugs()


bp.add_app_template_global(compare_tray.MAX_CLINICS, "tray_max")
bp.add_app_template_global(policy_words.deposit_words, "deposit_words")
bp.add_app_template_global(policy_words.deposit_covers, "deposit_covers")
bp.add_app_template_global(policy_words.cancellation_words, "cancellation_words")
bp.add_app_template_global(policy_words.window_words, "window_words")
bp.add_app_template_global(pricing.describe, "describe_promotion")
bp.add_app_template_filter(LANGUAGES.name, "language_name")
bp.add_app_template_filter(AMENITIES.name, "amenity_name")
