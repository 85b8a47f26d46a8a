"""The therapist's calendar: private iCalendar subscriptions (RFC 5545) of a clinic
or of one therapist, for Google Calendar, Apple Calendar and Outlook.

An address carries a random token; only its SHA-256 is stored, so the address is
shown once, when it is made. Making a new one for the same calendar replaces the
old one (it stops at once), and turning it off stops it too; so does removing or
deactivating the therapist, or deleting the clinic. Addresses do not expire by
age: a calendar app polls the same address for years, and revoking is the control.

The feed carries visits (confirmed, and held while the client pays, as tentative)
and time off, from ``PAST_DAYS`` ago to ``AHEAD_DAYS`` ahead, in the location's own
time zone with its ``VTIMEZONE``. It never carries health answers or screening, and
a client appears as a first name and the initial of their surname.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import icalendar
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from ...models import (
    Booking,
    BookingStatus,
    CalendarFeed,
    Clinic,
    Therapist,
    TimeOff,
    User,
    db,
)
from ..audit import entries as audit
from ..common.errors import NotFound
from ..common.local_time import zone

PAST_DAYS = 30
AHEAD_DAYS = 365
REFRESH = timedelta(minutes=15)
TOKEN_BYTES = 32
SHOWN_STATUSES = (
    BookingStatus.HELD,
    BookingStatus.CONFIRMED,
    BookingStatus.COMPLETED,
    BookingStatus.NO_SHOW,
)


class FeedNotFound(NotFound):
    """An unknown, replaced or turned-off calendar address."""


@dataclass(frozen=True)
class FeedLinks:
    """The clinic's own calendar and each therapist's: the active feed, or None."""

    clinic: CalendarFeed | None
    therapists: list[tuple[Therapist, CalendarFeed | None]]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _active(clinic_id: int, therapist_id: int | None):
    return (
        CalendarFeed.clinic_id == clinic_id,
        CalendarFeed.therapist_id.is_(None) if therapist_id is None
        else CalendarFeed.therapist_id == therapist_id,
        CalendarFeed.revoked_at.is_(None),
    )


def links(clinic: Clinic) -> FeedLinks:
    """The clinic's active feeds, for the owner's page."""
    feeds = db.session.scalars(
        select(CalendarFeed).where(CalendarFeed.clinic_id == clinic.id,
                                   CalendarFeed.revoked_at.is_(None))
    ).all()
    by_therapist = {feed.therapist_id: feed for feed in feeds}
    therapists = [t for t in clinic.therapists if t.active]
    return FeedLinks(clinic=by_therapist.get(None),
                     therapists=[(t, by_therapist.get(t.id)) for t in therapists])


def issue(*, clinic: Clinic, therapist: Therapist | None, actor: User, now: datetime) -> str:
    """A new secret address for the clinic's (or one therapist's) calendar; the one it
    replaces stops working. Returns the token, which is not stored."""
    if therapist is not None and (therapist.clinic_id != clinic.id or not therapist.active):
        raise NotFound("That therapist is not on this clinic's team.")
    therapist_id = therapist.id if therapist is not None else None
    replaced = _revoke(clinic.id, therapist_id, now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    feed = CalendarFeed(clinic_id=clinic.id, therapist_id=therapist_id,
                        token_hash=token_hash(token), created_by_id=actor.id, created_at=now)
    db.session.add(feed)
    db.session.flush()
    audit.record(actor=actor, action="calendar_feed.issue", obj=feed, now=now,
                 detail={"therapist": therapist.name if therapist else None,
                         "replaced": replaced})
    return token


def revoke(*, clinic: Clinic, therapist: Therapist | None, actor: User, now: datetime) -> int:
    """Turn the calendar's address off; returns how many addresses stopped."""
    if therapist is not None and therapist.clinic_id != clinic.id:
        raise NotFound("That therapist is not on this clinic's team.")
    therapist_id = therapist.id if therapist is not None else None
    stopped = _revoke(clinic.id, therapist_id, now)
    if stopped:
        audit.record(actor=actor, action="calendar_feed.revoke", object_type="calendar_feed",
                     clinic_id=clinic.id, now=now,
                     detail={"therapist": therapist.name if therapist else None})
    return stopped


def _revoke(clinic_id: int, therapist_id: int | None, now: datetime) -> int:
    result = db.session.execute(
        update(CalendarFeed).where(*_active(clinic_id, therapist_id)).values(revoked_at=now)
    )
    return result.rowcount or 0


def feed_for_token(token: str) -> CalendarFeed:
    """The live feed the address names, else ``FeedNotFound`` (unknown, replaced,
    turned off, or its therapist no longer active)."""
    if not token or len(token) > 100:
        raise FeedNotFound("No such calendar.")
    feed = db.session.scalar(
        select(CalendarFeed).where(CalendarFeed.token_hash == token_hash(token))
    )
    if feed is None or feed.revoked_at is not None:
        raise FeedNotFound("No such calendar.")
    if feed.therapist is not None and not feed.therapist.active:
        raise FeedNotFound("No such calendar.")
    return feed


def open_feed(*, token: str, now: datetime) -> CalendarFeed:
    """The live feed the address names (``FeedNotFound`` otherwise), noting the read."""
    feed = feed_for_token(token)
    feed.last_read_at = now
    return feed


def calendar(feed: CalendarFeed, *, site_name: str, domain: str, now: datetime,
             booking_url: Callable[[str], str] | None = None) -> bytes:
    """The feed as iCalendar bytes. ``booking_url(reference)`` links each visit to the
    owner's page for it."""
    first, last = now - timedelta(days=PAST_DAYS), now + timedelta(days=AHEAD_DAYS)
    bookings = _bookings(feed, first, last, now)
    time_off = _time_off(feed, first, last)
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{site_name}//Clinic calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _title(feed, site_name))
    cal.add("x-wr-timezone", _home_zone(feed))
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH)
    for booking in bookings:
        cal.add_component(_booking_event(booking, feed, domain, now, booking_url))
    for span in time_off:
        cal.add_component(_time_off_event(span, feed, domain, now))
    cal.add_missing_timezones(first_date=first.date() - timedelta(days=1),
                              last_date=last.date() + timedelta(days=1))
    return cal.to_ical()


def _bookings(feed: CalendarFeed, first: datetime, last: datetime, now: datetime) -> list:
    query = (
        select(Booking)
        .where(Booking.clinic_id == feed.clinic_id, Booking.status.in_(SHOWN_STATUSES),
               Booking.starts_at < last, Booking.ends_at > first)
        .options(selectinload(Booking.client), selectinload(Booking.service),
                 selectinload(Booking.therapist), selectinload(Booking.location))
        .order_by(Booking.starts_at, Booking.id)
    )
    if feed.therapist_id is not None:
        query = query.where(Booking.therapist_id == feed.therapist_id)
    rows = db.session.scalars(query).all()
    # A hold whose time ran out is gone, even before the job marks it expired.
    return [b for b in rows if b.status is not BookingStatus.HELD
            or (b.hold_expires_at is not None and b.hold_expires_at > now)]


def _time_off(feed: CalendarFeed, first: datetime, last: datetime) -> list:
    query = (
        select(TimeOff).join(Therapist)
        .where(Therapist.clinic_id == feed.clinic_id, Therapist.active.is_(True),
               TimeOff.starts_at < last, TimeOff.ends_at > first)
        .options(selectinload(TimeOff.therapist))
        .order_by(TimeOff.starts_at, TimeOff.id)
    )
    if feed.therapist_id is not None:
        query = query.where(TimeOff.therapist_id == feed.therapist_id)
    return list(db.session.scalars(query).all())


def _title(feed: CalendarFeed, site_name: str) -> str:
    who = feed.therapist.name if feed.therapist is not None else feed.clinic.name
    return f"{who} ({site_name})"


def _home_zone(feed: CalendarFeed) -> str:
    return feed.clinic.timezone


def client_label(client: User | None) -> str:
    """A first name and the initial of the surname ("Maria G."), never more."""
    if client is None:
        return "Client"
    parts = client.name.split()
    if not parts:
        return "Client"
    if len(parts) == 1:
        return parts[0]
    return f"{parts[0]} {parts[-1][0]}."


def _booking_event(booking: Booking, feed: CalendarFeed, domain: str, now: datetime,
                   booking_url) -> icalendar.Event:
    tz = zone(booking.timezone)
    held = booking.status is BookingStatus.HELD
    summary = f"{booking.service.name}: {client_label(booking.client)}"
    if feed.therapist_id is None:
        summary += f" with {booking.therapist.name}"
    if booking.series_purchase_id is not None:
        summary += " (series session)"
    if held:
        summary += " (awaiting confirmation)" if booking.series_purchase_id else \
            " (awaiting payment)"
    event = icalendar.Event()
    event.add("uid", f"clinic-booking-{booking.reference}@{domain}")
    event.add("dtstamp", now)
    event.add("sequence", booking.reschedule_count)
    event.add("dtstart", booking.starts_at.astimezone(tz))
    event.add("dtend", booking.ends_at.astimezone(tz))
    event.add("summary", summary)
    event.add("status", "TENTATIVE" if held else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if booking.location is not None:
        event.add("location", f"{booking.location.name}, {booking.location.one_line}")
    lines = [f"Booking {booking.reference}: {booking.service.name} "
             f"({booking.service.duration_min} min) with {booking.therapist.name}."]
    if booking.series_purchase_id is not None:
        lines.append("A session of the client's treatment series pays for this visit.")
    if held:
        lines.append("Held while the client pays the deposit; it is released if they do not."
                     if not booking.series_purchase_id else
                     "Held while the client confirms their course; it is released if they "
                     "do not.")
    if booking_url is not None:
        url = booking_url(booking.reference)
        lines.append(url)
        event.add("url", url)
    event.add("description", "\n".join(lines))
    return event


def _time_off_event(span: TimeOff, feed: CalendarFeed, domain: str,
                    now: datetime) -> icalendar.Event:
    tz = zone(feed.clinic.timezone)
    summary = "Time off" if feed.therapist_id is not None else f"Time off: {span.therapist.name}"
    event = icalendar.Event()
    event.add("uid", f"time-off-{span.id}@{domain}")
    event.add("dtstamp", now)
    event.add("dtstart", span.starts_at.astimezone(tz))
    event.add("dtend", span.ends_at.astimezone(tz))
    event.add("summary", summary)
    if span.reason:
        event.add("description", span.reason)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event
