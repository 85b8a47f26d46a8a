"""``/api/v1/clinics``: search, one clinic, and its open slots on a day."""

from __future__ import annotations

from flask import abort, jsonify

from ...forms.api import AvailabilityForm
from ...forms.search import ApiSearchForm
from ...models import db, utcnow
from ...services.availability import day_slots
from ...services.common.errors import FieldError, NotFound
from ...services.discovery import profiles
from ...services.discovery.search import search
from ...services.series import offers as series_offers
from ..loaders import published_clinic_or_404
from ..rules import booking_rules
from . import serialize
from .base import bp, read

SEARCH_ARGS = {"q": 100, "near": 80, "technique": None, "condition": None, "radius_mi": None,
               "max_price": None, "available_on": None, "min_rating": None, "language": None,
               "amenity": None, "sort": None, "page": None, "per_page": None}
REPEATABLE = frozenset({"amenity"})  # amenity=parking&amenity=shower: clinics with both
AVAILABILITY_ARGS = {"service": None, "date": None, "therapist": None, "from": None,
                     "to": None}


@bp.get("/clinics")
def clinics():
    """Search published clinics; the parameters mirror the search page's."""
    return read(SEARCH_ARGS, ApiSearchForm, _search, serialize.search_page, REPEATABLE)


def _search(form: ApiSearchForm):
    if form.sort.data in ("distance", "soonest") and not form.near.data:
        raise FieldError("sort", f"sort={form.sort.data} needs near (a ZIP code or City, ST).")
    return search(form.to_query(), now=utcnow(), rules=booking_rules(),
                  refuse_unbookable_days=False)


@bp.get("/clinics/<slug:slug>")
def clinic(slug: str):
    """A published clinic: locations, therapists, services with deposits, policy, offers."""
    found = published_clinic_or_404(slug, message=profiles.NO_SUCH_CLINIC)
    profile = profiles.clinic_profile(found, now=utcnow(), rules=booking_rules(),
                                      with_slots=False)
    return jsonify(serialize.clinic_detail(profile, series_offers.live_offers(found)))


@bp.get("/clinics/<slug:slug>/availability")
def availability(slug: str):
    """Open slots of one service on one day (the clinic's local date), or on up to 14 days
    (``from``/``to``) in one request, by therapist. The clinic is found in the same
    statement as the service and therapist; a clinic not published is a 404 before any
    parameter is refused."""

    def query(form: AvailabilityForm):
        try:
            found = day_slots.day_slots(
                slug, service_id=form.service.data, day=form.date.data or form.first.data,
                until=form.last.data, therapist=form.therapist.data or None, now=utcnow(),
                rules=booking_rules())
        except NotFound:
            abort(404, description=profiles.NO_SUCH_CLINIC)
        if found.window_moved:  # keep the new days, as web/openings_window.py does
            db.session.commit()
        return found

    return read(AVAILABILITY_ARGS, AvailabilityForm, query, serialize.day_slots_body,
                before_refusal=lambda: published_clinic_or_404(
                    slug, message=profiles.NO_SUCH_CLINIC))
