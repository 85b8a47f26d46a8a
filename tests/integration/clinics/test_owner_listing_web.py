"""Editing a listing over HTTP: each inline edit as an htmx fragment (saved, 422
with the input kept, 409 listing the bookings it would strand) and as a plain
form without JavaScript (303 with a message, or the whole page)."""

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from marketplace.models import (
    AuditLog,
    Promotion,
    Service,
    Therapist,
    TimeOff,
    WorkingHours,
    db,
    utcnow,
)
from tests.support.factories import create_modality

#: A Tuesday visit far enough ahead, 11:00-12:00 in St. Petersburg.
VISIT = datetime(2031, 3, 11, 15, tzinfo=UTC)


@pytest.fixture
def owned(client, auth, create_bookable_clinic):
    b = create_bookable_clinic()
    db.session.commit()
    auth.session_for(b.owner)
    return b


def url(b, path: str = "") -> str:
    return f"/owner/clinics/{b.clinic.slug}{path}"


def text(response) -> str:
    return response.get_data(as_text=True)


def is_fragment(response) -> bool:
    return "<html" not in text(response) and "HX-Request" in response.headers.get("Vary", "")


def therapist_form(t, prefix: str = "", **overrides) -> dict:
    data = {"name": t.name, "credentials": t.credentials, "licence_number": t.licence_number,
            "licence_state": t.licence_state, "practicing_since": str(t.practicing_since),
            "bio": t.bio, "active": "y", "modalities": [str(m.id) for m in t.modalities]}
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    return {f"{prefix}{k}": v for k, v in data.items()}


# --- profile and policy --------------------------------------------------------------------


def test_profile_saves_in_place_and_keeps_bad_input(client, owned):
    page = client.get(url(owned, "/profile"))
    assert page.status_code == 200
    assert 'hx-post="' in text(page)
    data = {"name": "Bayfront NMT", "tagline": "", "description": "Deep, careful work.",
            "phone": "727-555-0199", "email": "", "website": ""}
    saved = client.htmx("POST", url(owned, "/profile"), data=data)
    assert saved.status_code == 200
    assert is_fragment(saved)
    assert "Profile saved." in text(saved)
    db.session.refresh(owned.clinic)
    assert owned.clinic.name == "Bayfront NMT"
    bad = client.htmx("POST", url(owned, "/profile"),
                      data={**data, "name": "", "website": "javascript:alert(1)"})
    assert bad.status_code == 422
    assert is_fragment(bad)
    assert "Deep, careful work." in text(bad)
    assert "starting with https://" in text(bad)
    plain = client.post(url(owned, "/profile"), data={**data, "name": "Bayfront Two"})
    assert plain.status_code == 303
    assert "Profile saved." in text(client.get(plain.headers["Location"]))


def test_policy_needs_the_amount_its_kind_asks_for(client, owned):
    data = {"deposit_kind": "fixed", "deposit_percent": "", "deposit_amount": "",
            "cancellation_window_hours": "48", "policy_text": "Our policy.", "intake_note": ""}
    bad = client.htmx("POST", url(owned, "/policy"), data=data)
    assert bad.status_code == 422
    assert "Enter the amount." in text(bad)
    ok = client.htmx("POST", url(owned, "/policy"), data={**data, "deposit_amount": "30"})
    assert ok.status_code == 200
    assert "bookings made from now on" in text(ok)
    db.session.refresh(owned.clinic)
    assert (owned.clinic.deposit_kind.value, owned.clinic.deposit_value) == ("fixed", 3000)
    assert 'value="30"' in text(client.get(url(owned, "/policy")))


# --- therapists ----------------------------------------------------------------------------


def test_a_therapist_is_edited_in_place(client, owned):
    t = owned.therapist
    edit = client.htmx("GET", url(owned, f"/therapists/{t.id}/edit"))
    assert edit.status_code == 200
    assert is_fragment(edit)
    prefix = f"edit-{t.id}-"
    assert f'name="{prefix}name"' in text(edit)
    saved = client.htmx("POST", url(owned, f"/therapists/{t.id}/edit"),
                         data=therapist_form(t, prefix, credentials="LMT, CNMT, NCBTMB"))
    assert saved.status_code == 200
    assert "saved." in text(saved)
    assert f'id="therapist-{t.id}"' in text(saved)
    assert "<form" not in text(saved).split(
        "item-actions")[0]
    bad = client.htmx("POST", url(owned, f"/therapists/{t.id}/edit"),
                      data=therapist_form(t, prefix, name="", bio="Kept bio text"))
    assert bad.status_code == 422
    assert "Kept bio text" in text(bad)
    # Without JavaScript, Edit opens the page with that therapist as a form.
    page = client.get(url(owned, f"/therapists/{t.id}/edit"))
    assert "<html" in text(page)
    assert f'name="{prefix}name"' in text(page)


def test_deactivating_a_booked_therapist_is_refused_with_the_bookings(client, owned,
                                                                       create_booking):
    booking = create_booking(owned, starts_at=VISIT)
    db.session.commit()
    t = owned.therapist
    prefix = f"edit-{t.id}-"
    data = therapist_form(t, prefix)
    del data[f"{prefix}active"]
    refused = client.htmx("POST", url(owned, f"/therapists/{t.id}/edit"), data=data)
    assert refused.status_code == 409
    assert is_fragment(refused)
    assert booking.reference in text(refused)
    assert "cannot be made inactive" in text(refused)
    plain = client.post(url(owned, f"/therapists/{t.id}/edit"), data=data)
    assert plain.status_code == 409
    assert "<html" in text(plain)
    assert booking.reference in text(plain)
    db.session.refresh(t)
    assert t.active


def test_adding_a_therapist_returns_the_list_with_them(client, owned):
    nmt = create_modality()
    db.session.commit()
    data = {"name": "Rosa Lindqvist", "credentials": "LMT", "licence_number": "MA77001",
            "licence_state": "FL", "practicing_since": "2016", "bio": "", "active": "y",
            "modalities": [str(nmt.id)]}
    added = client.htmx("POST", url(owned, "/therapists"), data=data)
    assert added.status_code == 200
    assert is_fragment(added)
    assert "Rosa Lindqvist added." in text(added)
    assert 'id="therapists"' not in text(added)
    bad = client.htmx("POST", url(owned, "/therapists"),
                      data={**data, "name": "Second", "practicing_since": "1850"})
    assert bad.status_code == 422
    assert 'value="Second"' in text(bad)
    plain = client.post(url(owned, "/therapists"), data={**data, "name": "Third Person"})
    assert plain.status_code == 303
    names = set(db.session.scalars(select(Therapist.name).where(
        Therapist.clinic_id == owned.clinic.id)))
    assert {"Rosa Lindqvist", "Third Person"} <= names
    assert "Second" not in names


# --- services ------------------------------------------------------------------------------


def service_form(s, prefix="", **overrides) -> dict:
    data = {"name": s.name, "modality_id": str(s.modality_id), "description": "",
            "duration_min": str(s.duration_min), "price": "115", "buffer_before_min": "0",
            "buffer_after_min": "0", "active": "y",
            "therapist_ids": [str(t.id) for t in s.therapists]}
    data.update(overrides)
    return {f"{prefix}{k}": v for k, v in data.items() if v is not None}


def test_services_keep_the_price_per_hour_and_refuse_stranding(client, owned, create_booking):
    s = owned.service
    created = client.post(url(owned, "/services"), data=service_form(
        s, name="NMT, focused", duration_min="30", price="$57.50"))
    assert created.status_code == 303
    focused = db.session.scalar(select(Service).where(Service.name == "NMT, focused"))
    assert (focused.price_cents, focused.price_per_60_cents) == (5750, 11500)
    bad = client.htmx("POST", url(owned, "/services"),
                      data=service_form(s, name="Free?", price="abc"))
    assert bad.status_code == 422
    assert "Enter an amount in dollars" in text(bad)
    booking = create_booking(owned, starts_at=VISIT)
    db.session.commit()
    refused = client.htmx("POST", url(owned, f"/services/{s.id}/edit"),
                          data=service_form(s, f"edit-{s.id}-", therapist_ids=None))
    assert refused.status_code == 409
    assert booking.reference in text(refused)


# --- locations -----------------------------------------------------------------------------


def test_locations_geocode_and_the_last_one_stays(client, owned):
    loc = owned.location
    prefix = f"edit-{loc.id}-"
    data = {f"{prefix}{k}": v for k, v in {
        "name": "Main", "address_line1": "9 Bay St", "address_line2": "", "city": "",
        "zip_code": "99999", "phone": ""}.items()}
    bad = client.htmx("POST", url(owned, f"/locations/{loc.id}/edit"), data=data)
    assert bad.status_code == 422
    assert "We do not know the ZIP code 99999" in text(bad)
    assert 'value="9 Bay St"' in text(bad)
    refused = client.htmx("POST", url(owned, f"/locations/{loc.id}/delete"))
    assert refused.status_code == 409
    assert "at least one location" in text(refused)
    added = client.htmx("POST", url(owned, "/locations"), data={
        "name": "Denver annex", "address_line1": "1 Pearl St", "address_line2": "",
        "city": "", "zip_code": "80210", "phone": ""})
    assert added.status_code == 200
    assert "America/Denver" in text(added)


# --- hours and time off --------------------------------------------------------------------


def test_hours_are_added_on_several_days_and_overlaps_refused(client, owned):
    monday = next(h for h in owned.therapist.working_hours if h.weekday == 0)
    gone = client.htmx("POST", url(owned, f"/hours/{monday.id}/delete"))
    assert gone.status_code == 200
    assert "Hours removed." in text(gone)
    data = {"weekdays": ["0"], "starts": "08:00", "ends": "12:00",
            "location_id": str(owned.location.id)}
    added = client.htmx("POST", url(owned, f"/therapists/{owned.therapist.id}/hours"),
                        data=data)
    assert added.status_code == 200
    assert "Hours added." in text(added)
    overlap = client.htmx("POST", url(owned, f"/therapists/{owned.therapist.id}/hours"),
                          data={**data, "starts": "11:00", "ends": "13:00"})
    assert overlap.status_code == 422
    assert "already works" in text(overlap)
    assert 'value="11:00"' in text(overlap)
    backwards = client.htmx("POST", url(owned, f"/therapists/{owned.therapist.id}/hours"),
                            data={**data, "weekdays": ["6"], "starts": "13:00", "ends": "12:00"})
    assert backwards.status_code == 422
    assert "after the start" in text(backwards)


def test_hours_and_time_off_under_a_booking_are_refused(client, owned, create_booking):
    booking = create_booking(owned, starts_at=VISIT)
    db.session.commit()
    tuesday = next(h for h in owned.therapist.working_hours if h.weekday == 1)
    prefix = f"edit-{tuesday.id}-"
    refused = client.htmx("POST", url(owned, f"/hours/{tuesday.id}/edit"), data={
        f"{prefix}weekday": "1", f"{prefix}starts": "13:00", f"{prefix}ends": "17:00",
        f"{prefix}location_id": str(owned.location.id)})
    assert refused.status_code == 409
    assert booking.reference in text(refused)
    assert 'value="13:00"' in text(refused)  # the attempted change is still in the form
    refused = client.post(url(owned, f"/hours/{tuesday.id}/delete"))
    assert refused.status_code == 409
    assert booking.reference in text(refused)
    off = client.htmx("POST", url(owned, f"/therapists/{owned.therapist.id}/time-off"), data={
        "starts_on": "2031-03-11", "starts_time": "", "ends_on": "2031-03-11",
        "ends_time": "", "reason": "Conference"})
    assert off.status_code == 409
    assert booking.reference in text(off)
    assert db.session.scalar(select(TimeOff.id)) is None
    bad = client.htmx("POST", url(owned, f"/therapists/{owned.therapist.id}/time-off"), data={
        "starts_on": "9999-12-31", "starts_time": "", "ends_on": "not a date",
        "ends_time": "", "reason": "Conference"})
    assert bad.status_code == 422
    assert 'value="Conference"' in text(bad)


def test_time_off_is_added_in_the_clinics_zone_and_removed(client, owned):
    tomorrow = (utcnow() + timedelta(days=1)).date().isoformat()
    added = client.post(url(owned, f"/therapists/{owned.therapist.id}/time-off"), data={
        "starts_on": tomorrow, "starts_time": "12:00", "ends_on": tomorrow,
        "ends_time": "14:00", "reason": "Dentist"})
    assert added.status_code == 303
    off = db.session.scalar(select(TimeOff))
    local = off.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York"))
    assert local.time() == time(12)
    assert off.ends_at - off.starts_at == timedelta(hours=2)
    page = client.get(added.headers["Location"])
    assert "Dentist" in text(page)
    assert "Time off added." in text(page)
    removed = client.htmx("POST", url(owned, f"/time-off/{off.id}/delete"))
    assert removed.status_code == 200
    assert "Time off removed." in text(removed)
    assert db.session.scalar(select(TimeOff.id)) is None


# --- promotions ----------------------------------------------------------------------------


def test_promotions_are_added_and_codes_stay_unique(client, owned):
    data = {"code": "acu25", "title": "$25 off acupuncture", "description": "", "kind": "amount",
            "value": "25", "modality_id": "", "starts_on": "", "ends_on": "",
            "max_redemptions": "", "per_client_limit": "1", "active": "y"}
    added = client.htmx("POST", url(owned, "/promotions"), data=data)
    assert added.status_code == 200
    assert "Promotion ACU25 added." in text(added)
    promo = db.session.scalar(select(Promotion))
    assert (promo.code, promo.value, promo.kind.value) == ("ACU25", 2500, "amount")
    again = client.htmx("POST", url(owned, "/promotions"), data=data)
    assert again.status_code == 422
    assert "already have a promotion" in text(again)
    prefix = f"edit-{promo.id}-"
    edit = client.htmx("GET", url(owned, f"/promotions/{promo.id}/edit"))
    assert re.search(rf'name="{prefix}value"[^>]*value="25"', text(edit))
    saved = client.htmx("POST", url(owned, f"/promotions/{promo.id}/edit"), data={
        f"{prefix}{k}": v for k, v in {**data, "kind": "percent", "value": "15"}.items()})
    assert saved.status_code == 200
    assert "15% off" in text(saved)


def test_every_listing_change_over_http_is_audited(client, owned):
    client.post(url(owned, "/profile"), data={"name": "Audited", "description": "x"})
    client.htmx("POST", url(owned, f"/therapists/{owned.therapist.id}/time-off"), data={
        "starts_on": (utcnow() + timedelta(days=40)).date().isoformat(), "starts_time": "",
        "ends_on": (utcnow() + timedelta(days=40)).date().isoformat(), "ends_time": "",
        "reason": ""})
    entries = db.session.scalars(select(AuditLog).where(AuditLog.clinic_id == owned.clinic.id))
    assert {(e.action, e.actor_id) for e in entries} >= {
        ("clinic.profile_update", owned.owner.id), ("time_off.create", owned.owner.id)}
    assert db.session.scalar(select(WorkingHours.id).where(
        WorkingHours.therapist_id == owned.therapist.id)) is not None
