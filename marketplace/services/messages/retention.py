"""How long conversations are kept: a thread with no new message for
``RETENTION_DAYS`` is deleted with its messages and their reports.

Run daily by ``flask purge-messages`` (cron). Deleting is idempotent: a second
run finds nothing older than the cut-off. Every run that deletes writes one
audit entry with the count, never the contents.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from ...models import Message, MessageReport, MessageThread, db
from .. import audit

RETENTION_DAYS = 730  # two years without a new message


def cutoff(*, now: datetime, days: int = RETENTION_DAYS) -> datetime:
    """Threads whose last message is older than this are deleted."""
    return now - timedelta(days=days)


def purge_inactive(*, now: datetime, days: int = RETENTION_DAYS) -> int:
    """Delete every thread with no message since ``cutoff``; returns how many."""
    if days < 1:
        raise ValueError("retention must be at least one day")
    stale = MessageThread.last_message_at < cutoff(now=now, days=days)
    count = db.session.scalar(select(func.count(MessageThread.id)).where(stale))
    if not count:
        return 0
    threads = select(MessageThread.id).where(stale)
    messages = select(Message.id).where(Message.thread_id.in_(threads))
    db.session.execute(delete(MessageReport).where(MessageReport.message_id.in_(messages)),
                       execution_options={"synchronize_session": False})
    db.session.execute(delete(Message).where(Message.thread_id.in_(threads)),
                       execution_options={"synchronize_session": False})
    db.session.execute(delete(MessageThread).where(stale),
                       execution_options={"synchronize_session": False})
    db.session.expire_all()
    audit.record(actor=None, action="messages.purge", object_type="message_thread",
                 detail={"threads": count, "days": days}, now=now)
    return count
