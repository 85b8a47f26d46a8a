"""How clinics, slots and the vocabulary look in JSON. Times are ISO 8601 with the
clinic's own UTC offset; money is integer cents."""

from __future__ import annotations

import json

from flask import url_for

from ...models import Clinic, Condition, Modality
from ...services.availability.engine import Slot
from ...services.clinics import policy as policy_words
from ...services.common.local_time import zone
from ...services.discovery.search import Result, SearchResults
from ...services.series import offers as offers_words


def local_iso(slot: Slot | None) -> str | None:
    """A slot's start with the clinic's UTC offset, or None."""
    if slot is None:
        return None
    return slot.starts_at.astimezone(zone(slot.timezone)).isoformat()


def result(item: Result) -> dict:
    """One search result."""
    clinic, location = item.clinic, item.location
    return {
        "slug": clinic.slug,
        "name": clinic.name,
        "city": location.city if location else None,
        "state": location.state if location else None,
        "distance_mi": round(item.distance_mi, 2) if item.distance_mi is not None else None,
        "price_from_cents": item.price_from_cents,
        "price_per_60_from_cents": item.price_per_60_from_cents,
        "rating": round(clinic.rating_avg, 2) if clinic.rating_avg is not None else None,
        "review_count": clinic.review_count,
        "modalities": [m.slug for m in item.modalities],
        "matched_modalities": [m.slug for m in item.matched],
        "next_opening_at": local_iso(item.next_opening),
        "languages": [t.code for t in item.languages],
        "amenities": [t.code for t in item.amenities],
        "timezone": location.timezone if location else None,
        "url": url_for("public.clinic", slug=clinic.slug, _external=True),
    }


def search_page(results: SearchResults) -> dict:
    """A page of search results with what the search understood."""
    place = results.place
    return {
        "results": [result(r) for r in results.results],
        "total": results.total,
        "total_is_capped": results.capped,
        "page": results.page,
        "pages": results.pages,
        "per_page": results.query.per_page,
        "sort": results.sort,
        "place": {"label": place.label, "latitude": place.latitude,
                  "longitude": place.longitude} if place else None,
        "technique": results.technique.slug if results.technique else None,
        "condition": results.condition.slug if results.condition else None,
        "condition_modalities": [m.slug for m in results.condition_modalities],
        "language": results.language.code if results.language else None,
        "amenities": [t.code for t in results.amenities],
        "notes": results.notes,
    }


def _locations(clinic: Clinic) -> list[dict]:
    return [{
        "name": loc.name, "address_line1": loc.address_line1,
        "address_line2": loc.address_line2, "city": loc.city, "state": loc.state,
        "zip_code": loc.zip_code, "latitude": loc.latitude, "longitude": loc.longitude,
        "timezone": loc.timezone, "phone": loc.phone, "illustrative": loc.is_illustrative,
    } for loc in clinic.locations]


def _therapists(profile) -> list[dict]:
    return [{
        "slug": t.slug, "name": t.name, "credentials": t.credentials,
        "licence_number": t.licence_number, "licence_state": t.licence_state,
        "licence_checked": t.licence_checked_at is not None,
        "practicing_since": t.practicing_since, "modalities": [m.slug for m in t.modalities],
        "languages": t.language_codes,
    } for t in profile.therapists]


def _services(profile) -> list[dict]:
    return [{
        "id": o.service.id, "name": o.service.name, "modality": o.service.modality.slug,
        "duration_min": o.service.duration_min, "price_cents": o.service.price_cents,
        "price_per_60_cents": o.service.price_per_60_cents, "deposit_cents": o.deposit_cents,
        "includes_consultation": o.service.includes_consultation,
        "next_opening_at": local_iso(o.next_opening),
    } for o in profile.offers]


def _policy(clinic: Clinic) -> dict:
    return {
        "deposit_kind": clinic.deposit_kind.value, "deposit_value": clinic.deposit_value,
        "deposit": policy_words.deposit_words(clinic),
        "cancellation_window_hours": clinic.cancellation_window_hours,
        "cancellation": policy_words.cancellation_words(clinic),
        "text": clinic.policy_text,
    }


def _series(offers_live, words) -> list[dict]:
    return [{
        "id": o.id, "service_id": o.service_id, "service": o.service.name,
        "sessions": o.sessions, "price_cents": o.price_cents,
        "per_session_cents": words.per_session_cents(o), "saving_cents": words.saving_cents(o),
        "validity_days": o.validity_days, "refund_rule": o.refund_rule.value,
        "refund_fee_cents": o.refund_fee_cents, "late_cancel": o.late_rule.value,
        "policy": words.refund_text(o) + " " + words.late_text(
            o, o.clinic.cancellation_window_hours),
    } for o in offers_live]


def clinic_detail(profile, series_offers=()) -> dict:
    """One clinic, as its profile shows it (with its live treatment series)."""
    clinic: Clinic = profile.clinic
    return {
        "slug": clinic.slug, "name": clinic.name, "tagline": clinic.tagline,
        "description": clinic.description, "phone": clinic.phone, "website": clinic.website,
        "rating": round(clinic.rating_avg, 2) if clinic.rating_avg is not None else None,
        "review_count": clinic.review_count, "verified": clinic.verified_at is not None,
        "url": url_for("public.clinic", slug=clinic.slug, _external=True),
        "locations": _locations(clinic), "therapists": _therapists(profile),
        "services": _services(profile), "policy": _policy(clinic),
        "promotions": [{
            "code": p.code, "title": p.title, "kind": p.kind.value, "value": p.value,
            "modality": p.modality.slug if p.modality else None,
            "ends_on": p.ends_on.isoformat() if p.ends_on else None,
        } for p in profile.promotions],
        "modalities": [m.slug for m in profile.modalities],
        "conditions": [c.slug for c, _ in profile.conditions],
        "languages": [t.code for t in profile.languages],
        "amenities": [t.code for t in profile.amenities],
        "series": _series(series_offers, offers_words),
    }


def _json(value) -> str:
    """``value`` as Flask's ``jsonify`` writes it (sorted keys, ASCII, compact)."""
    return json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":"))


def day_slots_body(found) -> str:
    """A service's open slots on one day (or from ``from`` through ``to``), each with its
    therapist, as the JSON text ``jsonify`` would give for::

        {"clinic", "service": {"id", "name", "duration_min"}, "date", "from", "to",
         "timezone", "slots": [{"starts_at", "ends_at", "therapist", "therapist_name"}]}

    byte for byte (tests/unit/availability/test_slot_times.py), but written per slot from
    strings made once: the times (``slot_times``) and each therapist's part."""
    head = _json({"clinic": found.clinic.slug, "date": found.day.isoformat(),
                  "from": found.day.isoformat(),
                  "service": {"id": found.service.id, "name": found.service.name,
                              "duration_min": found.service.duration_min}})
    tail = _json({"timezone": found.timezone, "to": found.until.isoformat()})
    who = {tid: f'",{_json("therapist")}:{_json(slug)},{_json("therapist_name")}:'
                f'{_json(name)}}}'
           for tid, (slug, name) in found.therapists.items()}
    slots = ",".join([f'{{"ends_at":"{t[5]}","starts_at":"{t[4]}{who[t[1]]}'
                      for t in found.times])
    return f'{head[:-1]},"slots":[{slots}],{tail[1:]}\n'


def modality(m: Modality) -> dict:
    """A technique with its intensity and aliases."""
    return {"slug": m.slug, "name": m.name, "short_name": m.short_name,
            "intensity": m.intensity.value, "summary": m.summary,
            "aliases": [a.alias for a in m.aliases]}


def condition(c: Condition) -> dict:
    """A condition with the techniques that address it."""
    return {"slug": c.slug, "name": c.name, "summary": c.summary,
            "modalities": [m.slug for m in c.modalities]}
