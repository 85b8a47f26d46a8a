"""Conversations between a client and a clinic: threads, their messages, reports about them."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import TimestampMixin, db, enum_type
from .review import ReportStatus


class MessageReportReason(enum.StrEnum):
    SPAM = "spam"
    ABUSIVE = "abusive"
    INAPPROPRIATE = "inappropriate"
    PRIVATE_INFO = "private_info"
    OTHER = "other"


class MessageThread(TimestampMixin, db.Model):
    """One conversation between a client and a clinic's team, maybe about a booking.

    Each side has a read mark and a notice mark: a side has unread messages when the
    other side wrote after its ``*_read_at``; it is e-mailed about a new message only
    when it has read the thread since its last e-mail (``*_notified_at``).
    """

    __tablename__ = "message_threads"
    __table_args__ = (
        sa.Index("ix_message_threads_clinic_last", "clinic_id", "last_message_at"),
        sa.Index("ix_message_threads_client_last", "client_id", "last_message_at"),
        sa.Index("ix_message_threads_last_message_at", "last_message_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(sa.ForeignKey("clinics.id", ondelete="CASCADE"))
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    booking_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("bookings.id", ondelete="SET NULL"), index=True
    )
    subject: Mapped[str] = mapped_column(sa.String(120), default="")
    last_message_at: Mapped[datetime]
    last_client_message_at: Mapped[datetime | None]
    last_clinic_message_at: Mapped[datetime | None]
    client_read_at: Mapped[datetime | None]
    clinic_read_at: Mapped[datetime | None]
    client_notified_at: Mapped[datetime | None]
    clinic_notified_at: Mapped[datetime | None]

    clinic: Mapped[Clinic] = relationship()  # noqa: F821
    client: Mapped[User] = relationship()  # noqa: F821
    booking: Mapped[Booking | None] = relationship()  # noqa: F821
    messages: Mapped[list[Message]] = relationship(
        back_populates="thread", order_by="Message.id", cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Message(db.Model):
    """One message of a thread: plain text, from the client or from the clinic's team."""

    __tablename__ = "messages"
    __table_args__ = (sa.Index("ix_messages_thread_id", "thread_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        sa.ForeignKey("message_threads.id", ondelete="CASCADE")
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    from_clinic: Mapped[bool]
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime]
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    thread: Mapped[MessageThread] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])  # noqa: F821
    reports: Mapped[list[MessageReport]] = relationship(
        back_populates="message", order_by="MessageReport.id", cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class MessageReport(TimestampMixin, db.Model):
    """A participant's report of a message to the admins; one per message and reporter."""

    __tablename__ = "message_reports"
    __table_args__ = (
        sa.UniqueConstraint("message_id", "reporter_id"),
        sa.Index("ix_message_reports_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(sa.ForeignKey("messages.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[MessageReportReason] = mapped_column(
        enum_type(MessageReportReason, "message_report_reason")
    )
    text: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[ReportStatus] = mapped_column(
        enum_type(ReportStatus, "message_report_status"), default=ReportStatus.OPEN
    )
    resolved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    resolved_at: Mapped[datetime | None]

    message: Mapped[Message] = relationship(back_populates="reports")
    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])  # noqa: F821
