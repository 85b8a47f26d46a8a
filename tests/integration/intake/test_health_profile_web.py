"""The health profile page, the consent on the intake step, withdrawing it from My
bookings and the profile page, and what the clinic's booking page then says."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select

from marketplace.models import AuditLog, IntakeRecord, db
from marketplace.services.intake import profile as health_profile
from marketplace.services.intake import records as intake
from marketplace.services.intake.screening import IntakeAnswers, screen
from tests.support import factories
from tests.support.booking import days_ahead, hold

PAGE = "/account/health-profile"
ANSWERS = IntakeAnswers(medications="Ibuprofen now and then", notes="Left shoulder sore")


def _keyring():
    return intake.keyring_for(current_app.config)


def _shared_visit(b, client, starts, given):
    booking = factories.create_booking(b, client=client, starts_at=starts)
    intake.save_intake(client=client, clinic=b.clinic, booking=booking, answers=ANSWERS,
                       screening=screen(ANSWERS, visit_date=starts.date()),
                       clearance_confirmed=False, keyring=_keyring(), now=given,
                       consented=True)
    db.session.commit()
    return booking


def _owner_page(client, auth, b, booking) -> str:
    auth.session_for(b.owner)
    page = client.get(f"/owner/clinics/{b.clinic.slug}/bookings/{booking.reference}")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_the_client_fills_reviews_updates_and_deletes_their_profile(app, client, auth):
    person = factories.create_user()
    auth.session_for(person)
    empty = client.get(PAGE)
    assert empty.status_code == 200
    assert "You have no health profile yet" in empty.get_data(as_text=True)
    assert 'hx-history="false"' in empty.get_data(as_text=True)
    assert "no-store" in empty.headers["Cache-Control"]
    saved = client.post(PAGE, data={"medications": "Vitamin D", "notes": "Left knee"})
    assert saved.status_code == 303
    page = client.get(PAGE).get_data(as_text=True)
    assert "Your health profile is saved" in page
    assert "Vitamin D" in page
    assert "Last updated" in page
    # htmx swaps the profile's panel in place.
    fragment = client.htmx("POST", PAGE, data={"medications": "Vitamin D and iron"})
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200
    assert "<html" not in text
    assert "Vitamin D and iron" in text
    assert health_profile.read_profile(person, keyring=_keyring())[0].medications == (
        "Vitamin D and iron")
    deleted = client.post(f"{PAGE}/delete")
    assert deleted.status_code == 303
    assert "Your health profile is deleted" in client.get(PAGE).get_data(as_text=True)
    assert health_profile.profile_of(person) is None


def test_bad_profile_input_is_refused_with_what_was_typed_and_nothing_lost(app, client, auth):
    person = factories.create_user()
    auth.session_for(person)
    client.post(PAGE, data={"medications": "Vitamin D"})
    refused = client.post(PAGE, data={"recent_surgery": "y", "surgery_date": "yesterday-ish",
                                      "notes": "My knee", "medications": "x" * 5000})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "year-month-day" in text
    assert "My knee" in text
    assert health_profile.read_profile(person, keyring=_keyring())[0].medications == "Vitamin D"


def test_the_intake_step_needs_consent_naming_the_clinic(app, client, auth, now,
                                                          create_bookable_clinic):
    b = create_bookable_clinic()
    person = factories.create_user()
    booking = hold(app, b, days_ahead(b, 3, now=now), client=person, now=now, screened=False)
    db.session.commit()
    auth.session_for(person)
    url = f"/book/{booking.reference}/intake"
    page = client.get(url).get_data(as_text=True)
    assert f"Share my answers with {b.clinic.name} for this booking" in page
    assert re.search(r'name="keep_profile"[^>]*checked|checked[^>]*name="keep_profile"', page)
    refused = client.post(url, data={"medications": "Vitamin D"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert f"Tick this to share your answers with {b.clinic.name}" in text
    assert "Vitamin D" in text
    assert db.session.scalar(select(func.count(IntakeRecord.id))) == 0
    assert health_profile.profile_of(person) is None
    shared = client.post(url, data={"medications": "Vitamin D", "share_consent": "y",
                                    "keep_profile": "y"})
    assert shared.status_code == 303
    assert health_profile.read_profile(person, keyring=_keyring())[0].medications == "Vitamin D"


def test_the_profile_prefills_the_next_booking_and_must_be_confirmed(
        app, client, auth, now, create_bookable_clinic):
    b = create_bookable_clinic()
    person = factories.create_user()
    health_profile.save_profile(client=person, answers=ANSWERS, keyring=_keyring(),
                                now=now - timedelta(days=20))
    booking = hold(app, b, days_ahead(b, 3, now=now), client=person, now=now, screened=False)
    db.session.commit()
    auth.session_for(person)
    url = f"/book/{booking.reference}/intake"
    page = client.get(url).get_data(as_text=True)
    assert "From your health profile, last updated on" in page
    assert "Ibuprofen now and then" in page
    unconfirmed = client.post(url, data={"medications": "Ibuprofen now and then",
                                         "share_consent": "y"})
    assert unconfirmed.status_code == 422
    assert "still true today" in unconfirmed.get_data(as_text=True)
    confirmed = client.post(url, data={"medications": "Ibuprofen now and then",
                                       "share_consent": "y", "answers_confirmed": "y"})
    assert confirmed.status_code == 303
    # keep_profile unticked (not sent): the profile stays as it was.
    assert health_profile.read_profile(person, keyring=_keyring())[0] == ANSWERS


def test_the_owner_sees_shared_answers_until_the_client_withdraws(app, client, auth, now,
                                                                  create_bookable_clinic):
    b = create_bookable_clinic()
    person = factories.create_user()
    booking = _shared_visit(b, person, now + timedelta(days=5), now)
    assert "Left shoulder sore" in _owner_page(client, auth, b, booking)
    # The client sees the read and withdraws from the booking's page.
    auth.session_for(person)
    mine = client.get(PAGE).get_data(as_text=True)
    assert "When clinics opened your answers" in mine
    assert b.clinic.name in mine
    assert booking.reference in mine
    detail = client.get(f"/bookings/{booking.reference}").get_data(as_text=True)
    assert f"Stop sharing my answers with {b.clinic.name}" in detail
    withdrawn = client.post(f"/bookings/{booking.reference}/withdraw-consent")
    assert withdrawn.status_code == 303
    assert "can no longer read" in client.get(f"/bookings/{booking.reference}").get_data(
        as_text=True)
    reads = db.session.scalar(select(func.count(AuditLog.id)).where(
        AuditLog.action == "intake.read"))
    owner_view = _owner_page(client, auth, b, booking)
    assert "Answers withheld by the client" in owner_view
    assert "Left shoulder sore" not in owner_view
    assert db.session.scalar(select(func.count(AuditLog.id)).where(
        AuditLog.action == "intake.read")) == reads  # nothing read, nothing logged
    # Withdrawing again says so, without an error page.
    auth.session_for(person)
    again = client.post(f"/bookings/{booking.reference}/withdraw-consent",
                        follow_redirects=True)
    assert again.status_code == 200


def test_after_the_retention_period_the_clinic_is_told_the_answers_are_gone(
        app, client, auth, now, create_bookable_clinic):
    b = create_bookable_clinic()
    person = factories.create_user()
    days = current_app.config["INTAKE_CLINIC_ACCESS_DAYS"]
    starts = now - timedelta(days=days + 2)
    booking = _shared_visit(b, person, starts, starts - timedelta(days=3))
    page = _owner_page(client, auth, b, booking)
    assert "no longer available to the clinic" in page
    assert "Left shoulder sore" not in page
    recent = _shared_visit(b, person, now - timedelta(days=days - 2), now - timedelta(days=days))
    assert "Left shoulder sore" in _owner_page(client, auth, b, recent)


def test_stopping_sharing_with_a_clinic_from_the_profile_page(app, client, auth, now,
                                                               create_bookable_clinic):
    b = create_bookable_clinic()
    person = factories.create_user()
    first = _shared_visit(b, person, now + timedelta(days=4), now)
    second = _shared_visit(b, person, now + timedelta(days=9), now)
    auth.session_for(person)
    page = client.get(PAGE).get_data(as_text=True)
    assert f"Stop sharing with {b.clinic.name}" in page
    done = client.post(f"{PAGE}/clinics/{b.clinic.slug}/withdraw", follow_redirects=True)
    assert done.status_code == 200
    assert "(2 bookings)" in done.get_data(as_text=True)
    assert "No clinic can read your answers now." in done.get_data(as_text=True)
    for booking in (first, second):
        assert "Answers withheld by the client" in _owner_page(client, auth, b, booking)
    auth.session_for(person)
    assert client.post(f"{PAGE}/clinics/no-such-clinic/withdraw").status_code == 404


def test_another_clinic_never_sees_the_booking_or_its_answers(app, client, auth, now,
                                                               create_bookable_clinic):
    b = create_bookable_clinic()
    stranger = create_bookable_clinic()
    person = factories.create_user()
    booking = _shared_visit(b, person, now + timedelta(days=5), now)
    auth.session_for(stranger.owner)
    hidden = client.get(f"/owner/clinics/{b.clinic.slug}/bookings/{booking.reference}")
    assert hidden.status_code in (403, 404)
    other = client.get(f"/owner/clinics/{stranger.clinic.slug}/bookings/{booking.reference}")
    assert other.status_code == 404
    assert "Left shoulder sore" not in other.get_data(as_text=True)


@pytest.mark.parametrize("field", ["medications", "notes", "surgery_date", "trimester"])
def test_hostile_profile_input_never_breaks_the_page(app, client, auth, field):
    auth.session_for(factories.create_user())
    for value in ("\x00", "<script>alert(1)</script>", "9" * 300, "\u202eevil"):
        answer = client.post(PAGE, data={field: value, "pregnant": "y"})
        assert answer.status_code in (303, 400, 422), (field, value, answer.status_code)
