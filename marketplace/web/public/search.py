"""The search page: the same form works with and without JavaScript; htmx asks for
the results block alone and pushes the URL, so every search is shareable."""

from __future__ import annotations

from flask import request, url_for

from ...forms.search import SearchForm
from ...models import utcnow
from ...services.discovery import terms as search_terms
from ...services.discovery.pins import page_pins
from ...services.discovery.search import SearchError, SearchResults, search
from ..htmx import render
from ..rules import booking_rules
from .base import bp, tray_clinics, without_empty_params

# What a search URL may carry (never url_for's own _external, _scheme, _anchor).
#: The search's parameters, in the order its links carry them (a tuple, not a set: the
#: same search always has the same address, whatever the process's hash seed).
SEARCH_PARAMS = ("q", "technique", "condition", "near", "radius_mi", "max_price",
                 "available_on", "min_rating", "language", "amenity", "sort")


@bp.get("/search")
def search_page():
    """Search results, filtered, sorted and paginated from the query string."""
    if clean := without_empty_params():
        return clean
    vocabulary = search_terms.load_vocabulary()
    form = SearchForm(request.args)
    form.vocabulary_choices(vocabulary)
    results, sort_changed = None, False
    if form.validate():
        try:
            results = search(form.to_query(), now=utcnow(), rules=booking_rules(),
                             vocabulary=vocabulary)
        except SearchError as exc:
            getattr(form, exc.field).errors = [str(exc)]
        else:  # the sort box shows the sort that applied, as the header names it
            sort_changed, form.sort.data = form.sort.data != results.sort, results.sort
    status = 422 if form.errors else 200
    return render("public/search.html", "results", status=status, form=form, results=results,
                  tray=tray_clinics(), sort_changed=sort_changed)


@bp.app_template_global()
def search_url(**changes) -> str:
    """This search's URL with some parameters changed (``None`` drops one), from page 1.
    A parameter given several times (``amenity``) keeps every value."""
    args = {k: [v for v in request.args.getlist(k) if v != ""] for k in SEARCH_PARAMS}
    args = {k: v for k, v in args.items() if v}
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = value
    return url_for("public.search_page", **args)


@bp.app_template_global()
def search_map(results: SearchResults | None) -> dict:
    """What the search map draws for a page of results (JSON in the page, read by
    static/js/search-map.js): each clinic's pins, its card and profile link, and the place
    searched. Nothing for a search that did not run."""
    if results is None or results.beyond_the_end:
        return {"centre": None, "clinics": []}
    technique = results.technique.slug if results.technique else None
    place = results.place
    return {
        "centre": place and {"lat": place.latitude, "lng": place.longitude,
                             "label": place.label, "radius_mi": results.query.radius_mi},
        "clinics": [{
            "card": f"result-{c.clinic_id}", "name": c.name,
            "url": url_for("public.clinic", slug=c.slug, technique=technique),
            "pins": [{"lat": p.latitude, "lng": p.longitude, "label": p.label}
                     for p in c.pins],
        } for c in page_pins(results)],
    }
