"""The waitlist through the site: joining (and every bad window), leaving, the e-mailed
offer link (book it, turn it down, forged, someone else's, ended), and the owner's page."""

import email
import re
from email import policy

import pytest
from sqlalchemy import select

from marketplace.models import (
    BookingStatus,
    EntryStatus,
    OfferState,
    OutboxEmail,
    WaitlistEntry,
    WaitlistOffer,
    db,
)
from tests.support import factories
from tests.support.waitlist import fill_day, free, join, run, target_day


@pytest.fixture
def b(create_bookable_clinic):
    return create_bookable_clinic()


def join_url(b):
    return f"/clinics/{b.clinic.slug}/waitlist"


def form(b, day, last=None, **changes):
    data = {"service": b.service.id, "therapist": "any", "first_day": day.isoformat(),
            "last_day": (last or day).isoformat(), "morning": "y", "afternoon": "y"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def offer_link(user) -> str:
    """The offer's address from the e-mail the client was sent."""
    row = db.session.scalars(select(OutboxEmail).where(
        OutboxEmail.to_addr == user.email, OutboxEmail.subject.like("A time opened up%"))).one()
    body = email.message_from_bytes(row.message, policy=policy.default).get_body(
        ("plain",)).get_content()
    return re.search(r"https?://\S+(/waitlist/offers/\S+)", body).group(1)


def offered(app, b, now, client_user):
    """``client_user`` waits for a full day; a visit is cancelled; the job offers it."""
    day = target_day(b, now)
    freed = fill_day(b, day)
    entry = join(app, b, client_user, day, now=now)
    free(freed)
    run(app, now)
    return entry, offer_link(client_user)


def test_anonymous_visitors_sign_in_first_and_come_back(client, b):
    response = client.get(join_url(b) + f"?service={b.service.id}")
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["Location"]
    assert "next=" in response.headers["Location"]


def test_join_from_the_booking_page_and_leave_from_my_bookings(client, auth, b, now):
    user = factories.create_user()
    auth.session_for(user)
    day = target_day(b, now)
    page = client.get(join_url(b) + f"?service={b.service.id}&date={day.isoformat()}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f'value="{day.isoformat()}"' in text
    assert "Join the waitlist" in text

    response = client.post(join_url(b), data=form(b, day, evening="y"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/bookings#waitlist")
    entry = db.session.scalars(select(WaitlistEntry).where(
        WaitlistEntry.client_id == user.id)).one()
    assert (entry.first_day, entry.morning, entry.afternoon, entry.evening) == (
        day, True, True, True)
    mine = client.get("/bookings").get_data(as_text=True)
    assert "Your waitlists" in mine
    assert b.service.name in mine

    again = client.post(join_url(b), data=form(b, day))
    assert again.status_code == 409
    assert "already on this waitlist" in again.get_data(as_text=True)

    left = client.post(f"/waitlist/{entry.id}/leave")
    assert left.status_code == 303
    db.session.refresh(entry)
    assert entry.status is EntryStatus.LEFT


def test_the_htmx_form_answers_with_its_fragment(client, auth, b, now):
    auth.session_for(factories.create_user())
    day = target_day(b, now)
    response = client.post(join_url(b), data=form(b, day, morning=None, afternoon=None),
                           headers={"HX-Request": "true", "HX-Target": "waitlist"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "<html" not in text
    assert "Choose at least one part of the day." in text
    assert "HX-Request" in response.headers.get("Vary", "")


@pytest.mark.parametrize(("first", "last", "changes", "message"), [
    (-1, 0, {}, "Choose a first day from today on."),
    (2, 1, {}, "The last day cannot be before the first day."),
    (0, 90, {}, "Choose a last day up to"),
    (0, 1, {"morning": None, "afternoon": None}, "Choose at least one part of the day."),
    (0, 1, {"first_day": "31/12/2020"}, "Not a valid date value."),
    (0, 1, {"first_day": "9999-01-01"}, "Choose a date from the calendar."),
    (0, 1, {"service": "999999"}, "Choose one of this clinic"),
    (0, 1, {"service": "abc"}, "Choose a service."),
    (0, 1, {"therapist": "nobody"}, "Choose a therapist"),
])
def test_bad_windows_get_a_clear_message(client, auth, b, now, first, last, changes, message):
    auth.session_for(factories.create_user())
    today = target_day(b, now, 0)
    from datetime import timedelta

    data = form(b, today + timedelta(days=first), today + timedelta(days=last), **changes)
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(join_url(b), data=data)
    assert response.status_code == 422, response.status_code
    assert message in response.get_data(as_text=True).replace("&#39;", "'").replace(
        "&#8217;", "'").replace("’", "'")
    assert db.session.scalar(select(WaitlistEntry.id)) is None


def test_another_clinics_therapist_is_a_404(client, auth, b, now, create_bookable_clinic):
    other = create_bookable_clinic("80210")
    auth.session_for(factories.create_user())
    response = client.post(join_url(b), data=form(b, target_day(b, now),
                                                  therapist=str(other.therapist.id)))
    assert response.status_code == 404


def test_the_offer_link_leads_to_the_intake_of_the_held_booking(app, client, auth, b, now):
    user = factories.create_user()
    entry, link = offered(app, b, now, user)
    auth.session_for(user)
    page = client.get(link)
    assert page.status_code == 200
    assert "Book this time" in page.get_data(as_text=True)
    offer = db.session.scalars(select(WaitlistOffer)).one()
    response = client.post(link + "/accept")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/book/{offer.booking.reference}")
    checkout = client.get(response.headers["Location"])
    assert checkout.status_code == 200
    assert "health questions" in checkout.get_data(as_text=True).lower()
    db.session.refresh(offer)
    assert offer.state is OfferState.ACCEPTED
    assert offer.booking.status is BookingStatus.HELD
    assert offer.booking.client_id == user.id


def test_declining_from_the_link(app, client, auth, b, now):
    user = factories.create_user()
    entry, link = offered(app, b, now, user)
    auth.session_for(user)
    response = client.post(link + "/decline")
    assert response.status_code == 303
    offer = db.session.scalars(select(WaitlistOffer)).one()
    db.session.refresh(offer)
    assert offer.state is OfferState.DECLINED
    assert offer.booking.status is BookingStatus.CANCELLED
    ended = client.get(link)
    assert ended.status_code == 200
    assert "This offer has ended" in ended.get_data(as_text=True)
    assert client.post(link + "/accept").status_code == 409


def test_forged_and_someone_elses_links_are_404(app, client, auth, b, now):
    user = factories.create_user()
    _, link = offered(app, b, now, user)
    auth.session_for(factories.create_user())
    assert client.get(link).status_code == 404  # someone else's
    assert client.post(link + "/accept").status_code == 404
    assert client.post(link + "/decline").status_code == 404
    auth.session_for(user)
    assert client.get("/waitlist/offers/not-a-real-token").status_code == 404
    assert client.get("/waitlist/offers/" + "x" * 300).status_code == 404
    assert client.post("/waitlist/offers/forged/accept").status_code == 404
    offer = db.session.scalars(select(WaitlistOffer)).one()
    assert offer.state is OfferState.OPEN


def test_leaving_someone_elses_entry_is_404(app, client, auth, b, now):
    entry = join(app, b, factories.create_user(), target_day(b, now), now=now)
    auth.session_for(factories.create_user())
    assert client.post(f"/waitlist/{entry.id}/leave").status_code == 404
    db.session.refresh(entry)
    assert entry.status is EntryStatus.WAITING


def test_the_owner_sees_their_waitlist_only(app, client, auth, b, now, create_bookable_clinic):
    user = factories.create_user(name="Dana Waits")
    offered(app, b, now, user)
    other = create_bookable_clinic("80210")
    join(app, other, factories.create_user(name="Other Clinic Client"), target_day(other, now),
         now=now)
    auth.session_for(b.owner)
    page = client.get(f"/owner/clinics/{b.clinic.slug}/waitlist")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Dana Waits" in text
    assert "Offered, no answer yet" in text
    assert "Other Clinic Client" not in text
    fragment = client.get(f"/owner/clinics/{b.clinic.slug}/waitlist?service={b.service.id}",
                          headers={"HX-Request": "true", "HX-Target": "waitlist-rows"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.get_data(as_text=True)
    assert "Dana Waits" in fragment.get_data(as_text=True)
    bad = client.get(f"/owner/clinics/{b.clinic.slug}/waitlist?service=abc")
    assert bad.status_code == 422
    assert client.get(f"/owner/clinics/{other.clinic.slug}/waitlist").status_code == 404
