"""The OpenAPI 3 document of the JSON API, served at /api/v1/openapi.json.

It is built per request so its enums list the techniques and conditions the
database holds, and its examples name a clinic that exists. A schemathesis
run against it is part of the test suite.
"""

from __future__ import annotations

from flask import jsonify
from sqlalchemy import select

from ...forms.api import SLUG
from ...forms.search import MAX_PAGE
from ...models import Clinic, ClinicStatus, Service, db
from ...services.common import catalog
from ...services.common.features import AMENITIES, LANGUAGES
from ...services.discovery.plan import RATING_PRIOR_MEAN, RATING_PRIOR_WEIGHT
from ...services.discovery.search import COUNT_CAP, MAX_PER_PAGE, MAX_RADIUS_MI, SORTS
from .base import bp

JSON = "application/json"


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {"type": "object", "required": required or list(properties),
            "properties": properties}


STRING, INTEGER, NUMBER = {"type": "string"}, {"type": "integer"}, {"type": "number"}
BOOLEAN = {"type": "boolean"}
# Free text: any character but NUL, which every request refuses (web/security.py).
TEXT = {**STRING, "pattern": "^[^\\x00]*$"}
STRINGS = SLUGS = {"type": "array", "items": STRING}
LANGUAGE = {**STRING, "enum": list(LANGUAGES.codes)}
AMENITY = {**STRING, "enum": list(AMENITIES.codes)}
LANGUAGE_CODES = {"type": "array", "items": LANGUAGE, "description": (
    "ISO 639-1 codes (ISO 639-3 where a language has none: yue Cantonese, "
    "ase American Sign Language)")}
AMENITY_CODES = {"type": "array", "items": AMENITY}
ZONED_TIME = {"type": "string", "format": "date-time",
              "description": "ISO 8601 with the clinic's UTC offset"}

ERROR = _object({"error": _object({
    "code": INTEGER, "name": STRING, "message": STRING,
    "parameter": {**STRING, "description": "the query parameter to fix (400 only)"},
    "errors": {"type": "object", "additionalProperties": {"type": "array", "items": STRING}},
}, ["code", "name", "message"])})

SEARCH_RESULT = _object({
    "slug": STRING, "name": STRING, "city": _nullable(STRING), "state": _nullable(STRING),
    "distance_mi": _nullable({**NUMBER, "description": "to the nearest location; "
                              "null unless near is given"}),
    "price_from_cents": _nullable({**INTEGER, "description": "cheapest matching session"}),
    "price_per_60_from_cents": _nullable({**INTEGER, "description":
                                          "lowest matching price per 60 minutes"}),
    "rating": _nullable({**NUMBER, "minimum": 1, "maximum": 5}),
    "review_count": {**INTEGER, "minimum": 0},
    "modalities": SLUGS, "matched_modalities": SLUGS,
    "next_opening_at": _nullable(ZONED_TIME),
    "languages": {**LANGUAGE_CODES, "description": "languages its bookable therapists speak"},
    "amenities": AMENITY_CODES, "timezone": _nullable(STRING),
    "url": {**STRING, "format": "uri"},
})

SEARCH_PAGE = _object({
    "results": {"type": "array", "items": {"$ref": "#/components/schemas/SearchResult"}},
    "total": {**INTEGER, "minimum": 0, "description": (
        "How many clinics match; when `total_is_capped` is true, at least this many: a "
        f"search with neither `near` nor `q` counts at most {COUNT_CAP:,} matches and pages "
        "through those only (add a place, a technique or words to narrow it); a search "
        "read nearest first (`near` without `q`, sorted by distance or best match) in a "
        "dense area stops counting once it has found its page and one more match, and "
        "later pages go on outward; so does a search sorted by the soonest opening in a dense "
        "area, counting the clinics open within the next hours or days, and later pages "
        "go on to later openings.")},
    "total_is_capped": {**BOOLEAN, "description": (
        f"True when more than {COUNT_CAP:,} clinics match and `total` is that cap, or when "
        "a nearest-first or soonest-first search stopped counting after its page and "
        "`total` is how many it found (more match; `pages` then reaches at least one page "
        "further).")},
    "page": {**INTEGER, "minimum": 1},
    "pages": {**INTEGER, "minimum": 1}, "per_page": {**INTEGER, "minimum": 1},
    "sort": {**STRING, "enum": list(SORTS)},
    "place": _nullable(_object({"label": STRING, "latitude": NUMBER, "longitude": NUMBER})),
    "technique": _nullable(STRING), "condition": _nullable(STRING),
    "condition_modalities": SLUGS, "language": _nullable(LANGUAGE),
    "amenities": AMENITY_CODES, "notes": {"type": "array", "items": STRING},
})

CLINIC = _object({
    "slug": STRING, "name": STRING, "tagline": _nullable(STRING), "description": STRING,
    "phone": _nullable(STRING), "website": _nullable(STRING),
    "rating": _nullable(NUMBER), "review_count": INTEGER, "verified": BOOLEAN,
    "url": {**STRING, "format": "uri"},
    "locations": {"type": "array", "items": _object({
        "name": STRING, "address_line1": STRING, "address_line2": _nullable(STRING),
        "city": STRING, "state": STRING, "zip_code": STRING, "latitude": NUMBER,
        "longitude": NUMBER, "timezone": STRING, "phone": _nullable(STRING),
        "illustrative": BOOLEAN})},
    "therapists": {"type": "array", "items": _object({
        "slug": STRING, "name": STRING, "credentials": STRING,
        "licence_number": _nullable(STRING), "licence_state": _nullable(STRING),
        "licence_checked": BOOLEAN, "practicing_since": _nullable(INTEGER),
        "modalities": SLUGS, "languages": LANGUAGE_CODES})},
    "services": {"type": "array", "items": _object({
        "id": INTEGER, "name": STRING, "modality": STRING, "duration_min": INTEGER,
        "price_cents": INTEGER, "price_per_60_cents": INTEGER, "deposit_cents": INTEGER,
        "includes_consultation": BOOLEAN, "next_opening_at": _nullable(ZONED_TIME)})},
    "policy": _object({
        "deposit_kind": {**STRING, "enum": ["percent", "fixed"]}, "deposit_value": INTEGER,
        "deposit": STRING, "cancellation_window_hours": INTEGER, "cancellation": STRING,
        "text": STRING}),
    "promotions": {"type": "array", "items": _object({
        "code": STRING, "title": STRING, "kind": {**STRING, "enum": ["amount", "percent"]},
        "value": INTEGER, "modality": _nullable(STRING),
        "ends_on": _nullable({**STRING, "format": "date"})})},
    "modalities": SLUGS, "conditions": SLUGS,
    "languages": {**LANGUAGE_CODES, "description": "languages its bookable therapists speak"},
    "amenities": AMENITY_CODES,
    "series": {"type": "array", "description": "treatment series a client can buy now",
               "items": _object({
                   "id": INTEGER, "service_id": INTEGER, "service": STRING,
                   "sessions": {**INTEGER, "minimum": 2, "maximum": 20},
                   "price_cents": INTEGER, "per_session_cents": INTEGER,
                   "saving_cents": INTEGER, "validity_days": INTEGER,
                   "refund_rule": {**STRING, "enum": ["none", "per_session",
                                                      "per_session_fee"]},
                   "refund_fee_cents": INTEGER,
                   "late_cancel": {**STRING, "enum": ["used", "returned"]},
                   "policy": STRING})},
})

AVAILABILITY = _object({
    "clinic": STRING,
    "service": _object({"id": INTEGER, "name": STRING, "duration_min": INTEGER}),
    "date": {**STRING, "format": "date"},
    "from": {**STRING, "format": "date"}, "to": {**STRING, "format": "date"},
    "timezone": STRING,
    "slots": {"type": "array", "items": _object({
        "starts_at": ZONED_TIME, "ends_at": ZONED_TIME, "therapist": STRING,
        "therapist_name": STRING})},
})

MODALITY = _object({
    "slug": STRING, "name": STRING, "short_name": _nullable(STRING),
    "intensity": {**STRING, "enum": ["gentle", "moderate", "deep"]}, "summary": STRING,
    "aliases": STRINGS})
CONDITION = _object({"slug": STRING, "name": STRING, "summary": STRING, "modalities": SLUGS})


def _query(name: str, schema: dict, description: str, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema,
            "description": description}


def _slug_parameter(example: str | None) -> dict:
    parameter = {"name": "slug", "in": "path", "required": True,
                 "schema": {**STRING, "pattern": SLUG}, "description": "the clinic's slug"}
    if example:
        parameter["example"] = example
    return parameter


def _responses(schema: str, *, not_found: bool = False) -> dict:
    error = {"content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}}}
    responses = {
        "200": {"description": "OK",
                "content": {JSON: {"schema": {"$ref": f"#/components/schemas/{schema}"}}}},
        "400": {**error, "description": "A parameter is wrong; error.parameter names it"},
        "429": {**error, "description": "Too many requests"},
        "503": {**error, "description": "The database is unavailable"},
    }
    if not_found:
        responses["404"] = {**error, "description": "No published clinic has this slug"}
    return responses


def _search_parameters(techniques: list[str], conditions: list[str]) -> list[dict]:
    return [
        _query("q", {**TEXT, "maxLength": 100}, "Free text: clinic, therapist or technique "
               "names and aliases. A technique's or condition's exact name becomes that filter."),
        _query("technique", {**STRING, "enum": techniques}, "A technique's slug"),
        _query("condition", {**STRING, "enum": conditions},
               "A condition's slug: clinics offering any technique that addresses it"),
        _query("near", {**TEXT, "maxLength": 80}, "A US ZIP code or \"City, ST\"; a place "
               "we cannot find is refused (400 naming near)"),
        _query("radius_mi", {**INTEGER, "minimum": 1, "maximum": MAX_RADIUS_MI, "default": 25},
               "Miles around near"),
        _query("max_price", {**NUMBER, "minimum": 1, "maximum": 10000, "multipleOf": 0.01},
               "Highest price per 60 minutes, in US dollars"),
        _query("available_on", {**STRING, "format": "date"},
               "Only clinics with an open slot on this date, in each clinic's own time zone. "
               "A date nobody can book (past, or beyond the booking horizon) finds no "
               "clinics, with a note saying why"),
        _query("min_rating", {**NUMBER, "minimum": 1, "maximum": 5, "multipleOf": 0.01},
               "Lowest average rating (published reviews)"),
        _query("language", LANGUAGE, "Only clinics with an active therapist who gives a "
               "bookable service (of the technique asked for, if any) in this language: an "
               "ISO 639-1 code (ISO 639-3 where there is none: yue, ase). An unknown code is "
               "refused (400 naming language)"),
        {**_query("amenity", {"type": "array", "items": AMENITY, "maxItems": len(AMENITIES.codes)},
                  "Only clinics offering every amenity given; repeat it for several "
                  "(amenity=parking&amenity=shower). An unknown one is refused (400 naming "
                  "amenity)"), "style": "form", "explode": True},
        _query("sort", {**STRING, "enum": list(SORTS), "default": "relevance"},
               "relevance, distance (needs near: refused with 400 without it), price (per 60 "
               "minutes), rating or soonest (the first opening within 14 days, clinics with "
               "none last; needs near: refused with 400 without it). "
               "rating ranks a Bayesian average: each clinic's average as if it had "
               f"{RATING_PRIOR_WEIGHT} more reviews of {RATING_PRIOR_MEAN:g} stars (so one "
               "5-star review does not outrank several 4.7s), then more reviews, then name; "
               "clinics without reviews come last"),
        _query("page", {**INTEGER, "minimum": 1, "maximum": MAX_PAGE, "default": 1}, "Page"),
        _query("per_page", {**INTEGER, "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20},
               "Clinics per page"),
    ]


def _get(summary: str, parameters: list[dict], schema: str, *, not_found: bool = False) -> dict:
    return {"get": {"summary": summary, "parameters": parameters,
                    "responses": _responses(schema, not_found=not_found)}}


def _availability_parameters(example) -> list[dict]:
    service = _query("service", {**INTEGER, "minimum": 1, "maximum": 2**31 - 1},
                     "The id of one of the clinic's services (another id is refused: 400 "
                     "naming service)", required=True)
    if example:
        service["example"] = example.id
    return [
        _slug_parameter(example.slug if example else None), service,
        _query("date", {**STRING, "format": "date"},
               "The clinic's local date (default: today there). A date that has passed there, "
               "or is beyond the booking horizon, is refused (400 naming date), and so is date "
               "given with from or to"),
        _query("from", {**STRING, "format": "date"},
               "With to: the first of several days (default: today at the clinic). A day that "
               "has passed there, or is beyond the booking horizon, is refused (400 naming "
               "from)"),
        _query("to", {**STRING, "format": "date"},
               "The last day listed, with or without from: at most 14 days from the first. "
               "Required with from; a longer run, a day before from, or a day beyond the "
               "booking horizon is refused (400 naming to)"),
        _query("therapist", {**STRING, "pattern": SLUG}, "Only this therapist (slug); one "
               "who does not give the service is refused (400 naming therapist)"),
    ]


def _paths() -> dict:
    """Every operation, with the techniques and conditions the database holds today."""
    techniques = [m.slug for m in catalog.modalities()]
    conditions = [c.slug for c in catalog.conditions()]
    example = db.session.execute(
        select(Clinic.slug, Service.id).join(Service, Service.clinic_id == Clinic.id)
        .where(Clinic.status == ClinicStatus.PUBLISHED, Service.active.is_(True))
        .order_by(Clinic.id, Service.id).limit(1)
    ).first()
    slug = _slug_parameter(example.slug if example else None)
    return {
        "/api/v1/clinics": _get("Search clinics", _search_parameters(techniques, conditions),
                               "SearchPage"),
        "/api/v1/clinics/{slug}": _get("One clinic", [slug], "Clinic", not_found=True),
        "/api/v1/clinics/{slug}/availability": _get(
            "Open slots of a service on a day, or on up to 14 days",
            _availability_parameters(example),
            "Availability", not_found=True),
        "/api/v1/modalities": _get("Techniques", [], "Modalities"),
        "/api/v1/conditions": _get("Conditions", [], "Conditions"),
    }


def document() -> dict:
    """The OpenAPI 3.0 description of /api/v1, with today's vocabulary."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Kneaded API", "version": "1.0.0",
                 "description": "Read-only search of published massage and neuromuscular "
                                "therapy clinics. Money is in cents; times carry the "
                                "clinic's UTC offset."},
        "servers": [{"url": "/"}],
        "paths": _paths(),
        "components": {"schemas": {
            "Error": ERROR, "SearchResult": SEARCH_RESULT, "SearchPage": SEARCH_PAGE,
            "Clinic": CLINIC, "Availability": AVAILABILITY,
            "Modalities": _object({"modalities": {"type": "array", "items": MODALITY}}),
            "Conditions": _object({"conditions": {"type": "array", "items": CONDITION}}),
        }},
    }


@bp.get("/openapi.json")
def openapi_document():
    """This API described as OpenAPI 3."""
    return jsonify(document())
