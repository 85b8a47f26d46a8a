"""The clinic's booking page shows the client's health intake: decrypted for the
clinic's own team only, and every such view is in the audit log."""

from datetime import UTC, date, datetime

import pytest
from flask import current_app
from sqlalchemy import func, select

from marketplace.models import AuditLog, Role, db
from marketplace.services.intake import records as intake
from marketplace.services.intake.screening import IntakeAnswers, screen
from tests.support.factories import create_user

ANSWERS = IntakeAnswers(
    contraindications=frozenset({"bleeding_disorder"}),
    medications="Warfarin 5 mg daily",
    notes="Left shoulder sore after a fall.",
)


@pytest.fixture
def booked(app, create_bookable_clinic, create_booking):
    b = create_bookable_clinic()
    person = create_user(name="Jamie Rivers")
    booking = create_booking(b, client=person, starts_at=datetime(2031, 5, 20, 14, tzinfo=UTC))
    screening = screen(ANSWERS, visit_date=date(2031, 5, 20))
    intake.save_intake(client=person, clinic=b.clinic, booking=booking, answers=ANSWERS,
                       screening=screening, clearance_confirmed=False,
                       keyring=intake.keyring_for(current_app.config),
                       now=datetime(2031, 5, 1, tzinfo=UTC), consented=True)
    db.session.commit()
    return b, booking


def reads() -> int:
    return db.session.scalar(select(func.count(AuditLog.id)).where(
        AuditLog.action == "intake.read"))


def test_the_clinic_reads_the_answers_and_the_read_is_audited(client, auth, booked):
    b, booking = booked
    auth.session_for(b.owner)
    page = client.get(f"/owner/clinics/{b.clinic.slug}/bookings/{booking.reference}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Warfarin 5 mg daily" in body
    assert "Left shoulder sore after a fall." in body
    assert "A bleeding disorder, or blood-thinning medicine" in body
    assert "gentle work only" in body
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "intake.read"))
    assert entry.actor_id == b.owner.id
    assert entry.detail["booking_id"] == booking.id
    # The week view shows the outcome without decrypting anything.
    before = reads()
    week = client.get(f"/owner/clinics/{b.clinic.slug}/schedule?date=2031-05-20")
    assert "gentle work only" in week.get_data(as_text=True)
    assert "Warfarin" not in week.get_data(as_text=True)
    assert reads() == before


def test_an_admin_in_the_console_sees_the_outcome_not_the_answers(client, auth, booked):
    b, booking = booked
    auth.session_for(create_user(role=Role.ADMIN))
    page = client.get(f"/owner/clinics/{b.clinic.slug}/bookings/{booking.reference}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Warfarin" not in body
    assert "Only the clinic&#39;s own team can read" in body
    assert reads() == 0


def test_the_status_fragment_does_not_decrypt(client, auth, booked):
    b, booking = booked
    auth.session_for(b.owner)
    response = client.htmx("POST", f"/owner/clinics/{b.clinic.slug}/bookings/"
                                   f"{booking.reference}/completed")
    assert response.status_code == 409
    assert "Warfarin" not in response.get_data(as_text=True)
    assert reads() == 0


def test_the_booking_page_with_the_answers_is_never_stored(client, auth, booked):
    """Not by the browser, a proxy, nor htmx's history cache (also when the console
    navigates with hx-boost, and for the status fragment)."""
    b, booking = booked
    auth.session_for(b.owner)
    url = f"/owner/clinics/{b.clinic.slug}/bookings/{booking.reference}"
    for headers in ({}, {"HX-Request": "true", "HX-Boosted": "true"}):
        page = client.get(url, headers=headers)
        assert "Warfarin 5 mg daily" in page.get_data(as_text=True)
        assert page.headers["Cache-Control"] == "no-store"
        assert 'hx-history="false"' in page.get_data(as_text=True)
    assert "no-store" in client.htmx("GET", url).headers["Cache-Control"]
    # The console pages that show each client's screening outcome are not stored either.
    for page in (f"/owner/clinics/{b.clinic.slug}/schedule?date=2031-05-20",
                 f"/owner/clinics/{b.clinic.slug}"):
        answer = client.get(page)
        assert answer.status_code == 200
        assert answer.headers["Cache-Control"] == "no-store"
        assert 'hx-history="false"' in answer.get_data(as_text=True)
