"""Booking e-mails and their calendar files: queued with the booking (never for a
rolled-back one), sent once, delivered over real SMTP, times in the clinic's zone."""

import email
import email.policy
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from sqlalchemy import func, select

from marketplace.models import OutboxEmail, Party, db
from marketplace.services import booking as bookings
from marketplace.services import mail
from marketplace.services.booking import notifications
from tests.support import factories
from tests.support.booking import (
    booking_rules,
    confirmed,
    days_ahead,
    hold,
)


def now():
    return datetime.now(UTC)


def _messages(to: str):
    rows = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_addr == to)
                              .order_by(OutboxEmail.id)).all()
    return [email.message_from_bytes(r.message, policy=email.policy.default) for r in rows]


def _calendar(message) -> icalendar.Calendar:
    part = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar")
    return icalendar.Calendar.from_ical(part.get_payload(decode=True))


def test_the_confirmation_carries_an_ics_in_the_clinics_zone(app, create_bookable_clinic,
                                                             gateway):
    b = create_bookable_clinic(zip_code="80210")  # Denver
    client = factories.create_user()
    booking = confirmed(app, b, days_ahead(b, 3, 9), client=client, gateway=gateway)
    [message] = _messages(client.email)
    assert message["Subject"].startswith("Booked:")
    text = message.get_body(preferencelist=("plain",)).get_content()
    local = booking.starts_at.astimezone(ZoneInfo("America/Denver"))
    assert f"{local:%-I:%M %p} {local.tzname()}" in text
    assert booking.reference in text
    assert "/bookings/" + booking.reference in text
    cal = _calendar(message)
    event = next(iter(cal.walk("VEVENT")))
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "America/Denver"
    assert start == booking.starts_at
    assert event.decoded("dtend") == booking.ends_at
    assert str(event["uid"]) == f"booking-{booking.reference}@kneaded.test"
    assert cal.get("method") == "REQUEST"
    assert [str(z["tzid"]) for z in cal.walk("VTIMEZONE")] == ["America/Denver"]
    owner_mail = _messages(b.owner.email)
    assert [m["Subject"] for m in owner_mail] == [
        f"New booking {booking.reference}: {notifications._when(booking)}"]


def test_a_rolled_back_booking_sends_nothing(app, create_bookable_clinic):
    b = create_bookable_clinic()
    client = factories.create_user()
    booking = hold(app, b, days_ahead(b, 3), client=client)
    db.session.commit()
    before = db.session.scalar(select(func.count(OutboxEmail.id)))
    b.clinic.deposit_value = 0
    booking.deposit_cents = 0
    bookings.confirm_without_deposit(booking, now=now())
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == before + 2  # queued...
    db.session.rollback()
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == before  # ...and gone


def test_cancellation_and_move_mails_update_the_same_calendar_event(app, create_bookable_clinic,
                                                                    gateway):
    b = create_bookable_clinic()
    client = factories.create_user()
    booking = confirmed(app, b, days_ahead(b, 3, 10), client=client, gateway=gateway)
    bookings.reschedule(booking, starts_at=days_ahead(b, 4, 11), therapist_id=None,
                        actor=client, now=now(), rules=booking_rules(app))
    db.session.commit()
    bookings.cancel(booking, by=Party.CLINIC, actor=b.owner, reason="Flooded", now=now(),
                    gateway=gateway)
    confirmation, moved, cancelled = _messages(client.email)
    uids = {str(next(iter(_calendar(m).walk("VEVENT")))["uid"])
            for m in (confirmation, moved, cancelled)}
    assert len(uids) == 1
    moved_event = next(iter(_calendar(moved).walk("VEVENT")))
    assert moved_event.decoded("dtstart") == days_ahead(b, 4, 11)
    assert int(moved_event["sequence"]) == 1
    assert _calendar(cancelled).get("method") == "CANCEL"
    text = cancelled.get_body(preferencelist=("plain",)).get_content()
    assert "had to cancel" in text
    assert "Flooded" in text
    assert "$23" in text


def test_confirmation_mail_arrives_over_smtp_with_its_ics(app, create_bookable_clinic, gateway,
                                                          smtp):
    b = create_bookable_clinic()
    client = factories.create_user()
    confirmed(app, b, days_ahead(b, 3), client=client, gateway=gateway)
    db.session.commit()
    settings = mail.MailSettings(backend="smtp", sender="bookings@kneaded.test",
                                 server="127.0.0.1", port=smtp.port)
    assert mail.deliver_pending(settings, now=now()) >= 2
    [received] = smtp.to(client.email)
    assert received["Subject"].startswith("Booked:")
    assert _calendar(received).walk("VEVENT")


def test_reminders_go_once_a_day_ahead(app, create_bookable_clinic, create_booking, runner):
    b = create_bookable_clinic()
    client = factories.create_user()
    soon = create_booking(b, starts_at=now().replace(microsecond=0) + timedelta(hours=20),
                          client=client)
    create_booking(b, starts_at=now().replace(microsecond=0) + timedelta(days=3),
                   client=client)
    db.session.commit()
    first = runner.invoke(args=["send-reminders"])
    assert "Queued 1 reminder(s)." in first.output
    assert "Queued 0 reminder(s)." in runner.invoke(args=["send-reminders"]).output
    db.session.refresh(soon)
    assert soon.reminder_sent_at is not None
    assert [m["Subject"][:9] for m in _messages(client.email)] == ["Reminder:"]
