"""Reporting a message to the admins, and their decisions: hide it, or dismiss the reports.

Either side of a thread may report a message the other side wrote, once. A
message with open reports waits in the admins' moderation queue. Hiding keeps
the message in the thread as "hidden by a moderator" (its text is kept for the
record, shown to no one but admins); both decisions resolve the open reports and
are written to the audit log in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ...models import (
    Message,
    MessageReport,
    MessageReportReason,
    MessageThread,
    ReportStatus,
    User,
    db,
)
from .. import audit
from ..common.errors import Conflict, FieldError, NotAllowed, NotFound
from ..common.text import TextTooLong, bounded
from .threads import Side, acts_for

REPORT_TEXT_MAX = 1000

REASON_LABELS = {
    MessageReportReason.SPAM: "Spam or advertising",
    MessageReportReason.ABUSIVE: "Abusive, threatening or harassing",
    MessageReportReason.INAPPROPRIATE: "Sexual or otherwise inappropriate",
    MessageReportReason.PRIVATE_INFO: "Shares someone's private information",
    MessageReportReason.OTHER: "Something else",
}


def report(
    *, message: Message, reporter: User, side: Side, reason: MessageReportReason, text: str,
    now: datetime,
) -> MessageReport:
    """``reporter`` (on ``side`` of the thread) reports a message the other side wrote."""
    thread = message.thread
    if not acts_for(reporter, thread, side):
        raise NotFound("No such message.")
    if message.from_clinic == (side is Side.CLINIC):
        raise NotAllowed("You can only report a message the other side wrote.")
    if message.is_hidden:
        raise Conflict("A moderator has already hidden this message.")
    try:
        text = bounded(text, limit=REPORT_TEXT_MAX, what="A report")
    except TextTooLong as exc:
        raise FieldError("text", str(exc)) from exc
    if reason is MessageReportReason.OTHER and not text:
        raise FieldError("text", "Tell us what is wrong with the message.")
    entry = MessageReport(message_id=message.id, reporter_id=reporter.id, reason=reason,
                          text=text, created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(entry)
    except IntegrityError as exc:
        raise Conflict("You have already reported this message; an admin will look at it.") \
            from exc
    audit.record(actor=reporter, action="message.report", obj=message, clinic_id=thread.clinic_id,
                 detail={"thread_id": thread.id, "reason": reason.value}, now=now)
    return entry


def hide(*, message: Message, admin: User, now: datetime) -> Message:
    """Hide a reported message from both sides, upholding its open reports."""
    resolved = _resolve(message, ReportStatus.UPHELD, admin=admin, now=now)
    if message.is_hidden and not resolved:
        raise Conflict("This message is already hidden.")
    if not message.is_hidden:
        message.hidden_at, message.hidden_by_id = now, admin.id
    audit.record(actor=admin, action="message.hide", obj=message,
                 clinic_id=message.thread.clinic_id,
                 detail={"thread_id": message.thread_id, "reports_resolved": resolved}, now=now)
    return message


def dismiss(*, message: Message, admin: User, now: datetime) -> Message:
    """Dismiss a message's open reports: it stays as it is."""
    resolved = _resolve(message, ReportStatus.DISMISSED, admin=admin, now=now)
    if not resolved:
        raise Conflict("This message has no open reports.")
    audit.record(actor=admin, action="message.dismiss_reports", obj=message,
                 clinic_id=message.thread.clinic_id,
                 detail={"thread_id": message.thread_id, "reports_resolved": resolved}, now=now)
    return message


def _resolve(message: Message, outcome: ReportStatus, *, admin: User, now: datetime) -> int:
    entries = open_reports(message)
    for entry in entries:
        entry.status, entry.resolved_by_id, entry.resolved_at = outcome, admin.id, now
    return len(entries)


def open_reports(message: Message) -> list[MessageReport]:
    """The message's reports still waiting for a decision."""
    return list(db.session.scalars(
        select(MessageReport).where(MessageReport.message_id == message.id,
                                    MessageReport.status == ReportStatus.OPEN)
        .order_by(MessageReport.id)
    ))


def queue(*, limit: int = 50) -> list[Message]:
    """Messages with open reports, the longest-waiting first, at most ``limit``."""
    first = func.min(MessageReport.created_at)
    rows = db.session.execute(
        select(Message, first)
        .join(MessageReport, MessageReport.message_id == Message.id)
        .where(MessageReport.status == ReportStatus.OPEN)
        .group_by(Message.id)
        .options(
            selectinload(Message.thread).selectinload(MessageThread.clinic),
            selectinload(Message.thread).selectinload(MessageThread.client),
            selectinload(Message.author),
            selectinload(Message.reports).selectinload(MessageReport.reporter),
        )
        .order_by(first, Message.id)
        .limit(limit)
    ).all()
    return [message for message, _ in rows]


def reported_count() -> int:
    """How many messages have open reports."""
    return db.session.scalar(
        select(func.count(func.distinct(MessageReport.message_id)))
        .where(MessageReport.status == ReportStatus.OPEN)
    )
