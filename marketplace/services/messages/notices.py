"""The e-mail that tells one side of a thread the other side wrote.

It names the clinic and links to the thread, and never carries the message or
the subject (either may hold health details). A side is e-mailed at most once
per thread until it reads the thread: ``*_notified_at`` is set when it is
e-mailed, and a new e-mail is due only once its ``*_read_at`` has caught up.
Queued through ``services/mail.py`` in the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ...models import ClinicMember, MemberRole, Message, MessageThread, User, db
from .. import mail


def tell_other_side(thread: MessageThread, message: Message, *, now: datetime) -> int:
    """Queue the notice for the side that did not write ``message``, if one is due.
    Returns the number of e-mails queued."""
    if message.from_clinic:
        if not due(thread.client_notified_at, thread.client_read_at):
            return 0
        thread.client_notified_at = now
        link = mail.absolute_url("account.thread", thread_id=thread.id)
        return _send([thread.client.email], message, "message_to_client",
                     f"{thread.clinic.name} answered your message", thread=thread, link=link)
    if not due(thread.clinic_notified_at, thread.clinic_read_at):
        return 0
    thread.clinic_notified_at = now
    link = mail.absolute_url("owner.thread", slug=thread.clinic.slug, thread_id=thread.id)
    return _send(clinic_recipients(thread), message, "message_to_clinic",
                 f"A client wrote to {thread.clinic.name}", thread=thread, link=link)


def due(notified_at: datetime | None, read_at: datetime | None) -> bool:
    """True when a side was never e-mailed about the thread, or has read it since."""
    return notified_at is None or (read_at is not None and read_at >= notified_at)


def clinic_recipients(thread: MessageThread) -> list[str]:
    """Who at the clinic hears about messages: its owners and its own address."""
    owners = db.session.scalars(
        select(User.email)
        .join(ClinicMember, ClinicMember.user_id == User.id)
        .where(ClinicMember.clinic_id == thread.clinic_id, ClinicMember.role == MemberRole.OWNER)
        .order_by(User.email)
    ).all()
    addresses = list(owners)
    if thread.clinic.email and thread.clinic.email not in addresses:
        addresses.append(thread.clinic.email)
    return addresses


def _send(addresses: list[str], message: Message, template: str, subject: str, **context) -> int:
    queued = 0
    for address in addresses:
        row = mail.queue_template(to=address, subject=subject, template=template,
                                  key=f"message:{message.id}:{address}", **context)
        queued += row is not None
    return queued
