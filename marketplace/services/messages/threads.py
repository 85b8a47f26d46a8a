"""Threads and their messages: who may write, what is kept, what each side has not read.

A thread is private to its client and the clinic's team (its members, and admins,
who act for every clinic): ``client_thread`` and ``clinic_thread`` refuse anyone
else's with NotFound, so another client's or another clinic's thread looks like
none. Text is plain (``common/text.py``), at most ``BODY_MAX`` characters.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from ...models import (
    Booking,
    BookingStatus,
    Clinic,
    ClinicStatus,
    Message,
    MessageThread,
    Role,
    User,
    db,
)
from ..accounts import tenancy
from ..common.errors import FieldError, NotAllowed, NotFound
from ..common.text import TextTooLong, bounded
from . import notices

BODY_MAX = 2000
SUBJECT_MAX = 120


class Side(enum.StrEnum):
    CLIENT = "client"
    CLINIC = "clinic"


# --- writing --------------------------------------------------------------------------


def ask(
    *, client: User, clinic: Clinic, body: str, subject: str = "",
    booking: Booking | None = None, now: datetime,
) -> MessageThread:
    """Start a thread with ``clinic`` (about ``booking``, when given). A second question
    about the same booking goes on in that booking's thread."""
    if booking is not None:
        if booking.client_id != client.id or booking.status is BookingStatus.HELD:
            raise NotFound("No such booking.")
        clinic = booking.clinic
        existing = booking_thread(booking)
        if existing is not None:
            post(thread=existing, author=client, side=Side.CLIENT, body=body, now=now)
            return existing
    elif not clinic.is_public:
        raise NotFound("No such clinic.")
    subject = _text(subject, limit=SUBJECT_MAX, field="subject", what="A subject")
    _check_can_write(client, clinic, Side.CLIENT)
    body = _body(body)
    thread = MessageThread(
        clinic=clinic, client=client, booking=booking, subject=subject, last_message_at=now,
        created_at=now,
    )
    db.session.add(thread)
    _add(thread, author=client, side=Side.CLIENT, body=body, now=now)
    return thread


def post(*, thread: MessageThread, author: User, side: Side, body: str, now: datetime) -> Message:
    """Add ``author``'s message to ``thread`` on ``side``, and tell the other side."""
    if not acts_for(author, thread, side):
        raise NotFound("No such conversation.")
    _check_can_write(author, thread.clinic, side)
    return _add(thread, author=author, side=side, body=_body(body), now=now)


def _add(thread: MessageThread, *, author: User, side: Side, body: str, now: datetime) -> Message:
    message = Message(thread=thread, author=author, from_clinic=side is Side.CLINIC, body=body,
                      created_at=now)
    db.session.add(message)
    thread.last_message_at = now
    if side is Side.CLINIC:
        thread.last_clinic_message_at, thread.clinic_read_at = now, now
    else:
        thread.last_client_message_at, thread.client_read_at = now, now
    db.session.flush()
    notices.tell_other_side(thread, message, now=now)
    return message


def _check_can_write(author: User, clinic: Clinic, side: Side) -> None:
    if not author.is_active:
        raise NotAllowed("Your account is suspended, so you cannot send messages.")
    if side is Side.CLIENT and clinic.status is ClinicStatus.SUSPENDED:
        raise NotAllowed(f"{clinic.name} is not taking messages at the moment.")


def _body(body: str) -> str:
    text = _text(body, limit=BODY_MAX, field="body", what="A message")
    if not text:
        raise FieldError("body", "Write a message before sending it.")
    return text


def _text(value: str, *, limit: int, field: str, what: str) -> str:
    try:
        return bounded(value, limit=limit, what=what)
    except TextTooLong as exc:
        raise FieldError(field, str(exc)) from exc


# --- reading --------------------------------------------------------------------------


def acts_for(user: User, thread: MessageThread, side: Side) -> bool:
    """True when ``user`` is ``thread``'s client (``side`` CLIENT) or acts for its clinic
    (CLINIC: a member of its team, or an admin)."""
    if side is Side.CLIENT:
        return thread.client_id == user.id
    return user.role is Role.ADMIN or tenancy.is_member(user, thread.clinic_id)


def side_of(user: User, thread: MessageThread) -> Side | None:
    """The side ``user`` writes on in ``thread``, or None when it is not theirs to see."""
    return next((side for side in Side if acts_for(user, thread, side)), None)


def client_thread(user: User, thread_id: int) -> MessageThread:
    """``user``'s own thread ``thread_id``; NotFound for anyone else's."""
    thread = db.session.get(MessageThread, thread_id)
    if thread is None or thread.client_id != user.id:
        raise NotFound("No such conversation.")
    return thread


def clinic_thread(clinic: Clinic, thread_id: int) -> MessageThread:
    """Thread ``thread_id`` of ``clinic`` (whose team the caller has checked); else NotFound."""
    thread = db.session.get(MessageThread, thread_id)
    if thread is None or thread.clinic_id != clinic.id:
        raise NotFound("No such conversation.")
    return thread


def messages_of(thread: MessageThread) -> list[Message]:
    """The thread's messages, oldest first, with their authors."""
    return list(db.session.scalars(
        select(Message).where(Message.thread_id == thread.id)
        .options(selectinload(Message.author)).order_by(Message.id)
    ))


def mark_read(*, thread: MessageThread, side: Side, now: datetime) -> bool:
    """Mark what the other side wrote as read by ``side``; True when there was something
    unread (nothing is written otherwise: opening a read thread changes nothing)."""
    if not is_unread(thread, side):
        return False
    if side is Side.CLIENT:
        thread.client_read_at = now
    else:
        thread.clinic_read_at = now
    return True


def is_unread(thread: MessageThread, side: Side) -> bool:
    """True when the other side wrote after ``side`` last read ``thread``."""
    if side is Side.CLIENT:
        theirs, read = thread.last_clinic_message_at, thread.client_read_at
    else:
        theirs, read = thread.last_client_message_at, thread.clinic_read_at
    return theirs is not None and (read is None or theirs > read)


def _unread(side: Side):
    if side is Side.CLIENT:
        theirs, read = MessageThread.last_clinic_message_at, MessageThread.client_read_at
    else:
        theirs, read = MessageThread.last_client_message_at, MessageThread.clinic_read_at
    return theirs.is_not(None) & or_(read.is_(None), theirs > read)


def client_unread_count(user: User) -> int:
    """How many of ``user``'s threads have an answer they have not read."""
    return db.session.scalar(
        select(func.count(MessageThread.id))
        .where(MessageThread.client_id == user.id, _unread(Side.CLIENT))
    )


def clinic_unread_count(clinic: Clinic) -> int:
    """How many of the clinic's threads have a client message its team has not read."""
    return db.session.scalar(
        select(func.count(MessageThread.id))
        .where(MessageThread.clinic_id == clinic.id, _unread(Side.CLINIC))
    )


def client_threads(user: User) -> Select:
    """``user``'s threads, latest activity first (a select, to paginate)."""
    return (
        select(MessageThread).where(MessageThread.client_id == user.id)
        .options(selectinload(MessageThread.clinic).selectinload(Clinic.locations),
                 selectinload(MessageThread.booking))
        .order_by(MessageThread.last_message_at.desc(), MessageThread.id.desc())
    )


def clinic_threads(clinic: Clinic, *, unread_only: bool = False) -> Select:
    """The clinic's threads, latest activity first (a select, to paginate)."""
    query = (
        select(MessageThread).where(MessageThread.clinic_id == clinic.id)
        .options(selectinload(MessageThread.client), selectinload(MessageThread.booking))
        .order_by(MessageThread.last_message_at.desc(), MessageThread.id.desc())
    )
    return query.where(_unread(Side.CLINIC)) if unread_only else query


def booking_thread(booking: Booking) -> MessageThread | None:
    """The thread its client started about ``booking``, if any."""
    return db.session.scalar(
        select(MessageThread).where(
            MessageThread.booking_id == booking.id, MessageThread.client_id == booking.client_id
        )
    )
