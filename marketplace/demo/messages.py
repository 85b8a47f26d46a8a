"""Demo conversations: Casey Client's question to Solely Therapeutic Massage with an
answer Casey has not read yet, and a question about a booking at the Center for
Massage Therapy that the clinic has not read yet.

Written as rows (no e-mail is sent for demo data) and found again by client, clinic
and subject, so a re-run adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from ..models import Booking, Message, MessageThread, User, db
from .common import clinic_by_slug
from .data.clinics_real import CENTER_FOR_MASSAGE_THERAPY, SOLELY


@dataclass(frozen=True)
class Line:
    from_clinic: bool
    hours_ago: int
    body: str


@dataclass(frozen=True)
class ThreadSeed:
    client: str
    owner: str
    clinic: str
    subject: str
    lines: tuple[Line, ...]
    booking: str | None = None


THREADS = (
    ThreadSeed("client@demo.test", "owner.solely@demo.test", SOLELY.slug,
               "Neck and shoulder pain from desk work", (
                   Line(False, 50, "I sit at a desk all day and my neck and right shoulder "
                                   "are tight by the afternoon. Would neuromuscular therapy "
                                   "help, and how many sessions would you suggest?"),
                   Line(True, 26, "Thanks for asking! NMT is part of our therapeutic massage: "
                                  "we assess first, then work the trigger points in the neck "
                                  "and shoulder. Many desk workers feel a difference after "
                                  "two or three weekly sessions.\nBring a list of anything "
                                  "you take regularly; we go through it at intake."),
               )),
    ThreadSeed("client@demo.test", "owner.cmt@demo.test", CENTER_FOR_MASSAGE_THERAPY.slug,
               "", (
                   Line(False, 30, "Could I try the new acupuncture after my massage, and "
                                   "does the $25-off promotion apply?"),
                   Line(True, 28, "Yes to both: book acupuncture as its own visit and enter "
                                  "the code at checkout."),
                   Line(False, 3, "Great, thank you. Is there parking close by?"),
               ), booking="DEMOB2M4"),
)


def ensure_demo_threads(users: dict[str, User], now: datetime) -> int:
    """Add the missing demo conversations; returns how many exist."""
    for spec in THREADS:
        if _find(spec, users) is None:
            _add(spec, users, now)
    db.session.flush()
    return sum(_find(spec, users) is not None for spec in THREADS)


def _find(spec: ThreadSeed, users: dict[str, User]) -> MessageThread | None:
    return db.session.scalar(select(MessageThread).where(
        MessageThread.client_id == users[spec.client].id,
        MessageThread.clinic_id == clinic_by_slug(spec.clinic).id,
        MessageThread.subject == spec.subject,
    ))


def _add(spec: ThreadSeed, users: dict[str, User], now: datetime) -> None:
    client, owner = users[spec.client], users[spec.owner]
    booking = db.session.scalar(select(Booking).where(Booking.reference == spec.booking)) \
        if spec.booking else None
    first = now - timedelta(hours=spec.lines[0].hours_ago)
    thread = MessageThread(clinic=clinic_by_slug(spec.clinic), client=client, booking=booking,
                           subject=spec.subject, created_at=first, last_message_at=first)
    db.session.add(thread)
    for line in spec.lines:
        at = now - timedelta(hours=line.hours_ago)
        db.session.add(Message(thread=thread, author=owner if line.from_clinic else client,
                               from_clinic=line.from_clinic, body=line.body, created_at=at))
        thread.last_message_at = at
        # Each side has read up to its own last message: the other side's later ones are new.
        if line.from_clinic:
            thread.last_clinic_message_at = thread.clinic_read_at = at
        else:
            thread.last_client_message_at = thread.client_read_at = at
