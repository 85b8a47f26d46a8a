"""Booking e-mails: confirmation (with an .ics), reschedule, cancellation, a refund
when a paid slot was lost, a payment called off when its hold lapsed during the
bank's check, the day-ahead reminder, and the clinic's copies.

Everything is queued through ``services/mail.py`` in the caller's transaction,
so a rolled-back booking announces nothing; each message has a dedupe key, so
a confirmation processed twice (browser and webhook) is sent once. Texts are
Jinja templates under ``templates/email/`` rendered with the app's filters
(money, local_time, zone_abbr), so times read as the clinic's local time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from ...models import Booking, BookingStatus, ClinicMember, MemberRole, User, db, utcnow
from .. import mail
from ..common.local_time import describe_time
from . import ics


def manage_url(booking: Booking) -> str:
    """The absolute link to the booking's page under "My bookings"."""
    return mail.absolute_url("account.booking", reference=booking.reference)


def _invite(booking: Booking, *, cancelled: bool = False) -> tuple[mail.Attachment]:
    config = current_app.config
    content = ics.booking_invite(
        booking, organizer=config["MAIL_DEFAULT_SENDER"], site_name=config["SITE_NAME"],
        manage_url=manage_url(booking), now=utcnow(), cancelled=cancelled,
    )
    return (mail.Attachment(f"booking-{booking.reference}.ics", content, "text", "calendar"),)


def clinic_recipients(booking: Booking) -> list[str]:
    """Who at the clinic hears about bookings: its owners, and its own address."""
    owners = db.session.scalars(
        select(User.email)
        .join(ClinicMember, ClinicMember.user_id == User.id)
        .where(ClinicMember.clinic_id == booking.clinic_id, ClinicMember.role == MemberRole.OWNER)
        .order_by(User.email)
    ).all()
    addresses = list(owners)
    if booking.clinic.email and booking.clinic.email not in addresses:
        addresses.append(booking.clinic.email)
    return addresses


def _to_clinic(booking: Booking, template: str, subject: str, *, key: str, **context) -> None:
    for address in clinic_recipients(booking):
        mail.queue_template(to=address, subject=subject, template=template,
                            key=f"{key}:{address}", booking=booking, **context)


def _when(booking: Booking) -> str:
    return describe_time(booking.starts_at, booking.timezone)


# --- the messages --------------------------------------------------------------------------


def booking_confirmed(booking: Booking) -> None:
    """To the client with the calendar invitation; to the clinic as a new booking."""
    mail.queue_template(
        to=booking.client.email, subject=f"Booked: {booking.service.name}, {_when(booking)}",
        template="booking_confirmed", key=f"booking-confirmed:{booking.id}",
        attachments=_invite(booking), booking=booking, url=manage_url(booking))
    _to_clinic(booking, "clinic_new_booking", f"New booking {booking.reference}: {_when(booking)}",
               key=f"clinic-new:{booking.id}")


def booking_rescheduled(booking: Booking, *, previous_starts_at: datetime) -> None:
    """The new time, with an updated invitation (same event, next sequence)."""
    key = f"{booking.id}:{booking.reschedule_count}"
    mail.queue_template(
        to=booking.client.email, subject=f"Moved: {booking.service.name} is now {_when(booking)}",
        template="booking_rescheduled", key=f"booking-moved:{key}",
        attachments=_invite(booking), booking=booking, previous=previous_starts_at,
        url=manage_url(booking))
    _to_clinic(booking, "clinic_booking_moved", f"Booking {booking.reference} moved",
               key=f"clinic-moved:{key}", previous=previous_starts_at)


def booking_cancelled(booking: Booking, *, refund_cents: int, kept_cents: int) -> None:
    """What happened to the deposit, with an invitation that removes the event."""
    money = {"refund_cents": refund_cents, "kept_cents": kept_cents}
    mail.queue_template(
        to=booking.client.email, subject=f"Cancelled: {booking.service.name}, {_when(booking)}",
        template="booking_cancelled", key=f"booking-cancelled:{booking.id}",
        attachments=_invite(booking, cancelled=True), booking=booking, **money)
    _to_clinic(booking, "clinic_booking_cancelled", f"Booking {booking.reference} cancelled",
               key=f"clinic-cancelled:{booking.id}", **money)


def slot_gone_refunded(booking: Booking, *, amount_cents: int) -> None:
    """A payment arrived after the hold's slot was lost: say it is refunded."""
    if booking.client is None:
        return
    mail.queue_template(
        to=booking.client.email, subject="Your deposit was refunded",
        template="slot_gone_refunded", key=f"slot-gone:{booking.id}:{amount_cents}",
        booking=booking, amount_cents=amount_cents)


def payment_lapsed(booking: Booking) -> None:
    """The hold ran out while its payment waited for the bank's check, which was
    cancelled: nothing was charged; a link to book again. Sent once per booking."""
    if booking.client is None:
        return
    mail.queue_template(
        to=booking.client.email,
        subject=f"Not booked: your payment for {booking.clinic.name} was not completed",
        template="payment_lapsed", key=f"payment-lapsed:{booking.id}", booking=booking,
        url=mail.absolute_url("booking.start", slug=booking.clinic.slug))


def send_reminders(*, now: datetime, ahead: timedelta = timedelta(hours=24)) -> int:
    """Queue a reminder for each confirmed visit starting within ``ahead``, once. No commit."""
    due = db.session.scalars(
        select(Booking)
        .where(
            Booking.status == BookingStatus.CONFIRMED,
            Booking.reminder_sent_at.is_(None),
            Booking.starts_at > now,
            Booking.starts_at <= now + ahead,
        )
        .order_by(Booking.starts_at)
        .with_for_update(skip_locked=True)
    ).all()
    for booking in due:
        mail.queue_template(
            to=booking.client.email, subject=f"Reminder: {booking.service.name}, {_when(booking)}",
            template="booking_reminder",
            key=f"reminder:{booking.id}:{booking.starts_at:%Y%m%dT%H%M}",
            booking=booking, url=manage_url(booking))
        booking.reminder_sent_at = now
    return len(due)
