"""Calendar invitations (.ics, RFC 5545) for bookings, in the clinic's own time zone.

The event's times carry the clinic's IANA zone (``DTSTART;TZID=America/Denver``)
with a matching ``VTIMEZONE``, so a calendar anywhere shows the visit at the
right instant. One UID per booking: a moved visit updates the event
(``SEQUENCE`` goes up) and a cancelled one removes it (``METHOD:CANCEL``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import icalendar

from ...models import Booking
from ..common.local_time import zone


def booking_uid(booking: Booking, domain: str) -> str:
    """The event's UID: one per booking, so a move updates and a cancel removes it."""
    return f"booking-{booking.reference}@{domain}"


def booking_invite(
    booking: Booking,
    *,
    organizer: str,
    site_name: str,
    manage_url: str,
    now: datetime,
    cancelled: bool = False,
) -> bytes:
    """The .ics for a booking: REQUEST while it stands, CANCEL once it is cancelled."""
    tz = zone(booking.timezone)
    domain = organizer.rpartition("@")[2] or "localhost"
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{site_name}//Bookings//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = icalendar.Event()
    event.add("uid", booking_uid(booking, domain))
    event.add("sequence", booking.reschedule_count + (1 if cancelled else 0))
    event.add("dtstamp", now)
    event.add("dtstart", booking.starts_at.astimezone(tz))
    event.add("dtend", booking.ends_at.astimezone(tz))
    event.add("summary", f"{booking.service.name} at {booking.clinic.name}")
    event.add("location", _where(booking))
    event.add("description", _description(booking, manage_url))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("url", manage_url)
    event.add("organizer", f"mailto:{organizer}", parameters={"CN": site_name})
    if booking.client is not None:
        event.add("attendee", f"mailto:{booking.client.email}",
                  parameters={"CN": booking.client.name, "ROLE": "REQ-PARTICIPANT"})
    cal.add_component(event)
    visit_day = booking.starts_at.date()
    cal.add_missing_timezones(first_date=visit_day - timedelta(days=400),
                              last_date=visit_day + timedelta(days=400))
    return cal.to_ical()


def _where(booking: Booking) -> str:
    location = booking.location
    return f"{booking.clinic.name}, {location.one_line}" if location else booking.clinic.name


def _description(booking: Booking, manage_url: str) -> str:
    lines = [
        f"{booking.service.name} with {booking.therapist.name} ({booking.service.duration_min} "
        "minutes).",
        f"Booking reference: {booking.reference}.",
    ]
    if booking.clinic.phone:
        lines.append(f"Clinic phone: {booking.clinic.phone}.")
    lines.append(f"Change or cancel: {manage_url}")
    return "\n".join(lines)
