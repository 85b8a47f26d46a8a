"""The therapist's calendar: private iCalendar addresses, what they carry (and do not),
and when they stop working."""

from datetime import timedelta

import icalendar
import pytest
from sqlalchemy import select

from marketplace.models import AuditLog, BookingStatus, CalendarFeed, TimeOff, db
from marketplace.services.clinics import calendar_feeds as feeds
from marketplace.services.common.errors import NotFound
from marketplace.web.owner.calendar import NEW_FEED
from tests.support.factories import create_therapist, create_user


@pytest.fixture
def clinic(create_bookable_clinic):
    return create_bookable_clinic("80210")  # Denver: a zone with daylight saving


def issue_by_web(client, auth, b, therapist_id=""):
    auth.session_for(b.owner)
    response = client.post(f"/owner/clinics/{b.clinic.slug}/calendar",
                           data={"therapist": therapist_id})
    assert response.status_code == 303
    with client.session_transaction() as session:
        token = session[NEW_FEED]["token"]
    page = client.get(f"/owner/clinics/{b.clinic.slug}/calendar").get_data(as_text=True)
    return token, page


def later(now, days: float):
    """A visit's start ``days`` from now, on the minute as bookings are."""
    return (now + timedelta(days=days)).replace(second=0, microsecond=0)


def events(body: bytes) -> list:
    return icalendar.Calendar.from_ical(body).walk("VEVENT")


def test_the_address_is_shown_once_and_reads_as_a_calendar(client, auth, clinic, now,
                                                           create_booking):
    visitor = create_user(name="Maria Gonzalez Ortega")
    visit = create_booking(clinic, client=visitor, starts_at=later(now, 3))
    token, page = issue_by_web(client, auth, clinic)
    assert f"/owner/calendar/{token}.ics" in page
    again = client.get(f"/owner/clinics/{clinic.clinic.slug}/calendar").get_data(as_text=True)
    assert token not in again  # only its hash is kept
    client.post("/logout")

    response = client.get(f"/owner/calendar/{token}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "Set-Cookie" not in response.headers
    cal = icalendar.Calendar.from_ical(response.data)
    assert cal["X-WR-CALNAME"].startswith(clinic.clinic.name)
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "America/Denver"
    (event,) = cal.walk("VEVENT")
    assert event["SUMMARY"] == (f"{clinic.service.name}: Maria O. with {clinic.therapist.name}")
    assert event["DTSTART"].dt == visit.starts_at  # the same instant ...
    assert event["DTSTART"].params["TZID"] == "America/Denver"  # ... in the clinic's zone
    assert event["STATUS"] == "CONFIRMED"
    assert visit.reference in event["DESCRIPTION"]
    assert "Gonzalez" not in response.get_data(as_text=True)
    assert visitor.email not in response.get_data(as_text=True)
    feed = db.session.scalar(select(CalendarFeed))
    assert feed.last_read_at is not None


def test_the_feed_round_trips_and_is_valid_rfc_5545(clinic, now, create_booking):
    create_booking(clinic, client=create_user(), starts_at=now + timedelta(days=1))
    token = feeds.issue(clinic=clinic.clinic, therapist=None, actor=clinic.owner, now=now)
    feed = feeds.open_feed(token=token, now=now)
    body = feeds.calendar(feed, site_name="Kneaded", domain="kneaded.test", now=now)
    parsed = icalendar.Calendar.from_ical(body)
    assert parsed.to_ical() == body
    assert body.startswith(b"BEGIN:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))  # folded lines
    (event,) = parsed.walk("VEVENT")
    for required in ("UID", "DTSTAMP", "DTSTART", "DTEND"):
        assert required in event
    assert event["UID"].endswith("@kneaded.test")


def test_it_carries_holds_time_off_and_no_cancelled_visits(clinic, now, create_booking):
    day = now + timedelta(days=2)
    held = create_booking(clinic, client=create_user(name="Ann Lee"), starts_at=day,
                          status=BookingStatus.HELD, hold_expires_at=now + timedelta(minutes=9))
    create_booking(clinic, client=create_user(), starts_at=day + timedelta(hours=2),
                   status=BookingStatus.HELD, hold_expires_at=now - timedelta(minutes=1))
    create_booking(clinic, client=create_user(), starts_at=day + timedelta(hours=4),
                   status=BookingStatus.CANCELLED)
    create_booking(clinic, client=create_user(), starts_at=now + timedelta(days=400))
    db.session.add(TimeOff(therapist=clinic.therapist, starts_at=day + timedelta(days=1),
                           ends_at=day + timedelta(days=2), reason="Conference"))
    db.session.flush()
    token = feeds.issue(clinic=clinic.clinic, therapist=clinic.therapist, actor=clinic.owner,
                        now=now)
    body = feeds.calendar(feeds.open_feed(token=token, now=now), site_name="Kneaded",
                          domain="kneaded.test", now=now)
    by_summary = {str(e["SUMMARY"]): e for e in events(body)}
    assert set(by_summary) == {f"{clinic.service.name}: Ann L. (awaiting payment)", "Time off"}
    assert by_summary[f"{clinic.service.name}: Ann L. (awaiting payment)"]["STATUS"] == "TENTATIVE"
    assert held.reference in str(by_summary[f"{clinic.service.name}: Ann L. (awaiting payment)"]
                                 ["DESCRIPTION"])


def test_a_therapists_feed_holds_only_their_visits(clinic, now, create_booking):
    colleague = create_therapist(clinic.clinic)
    mine = create_booking(clinic, client=create_user(), starts_at=now + timedelta(days=1))
    create_booking(clinic, client=create_user(), starts_at=now + timedelta(days=1),
                   therapist=colleague)
    token = feeds.issue(clinic=clinic.clinic, therapist=clinic.therapist, actor=clinic.owner,
                        now=now)
    body = feeds.calendar(feeds.open_feed(token=token, now=now), site_name="K", domain="k.test",
                          now=now)
    assert [str(e["UID"]) for e in events(body)] == [f"clinic-booking-{mine.reference}@k.test"]


def test_no_health_answers_or_screening_reach_the_feed(clinic, now, create_booking):
    booking = create_booking(clinic, client=create_user(name="Sam Park"),
                             starts_at=now + timedelta(days=1))
    booking.screening_outcome = "clearance"
    token = feeds.issue(clinic=clinic.clinic, therapist=None, actor=clinic.owner, now=now)
    body = feeds.calendar(feeds.open_feed(token=token, now=now), site_name="K", domain="k.test",
                          now=now).decode()
    assert "clearance" not in body.lower()
    assert "Park" not in body


@pytest.mark.parametrize("how", ["replaced", "turned off", "therapist deactivated"])
def test_an_address_stops_working(client, auth, clinic, how):
    token, _ = issue_by_web(client, auth, clinic, therapist_id=str(clinic.therapist.id))
    assert client.get(f"/owner/calendar/{token}.ics").status_code == 200
    if how == "replaced":
        newer, _ = issue_by_web(client, auth, clinic, therapist_id=str(clinic.therapist.id))
        assert client.get(f"/owner/calendar/{newer}.ics").status_code == 200
    elif how == "turned off":
        response = client.post(f"/owner/clinics/{clinic.clinic.slug}/calendar/off",
                               data={"therapist": str(clinic.therapist.id)})
        assert response.status_code == 303
    else:
        clinic.therapist.active = False
        db.session.commit()
    assert client.get(f"/owner/calendar/{token}.ics").status_code == 404
    actions = db.session.scalars(select(AuditLog.action)).all()
    assert "calendar_feed.issue" in actions


def test_the_clinic_feed_is_independent_of_a_therapists(clinic, now):
    whole = feeds.issue(clinic=clinic.clinic, therapist=None, actor=clinic.owner, now=now)
    feeds.issue(clinic=clinic.clinic, therapist=clinic.therapist, actor=clinic.owner, now=now)
    feeds.revoke(clinic=clinic.clinic, therapist=clinic.therapist, actor=clinic.owner, now=now)
    assert feeds.open_feed(token=whole, now=now).therapist_id is None


@pytest.mark.parametrize(("token", "status"), [("x" * 43, 404), ("A" * 42, 404),
                                               ("../../etc/passwd", 404), ("%00" * 15, 400)])
def test_unknown_or_malformed_addresses_are_refused(client, token, status):
    assert client.get(f"/owner/calendar/{token}.ics").status_code == status


def test_another_owner_cannot_make_or_stop_this_clinics_addresses(client, auth, clinic,
                                                                  create_bookable_clinic):
    other = create_bookable_clinic()
    auth.session_for(other.owner)
    slug = clinic.clinic.slug
    assert client.get(f"/owner/clinics/{slug}/calendar").status_code == 404
    assert client.post(f"/owner/clinics/{slug}/calendar", data={"therapist": ""}).status_code \
        == 404
    # Their own clinic cannot name this clinic's therapist either.
    response = client.post(f"/owner/clinics/{other.clinic.slug}/calendar",
                           data={"therapist": str(clinic.therapist.id)})
    assert response.status_code == 404
    assert db.session.scalar(select(CalendarFeed)) is None


def test_the_service_refuses_a_therapist_of_another_clinic(clinic, now,
                                                           create_bookable_clinic):
    other = create_bookable_clinic()
    with pytest.raises(NotFound):
        feeds.issue(clinic=clinic.clinic, therapist=other.therapist, actor=clinic.owner, now=now)


@pytest.mark.parametrize("forged", ["abc", "99999999", "-1"])
def test_a_forged_therapist_field_is_refused(client, auth, clinic, forged):
    auth.session_for(clinic.owner)
    response = client.post(f"/owner/clinics/{clinic.clinic.slug}/calendar",
                           data={"therapist": forged})
    assert response.status_code == 404
    assert db.session.scalar(select(CalendarFeed)) is None


@pytest.mark.parametrize(("name", "label"), [("Maria Gonzalez", "Maria G."), ("Cher", "Cher"),
                                             ("  ", "Client")])
def test_client_label(app, name, label):
    assert feeds.client_label(create_user(name=name)) == label
