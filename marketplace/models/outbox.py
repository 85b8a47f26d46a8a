"""E-mail waiting to be sent: written in the same transaction as the change it
announces, delivered after the commit, retried until it goes."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import TimestampMixin, db, enum_type


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the maximum number of attempts


class OutboxEmail(TimestampMixin, db.Model):
    __tablename__ = "outbox_emails"
    __table_args__ = (sa.Index("ix_outbox_emails_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Makes "send this once" checkable: e.g. "reminder:<booking id>".
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(120), unique=True)
    to_addr: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    message: Mapped[bytes] = mapped_column(sa.LargeBinary)  # the whole RFC 5322 message
    status: Mapped[OutboxStatus] = mapped_column(
        enum_type(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
