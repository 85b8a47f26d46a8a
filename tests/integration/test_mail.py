"""The outbox: mail goes after the commit, never after a rollback, exactly once,
and waits out an SMTP outage."""

import email
import email.policy
from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import select

from marketplace.models import OutboxEmail, OutboxStatus, db, utcnow
from marketplace.services import mail
from tests.support.servers import free_port


def settings(port):
    return mail.MailSettings(backend="smtp", sender="bookings@kneaded.test", port=port, timeout=2)


def queue(to="client@example.test", **kw):
    return mail.queue(
        sender="bookings@kneaded.test", to=to, subject="Your booking", text="Hello", **kw
    )


def test_committed_mail_is_delivered_to_a_real_smtp_server(app, smtp):
    queue(attachments=(mail.Attachment("booking.ics", b"BEGIN:VCALENDAR", "text", "calendar"),))
    db.session.commit()
    assert mail.deliver_committed(settings(smtp.port), now=utcnow()) == 1
    [message] = smtp.to("client@example.test")
    assert message["Subject"] == "Your booking"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "booking.ics"
    assert db.session.scalar(select(OutboxEmail)).status is OutboxStatus.SENT


def test_rolled_back_mail_is_never_sent(app, smtp):
    queue()
    db.session.rollback()
    assert mail.deliver_committed(settings(smtp.port), now=utcnow()) == 0
    assert smtp.messages == []


def test_smtp_outage_keeps_mail_pending_then_retry_sends_it_once(app, smtp):
    queue()
    db.session.commit()
    dead_port = free_port()
    assert mail.deliver_committed(settings(dead_port), now=utcnow()) == 0
    row = db.session.scalar(select(OutboxEmail))
    assert row.status is OutboxStatus.PENDING
    assert row.attempts == 1
    assert row.last_error
    later = utcnow() + timedelta(hours=1)
    assert mail.deliver_pending(settings(smtp.port), now=later) == 1
    assert mail.deliver_pending(settings(smtp.port), now=later + timedelta(hours=1)) == 0
    assert len(smtp.messages) == 1


def test_dedupe_key_queues_once(app):
    assert queue(dedupe_key="reminder:1") is not None
    assert queue(dedupe_key="reminder:1") is None
    db.session.commit()
    assert len(db.session.scalars(select(OutboxEmail)).all()) == 1


def test_a_template_mail_carries_its_attachments_once_under_a_cut_key(app):
    thread = SimpleNamespace(clinic=SimpleNamespace(name="Harbour Clinic"))
    invite = (mail.Attachment("booking.ics", b"BEGIN:VCALENDAR", "text", "calendar"),)
    link = mail.absolute_url("account.thread", thread_id=7)
    key = "message:" + "x" * 200

    def send():
        return mail.queue_template(to="client@example.test", subject="A reply",
                                   template="message_to_client", key=key,
                                   attachments=invite, thread=thread, link=link)

    row = send()
    assert send() is None
    assert row.dedupe_key == key[:120]
    message = email.message_from_bytes(row.message, policy=email.policy.default)
    assert message["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert link == app.config["BASE_URL"].rstrip("/") + "/messages/7"
    body = message.get_body(("plain",)).get_content()
    assert body.startswith(f"Harbour Clinic answered your message on {app.config['SITE_NAME']}.")
    assert link in body
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "booking.ics"


def test_gives_up_after_max_attempts(app):
    queue()
    db.session.commit()
    now = utcnow()
    dead = settings(free_port())
    for _ in range(mail.MAX_ATTEMPTS):
        now += timedelta(days=1)
        mail.deliver_pending(dead, now=now)
    assert db.session.scalar(select(OutboxEmail)).status is OutboxStatus.FAILED


def test_file_backend_writes_eml(app, tmp_path):
    row = queue()
    db.session.commit()
    file_settings = mail.MailSettings(
        backend="file", sender="x@kneaded.test", outbox_dir=str(tmp_path)
    )
    assert mail.deliver_committed(file_settings, now=utcnow()) == 1
    assert (tmp_path / f"{row.id:06d}.eml").read_bytes().startswith(b"From:")


def test_demo_outbox_page_lists_and_shows_messages(client):
    row = queue(
        attachments=(mail.Attachment("booking.ics", b"BEGIN:VCALENDAR", "text", "calendar"),)
    )
    db.session.commit()
    assert "Your booking" in client.get("/demo/outbox").get_data(as_text=True)
    page = client.get(f"/demo/outbox/{row.id}").get_data(as_text=True)
    assert "Hello" in page
    assert "booking.ics" in page
    attachment = client.get(f"/demo/outbox/{row.id}/0")
    assert attachment.mimetype == "text/calendar"
    assert client.get(f"/demo/outbox/{row.id}/5").status_code == 404


def test_demo_outbox_is_absent_in_production(tmp_path):
    from marketplace import create_app
    from tests.support.production import production_settings

    app = create_app(production_settings(DEMO_TOOLS=False))
    assert "demo.outbox" not in app.view_functions


def test_a_refused_recipient_does_not_hold_up_the_others(app, smtp, monkeypatch):
    """A server that answers but refuses one address: the next message still goes."""
    async def handle_RCPT(server, session, envelope, address, options):  # noqa: N802
        if address.startswith("bounce@"):
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    monkeypatch.setattr(smtp, "handle_RCPT", handle_RCPT, raising=False)
    queue(to="bounce@example.test")
    queue(to="client@example.test")
    db.session.commit()
    assert mail.deliver_committed(settings(smtp.port), now=utcnow()) == 1
    assert [m["To"] for m in smtp.messages] == ["client@example.test"]
    bounced = db.session.scalar(select(OutboxEmail).where(
        OutboxEmail.to_addr == "bounce@example.test"))
    assert bounced.status is OutboxStatus.PENDING
    assert "No such user" in bounced.last_error
