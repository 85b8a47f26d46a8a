"""The messages domain: asking, answering, read marks, unread counts, the e-mail notices
(once per side until read, never the text) and who may write."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from marketplace.models import (
    BookingStatus,
    ClinicMember,
    ClinicStatus,
    MemberRole,
    MessageThread,
    OutboxEmail,
    Role,
    UserStatus,
    db,
)
from marketplace.services.common.errors import FieldError, NotAllowed, NotFound
from marketplace.services.messages import threads
from marketplace.services.messages.threads import Side
from tests.support.factories import (
    create_bookable_clinic,
    create_booking,
    create_clinic,
    create_user,
)


@pytest.fixture
def x(app):
    return create_bookable_clinic()


def _mail(to: str) -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_addr == to)))


def _ask(x, client, now, body="Do you work on frozen shoulders?", **kw):
    return threads.ask(client=client, clinic=x.clinic, body=body, now=now, **kw)


def test_a_question_starts_a_thread_and_tells_the_clinic_without_the_text(app, x, now):
    client = create_user()
    thread = _ask(x, client, now, subject="Shoulder", body="My left shoulder is frozen.")
    assert thread.subject == "Shoulder"
    assert [m.body for m in thread.messages] == ["My left shoulder is frozen."]
    assert thread.client_read_at == now
    assert thread.clinic_read_at is None
    (sent,) = _mail(x.owner.email)
    text = sent.message.decode()
    assert x.clinic.name in sent.subject
    assert f"/owner/clinics/{x.clinic.slug}/messages/{thread.id}" in text
    assert "frozen" not in text
    assert "Shoulder" not in text
    assert _mail(client.email) == []


def test_the_clinics_answer_is_unread_for_the_client_until_opened(app, x, now):
    client = create_user()
    thread = _ask(x, client, now)
    assert threads.clinic_unread_count(x.clinic) == 1
    assert threads.client_unread_count(client) == 0
    threads.mark_read(thread=thread, side=Side.CLINIC, now=now + timedelta(minutes=1))
    assert threads.clinic_unread_count(x.clinic) == 0
    threads.post(thread=thread, author=x.owner, side=Side.CLINIC, body="Yes, we do.",
                 now=now + timedelta(minutes=2))
    assert threads.client_unread_count(client) == 1
    assert threads.is_unread(thread, Side.CLIENT)
    assert threads.mark_read(thread=thread, side=Side.CLIENT, now=now + timedelta(minutes=3))
    assert threads.client_unread_count(client) == 0
    # Opening a read thread writes nothing.
    assert not threads.mark_read(thread=thread, side=Side.CLIENT, now=now + timedelta(minutes=4))
    assert thread.client_read_at == now + timedelta(minutes=3)


def test_one_notice_per_thread_per_side_until_it_is_read(app, x, now):
    client = create_user()
    thread = _ask(x, client, now)
    for minutes in (1, 2, 3):
        threads.post(thread=thread, author=client, side=Side.CLIENT, body=f"And {minutes}?",
                     now=now + timedelta(minutes=minutes))
    assert len(_mail(x.owner.email)) == 1  # the clinic has not read it yet
    threads.mark_read(thread=thread, side=Side.CLINIC, now=now + timedelta(minutes=4))
    threads.post(thread=thread, author=client, side=Side.CLIENT, body="Hello?",
                 now=now + timedelta(minutes=5))
    assert len(_mail(x.owner.email)) == 2
    # The clinic answers twice; the client hears once, then again after reading.
    for minutes in (6, 7):
        threads.post(thread=thread, author=x.owner, side=Side.CLINIC, body="Yes.",
                     now=now + timedelta(minutes=minutes))
    assert len(_mail(client.email)) == 1
    threads.mark_read(thread=thread, side=Side.CLIENT, now=now + timedelta(minutes=8))
    threads.post(thread=thread, author=x.owner, side=Side.CLINIC, body="See you.",
                 now=now + timedelta(minutes=9))
    assert len(_mail(client.email)) == 2
    (first, *_rest) = _mail(client.email)
    assert "Yes." not in first.message.decode()
    assert f"/messages/{thread.id}" in first.message.decode()


def test_a_clinic_notice_goes_to_its_owners_and_its_own_address(app, now):
    x = create_bookable_clinic(email="front-desk@clinic.test")
    co_owner = create_user(role=Role.OWNER)
    staff = create_user(role=Role.OWNER)
    db.session.add_all([ClinicMember(clinic=x.clinic, user=co_owner, role=MemberRole.OWNER),
                        ClinicMember(clinic=x.clinic, user=staff, role=MemberRole.STAFF)])
    _ask(x, create_user(), now)
    for address in (x.owner.email, co_owner.email, "front-desk@clinic.test"):
        assert len(_mail(address)) == 1, address
    assert _mail(staff.email) == []


def test_staff_and_admins_answer_for_the_clinic_and_strangers_cannot(app, x, now):
    thread = _ask(x, create_user(), now)
    staff = create_user(role=Role.OWNER)
    db.session.add(ClinicMember(clinic=x.clinic, user=staff, role=MemberRole.STAFF))
    db.session.flush()
    threads.post(thread=thread, author=staff, side=Side.CLINIC, body="Staff here.", now=now)
    threads.post(thread=thread, author=create_user(role=Role.ADMIN), side=Side.CLINIC,
                 body="Admin here.", now=now)
    other = create_bookable_clinic()
    for stranger, side in ((other.owner, Side.CLINIC), (create_user(), Side.CLIENT),
                           (x.owner, Side.CLIENT)):
        with pytest.raises(NotFound):
            threads.post(thread=thread, author=stranger, side=side, body="Mine now", now=now)
    with pytest.raises(NotFound):
        threads.client_thread(create_user(), thread.id)
    with pytest.raises(NotFound):
        threads.clinic_thread(other.clinic, thread.id)
    assert len(thread.messages) == 3


@pytest.mark.parametrize(("body", "message"), [
    ("", "Write a message"),
    ("   \n\x00 ", "Write a message"),
    ("x" * 2001, "at most 2000 characters"),
])
def test_bad_text_is_refused_on_the_body_field(app, x, now, body, message):
    with pytest.raises(FieldError, match=message) as caught:
        _ask(x, create_user(), now, body=body)
    assert caught.value.field == "body"


def test_text_is_kept_plain_with_its_newlines_and_without_control_characters(app, x, now):
    thread = _ask(x, create_user(), now, body="Line one\r\nline\x00 two\n\n\n\nend <b>")
    assert thread.messages[0].body == "Line one\nline two\n\nend <b>"


def test_a_suspended_client_cannot_write_and_a_suspended_clinic_takes_no_messages(app, x, now):
    client = create_user()
    thread = _ask(x, client, now)
    client.status = UserStatus.SUSPENDED
    with pytest.raises(NotAllowed, match="suspended"):
        threads.post(thread=thread, author=client, side=Side.CLIENT, body="Hi", now=now)
    with pytest.raises(NotAllowed, match="suspended"):
        _ask(x, client, now)
    client.status = UserStatus.ACTIVE
    x.clinic.status = ClinicStatus.SUSPENDED
    with pytest.raises(NotAllowed, match="not taking messages"):
        threads.post(thread=thread, author=client, side=Side.CLIENT, body="Hi", now=now)


def test_only_published_clinics_can_be_asked_from_their_profile(app, now):
    pending = create_clinic(status=ClinicStatus.PENDING)
    with pytest.raises(NotFound):
        threads.ask(client=create_user(), clinic=pending, body="Hello", now=now)


def test_a_question_about_a_booking_is_linked_and_goes_on_in_one_thread(app, x, now):
    client = create_user()
    booking = create_booking(x, starts_at=now + timedelta(days=3), client=client)
    first = _ask(x, client, now, booking=booking)
    again = _ask(x, client, now + timedelta(minutes=5), booking=booking, body="One more thing.")
    assert first.id == again.id
    assert first.booking_id == booking.id
    assert len(first.messages) == 2
    assert threads.booking_thread(booking) is first
    with pytest.raises(NotFound):
        _ask(x, create_user(), now, booking=booking)
    held = create_booking(x, starts_at=now + timedelta(days=4), client=client,
                          status=BookingStatus.HELD)
    with pytest.raises(NotFound):
        _ask(x, client, now, booking=held)


def test_inbox_lists_latest_first_and_filters_unread(app, x, now):
    old = _ask(x, create_user(), datetime(2030, 1, 1, tzinfo=UTC))
    new = _ask(x, create_user(), datetime(2030, 1, 2, tzinfo=UTC))
    threads.mark_read(thread=old, side=Side.CLINIC, now=datetime(2030, 1, 3, tzinfo=UTC))
    listed = list(db.session.scalars(threads.clinic_threads(x.clinic)))
    assert [t.id for t in listed] == [new.id, old.id]
    unread = list(db.session.scalars(threads.clinic_threads(x.clinic, unread_only=True)))
    assert [t.id for t in unread] == [new.id]
    mine = list(db.session.scalars(threads.client_threads(old.client)))
    assert [t.id for t in mine] == [old.id]
    assert db.session.scalar(select(MessageThread.id).where(MessageThread.id == new.id))
