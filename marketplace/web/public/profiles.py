"""Clinic and therapist profiles: who treats you, what it costs, when they are free."""

from __future__ import annotations

from flask import abort, request

from ...models import utcnow
from ...services.common.errors import NotFound
from ...services.common.slugs import is_slug
from ...services.discovery import profiles
from ...services.reviews import posting as reviews
from ...services.series import offers as series_offers
from ..htmx import render
from ..loaders import published_clinic_or_404
from ..rules import booking_rules
from .base import bp, tray_clinics

MAX_ID = 2**31 - 1


def _service_id() -> int | None:
    """The ``service`` in the query string, if it is a plausible id."""
    value = request.args.get("service", type=int)
    return value if value is not None and 0 < value <= MAX_ID else None


def _technique() -> str | None:
    value = request.args.get("technique", "")
    return value if is_slug(value) else None


@bp.get("/clinics/<slug:slug>")
def clinic(slug: str):
    """A published clinic's profile; htmx asks for the open-slots block alone."""
    found = published_clinic_or_404(slug)
    profile = profiles.clinic_profile(found, now=utcnow(), rules=booking_rules(),
                                      service_id=_service_id(), technique=_technique())
    return render("public/clinic.html", "slots", profile=profile, tray=tray_clinics(),
                  series_offers=series_offers.live_offers(found), series=series_offers,
                  clinic_reviews=reviews.clinic_reviews(profile.clinic, page=1, per_page=5))


@bp.get("/therapists/<slug:therapist_slug>")
def therapist(therapist_slug: str):
    """An active therapist's profile at a published clinic."""
    try:
        found = profiles.published_therapist(therapist_slug)
    except NotFound:
        abort(404)
    profile = profiles.therapist_profile(found, now=utcnow(), rules=booking_rules(),
                                         service_id=_service_id())
    return render("public/therapist.html", "slots", profile=profile, tray=tray_clinics())
