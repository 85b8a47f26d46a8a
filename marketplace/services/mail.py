"""Outgoing e-mail through a persisted outbox.

``queue`` writes the message in the caller's transaction, so a rolled-back
change never announces itself. Who sends it depends on ``MAIL_DELIVERY``:
with ``relay`` (production) the ``send-outbox --watch`` process picks it up
within a second (``relay``), so no request waits on the mail server; with
``inline`` (development, tests) the request that queued it sends it after its
commit (``deliver_committed``). Whatever could not be sent (SMTP down) stays
pending and ``deliver_pending`` (the ``send-outbox`` command) retries it.
Each message is sent at most once: it is claimed before sending and marked
sent in the same step, so any number of relays may run on any number of hosts.

``queue_template`` queues a text e-mail rendered from ``templates/email/`` (with any
attachments, such as a booking's .ics), and ``absolute_url`` writes the link it carries,
both from the app's settings.
"""

from __future__ import annotations

import logging
import signal
import smtplib
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app
from sqlalchemy import event, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import OutboxEmail, OutboxStatus, db, utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
_PENDING_KEY = "outbox_queued"
_COMMITTED_KEY = "outbox_committed"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str


@dataclass(frozen=True)
class MailSettings:
    backend: str  # "smtp" or "file"
    sender: str
    server: str = "127.0.0.1"
    port: int = 25
    username: str = ""
    password: str = ""
    use_tls: bool = False
    timeout: int = 10
    outbox_dir: str = "instance/outbox"

    @classmethod
    def from_config(cls, config) -> MailSettings:
        return cls(
            backend=config["MAIL_BACKEND"],
            sender=config["MAIL_DEFAULT_SENDER"],
            server=config["MAIL_SERVER"],
            port=int(config["MAIL_PORT"]),
            username=config["MAIL_USERNAME"],
            password=config["MAIL_PASSWORD"],
            use_tls=bool(config["MAIL_USE_TLS"]),
            timeout=int(config["MAIL_TIMEOUT"]),
            outbox_dir=config["MAIL_OUTBOX_DIR"],
        )


def build_message(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    attachments: tuple[Attachment, ...] = (),
) -> EmailMessage:
    """A standards-conforming message with a text part, optional HTML and attachments."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    for item in attachments:
        message.add_attachment(
            item.content, maintype=item.maintype, subtype=item.subtype, filename=item.filename
        )
    return message


def queue(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    attachments: tuple[Attachment, ...] = (),
    dedupe_key: str | None = None,
) -> OutboxEmail | None:
    """Add a message to the outbox in the current transaction.

    With ``dedupe_key``, a message already queued under that key is not queued
    again (returns None): reminders and notices go out once.
    """
    if dedupe_key and db.session.scalar(
        select(OutboxEmail.id).where(OutboxEmail.dedupe_key == dedupe_key)
    ):
        return None
    message = build_message(
        sender=sender, to=to, subject=subject, text=text, html=html, attachments=attachments
    )
    row = OutboxEmail(
        dedupe_key=dedupe_key,
        to_addr=to,
        subject=subject,
        message=bytes(message),
        next_attempt_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return None  # a concurrent transaction queued the same dedupe_key first
    db.session.info.setdefault(_PENDING_KEY, []).append(row.id)
    return row


def queue_template(*, to: str, subject: str, template: str, key: str,
                   attachments: tuple[Attachment, ...] = (), **context) -> OutboxEmail | None:
    """Queue ``email/<template>.txt``, rendered with the site's name and ``context``, once
    under ``key`` (cut to the column's 120 characters), with any ``attachments``. Returns
    the queued row, or None when ``key`` was queued before."""
    text = current_app.jinja_env.get_template(f"email/{template}.txt").render(
        site_name=current_app.config["SITE_NAME"], **context)
    return queue(sender=current_app.config["MAIL_DEFAULT_SENDER"], to=to, subject=subject,
                 text=text, attachments=attachments, dedupe_key=key[:120])


def absolute_url(endpoint: str, **values) -> str:
    """The site's absolute address of ``endpoint`` (an e-mail has no request to be relative to)."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


@event.listens_for(Session, "after_commit")
def _promote_queued(session: Session) -> None:
    queued = session.info.pop(_PENDING_KEY, None)
    if queued:
        session.info.setdefault(_COMMITTED_KEY, []).extend(queued)


@event.listens_for(Session, "after_soft_rollback")
def _forget_queued(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # outermost rollback only
        session.info.pop(_PENDING_KEY, None)


def deliver_committed(settings: MailSettings, *, now: datetime) -> int:
    """Send what the transactions committed in this session queued. Returns the number sent."""
    ids = db.session.info.pop(_COMMITTED_KEY, None)
    if not ids:
        return 0
    return _deliver(settings, ids=ids, now=now)


def deliver_pending(settings: MailSettings, *, now: datetime, limit: int = 200,
                    stop: threading.Event | None = None) -> int:
    """Send every pending message that is due (new, or waiting for its retry). Returns the
    number sent."""
    ids = db.session.scalars(
        select(OutboxEmail.id)
        .where(OutboxEmail.status == OutboxStatus.PENDING, OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.id)
        .limit(limit)
    ).all()
    return _deliver(settings, ids=list(ids), now=now, stop=stop)


def forget_committed() -> None:
    """Drop this session's list of committed messages (a relay sends them instead)."""
    db.session.info.pop(_COMMITTED_KEY, None)


def relay(settings: MailSettings, *, clock: Callable[[], datetime], interval: float = 1.0,
          stop: threading.Event | None = None) -> int:
    """Send due messages until ``stop`` is set (SIGTERM or SIGINT when run from the command
    line), looking again every ``interval`` seconds. A message being sent when the stop comes
    is finished first. Returns the number sent."""
    stop = stop or threading.Event()
    sent = 0
    while not stop.is_set():
        try:
            sent += deliver_pending(settings, now=clock(), stop=stop)
        except Exception:  # the database went away: log, wait, try again
            log.exception("outbox relay: delivery round failed")
            db.session.rollback()
        db.session.remove()
        stop.wait(interval)
    return sent


def stop_on_signals(stop: threading.Event) -> None:
    """Set ``stop`` on SIGTERM and SIGINT (a service manager stopping the relay)."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())


def _deliver(settings: MailSettings, *, ids: list[int], now: datetime,
             stop: threading.Event | None = None) -> int:
    """Send these messages in turn, stopping at the first sign the server is unreachable:
    each further try would wait ``MAIL_TIMEOUT`` again (a request sending three e-mails to
    a hung server would otherwise hang three times as long). The rest wait, untouched,
    for ``send-outbox``."""
    sent = 0
    for outbox_id in ids:
        if stop is not None and stop.is_set():
            break
        try:
            if _deliver_one(settings, outbox_id, now=now):
                sent += 1
        except _ServerDown:
            break
    return sent


class _ServerDown(Exception):
    """The mail server did not answer, refused the connection or hung up."""


def _server_down(exc: Exception) -> bool:
    """True for failures every other message would meet too; False for a refusal of this
    one message (a bad recipient, a rejected body), after which the next may still go."""
    if isinstance(exc, smtplib.SMTPConnectError | smtplib.SMTPServerDisconnected):
        return True
    return not isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPResponseException)


def _claim(outbox_id: int, *, now: datetime) -> OutboxEmail | None:
    """Take the message for this sender: push its next attempt out so no one else takes it."""
    claimed = db.session.execute(
        update(OutboxEmail)
        .where(
            OutboxEmail.id == outbox_id,
            OutboxEmail.status == OutboxStatus.PENDING,
            OutboxEmail.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + timedelta(minutes=5), attempts=OutboxEmail.attempts + 1)
    ).rowcount
    db.session.commit()
    return db.session.get(OutboxEmail, outbox_id) if claimed else None


def _deliver_one(settings: MailSettings, outbox_id: int, *, now: datetime) -> bool:
    row = _claim(outbox_id, now=now)
    if row is None:
        return False
    try:
        _send(settings, row)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail to %s not sent (attempt %d): %s", row.to_addr, row.attempts, exc)
        row.last_error = str(exc)[:500]
        if row.attempts >= MAX_ATTEMPTS:
            row.status = OutboxStatus.FAILED
        else:
            row.next_attempt_at = now + timedelta(minutes=2**row.attempts)
        db.session.commit()
        if _server_down(exc):
            raise _ServerDown from exc
        return False
    row.status = OutboxStatus.SENT
    row.sent_at = now
    row.last_error = None
    db.session.commit()
    return True


def _send(settings: MailSettings, row: OutboxEmail) -> None:
    if settings.backend == "file":
        folder = Path(settings.outbox_dir)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{row.id:06d}.eml").write_bytes(row.message)
        return
    with smtplib.SMTP(settings.server, settings.port, timeout=settings.timeout) as smtp:
        if settings.use_tls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            smtp.login(settings.username, settings.password)
        # SMTP lines end in CRLF; smtplib leaves bytes as they are, and a long message
        # with bare LFs is one over-long "line" to the server (RFC 5321 4.5.3.1.6).
        data = row.message.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        smtp.sendmail(settings.sender, [row.to_addr], data)
