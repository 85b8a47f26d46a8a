"""Messages through the site, as the client and as the clinic's team: asking from a
profile or a booking, answering in place (htmx) or by a page and a 303, unread counts in
both menus, privacy (another client, another clinic's owner: 404), bad input, the
shared rate limit, reporting a message and an admin hiding it."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.extensions import limiter
from marketplace.models import (
    AuditLog,
    Message,
    MessageReport,
    MessageThread,
    OutboxEmail,
    Role,
    UserStatus,
    db,
)
from tests.support.factories import (
    create_bookable_clinic,
    create_booking,
    create_thread,
    create_user,
)


@pytest.fixture
def x(app):
    b = create_bookable_clinic()
    db.session.commit()
    return b


def _messages() -> int:
    return db.session.scalar(select(func.count(Message.id)))


def _nav_count(html: str, label: str = "Messages") -> str | None:
    found = re.search(rf">{label} <span class=\"badge badge-warn nav-count\">(\d+)", html)
    return found.group(1) if found else None


def test_a_client_asks_from_the_profile_and_the_owner_answers_in_place(client, auth, x):
    profile = client.get(f"/clinics/{x.clinic.slug}").get_data(as_text=True)
    assert f'href="/clinics/{x.clinic.slug}/ask"' in profile
    assert client.get(f"/clinics/{x.clinic.slug}/ask").headers["Location"].startswith("/login")
    me = create_user()
    db.session.commit()
    auth.session_for(me)
    assert client.get(f"/clinics/{x.clinic.slug}/ask").status_code == 200
    sent = client.post(f"/clinics/{x.clinic.slug}/ask",
                       data={"subject": "Parking", "body": "Is there parking?\nI drive."})
    assert sent.status_code == 303
    thread = db.session.scalar(select(MessageThread).where(MessageThread.client_id == me.id))
    assert sent.headers["Location"] == f"/messages/{thread.id}#latest"
    page = client.get(f"/messages/{thread.id}").get_data(as_text=True)
    assert "Is there parking?\nI drive." in page
    assert db.session.scalar(select(OutboxEmail.id).where(OutboxEmail.to_addr == x.owner.email))

    auth.session_for(x.owner)
    console = client.get(f"/owner/clinics/{x.clinic.slug}/messages").get_data(as_text=True)
    assert _nav_count(console) == "1"
    assert me.name in console
    clinics = client.get("/owner").get_data(as_text=True)
    assert '<span class="badge badge-warn">1 unread</span>' in clinics
    assert "Parking" in console
    opened = client.get(f"/owner/clinics/{x.clinic.slug}/messages/{thread.id}")
    assert _nav_count(opened.get_data(as_text=True)) is None  # read by opening it
    answer = client.htmx("POST", f"/owner/clinics/{x.clinic.slug}/messages/{thread.id}",
                         data={"body": "Yes, behind the building."})
    fragment = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "HX-Request" in answer.headers["Vary"]
    assert fragment.startswith('<div id="conversation"')
    assert "<html" not in fragment
    assert "Yes, behind the building." in fragment
    assert "Sent." in fragment

    auth.session_for(me)
    listing = client.get("/messages").get_data(as_text=True)
    assert _nav_count(listing) == "1"
    assert x.clinic.name in listing
    thread_page = client.get(f"/messages/{thread.id}").get_data(as_text=True)
    assert "Yes, behind the building." in thread_page
    assert _nav_count(thread_page) is None


def test_without_javascript_a_reply_is_a_303_back_to_the_thread(client, auth, x, now):
    thread = create_thread(x.clinic, at=now)
    db.session.commit()
    auth.session_for(thread.client)
    response = client.post(f"/messages/{thread.id}", data={"body": "One more question."})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/messages/{thread.id}#latest"
    assert "Your message is sent." in client.get(f"/messages/{thread.id}").get_data(as_text=True)


def test_text_is_escaped_and_keeps_its_newlines(client, auth, x, now):
    thread = create_thread(x.clinic, at=now)
    db.session.commit()
    auth.session_for(thread.client)
    client.post(f"/messages/{thread.id}", data={"body": "<script>alert(1)</script>\nline 2"})
    page = client.get(f"/messages/{thread.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\nline 2" in page


@pytest.mark.parametrize(("body", "status", "message"), [
    ("", 422, "Write a message before sending it."),
    ("   \n ", 422, "Write a message before sending it."),
    ("x" * 2001, 422, "Field cannot be longer than 2000 characters."),
    ("hello\x00", 400, "a NUL byte"),  # refused app-wide, with its reason
])
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_input_is_refused_with_a_message_and_saves_nothing(client, auth, x, now, body,
                                                               status, message, htmx):
    thread = create_thread(x.clinic, at=now)
    db.session.commit()
    before = _messages()
    auth.session_for(thread.client)
    url = f"/messages/{thread.id}"
    response = client.htmx("POST", url, data={"body": body}) if htmx else \
        client.post(url, data={"body": body})
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    asked = client.post(f"/clinics/{x.clinic.slug}/ask", data={"body": body})
    assert asked.status_code == status
    assert message in asked.get_data(as_text=True)
    assert _messages() == before


def test_another_clients_and_another_clinics_threads_are_404(client, auth, x, now):
    thread = create_thread(x.clinic, at=now, answer="Yes.")
    other = create_bookable_clinic()
    stranger = create_user()
    db.session.commit()
    before = _messages()
    answer_id = thread.messages[-1].id
    auth.session_for(stranger)
    assert client.get(f"/messages/{thread.id}").status_code == 404
    assert client.post(f"/messages/{thread.id}", data={"body": "Mine"}).status_code == 404
    assert client.get(f"/messages/report/{answer_id}").status_code == 404
    assert client.get("/messages/999999").status_code == 404
    auth.session_for(other.owner)
    for slug in (x.clinic.slug, other.clinic.slug):
        base = f"/owner/clinics/{slug}/messages/{thread.id}"
        assert client.get(base).status_code == 404, slug
        assert client.post(base, data={"body": "Mine"}).status_code == 404, slug
    assert client.get(f"/messages/report/{answer_id}").status_code == 404
    assert thread.client.name not in client.get(
        f"/owner/clinics/{other.clinic.slug}/messages").get_data(as_text=True)
    assert _messages() == before


def test_asking_about_a_booking_links_it_and_the_second_time_opens_that_thread(
        client, auth, x, now):
    me = create_user()
    booking = create_booking(x, starts_at=now + timedelta(days=3), client=me)
    db.session.commit()
    auth.session_for(me)
    page = client.get(f"/bookings/{booking.reference}").get_data(as_text=True)
    assert f"/bookings/{booking.reference}/ask" in page
    assert f"/bookings/{booking.reference}/ask" in client.get("/bookings").get_data(as_text=True)
    assert client.get(f"/bookings/{booking.reference}/ask").status_code == 200
    sent = client.post(f"/bookings/{booking.reference}/ask", data={"body": "Can I come early?"})
    thread = db.session.scalar(select(MessageThread).where(MessageThread.client_id == me.id))
    assert sent.status_code == 303
    assert thread.booking_id == booking.id
    again = client.get(f"/bookings/{booking.reference}/ask")
    assert again.status_code == 303
    assert again.headers["Location"] == f"/messages/{thread.id}#reply"
    auth.session_for(x.owner)
    console = client.get(f"/owner/clinics/{x.clinic.slug}/messages/{thread.id}")
    assert f"booking {booking.reference}" in console.get_data(as_text=True)


def test_a_suspended_client_is_signed_out_and_cannot_post(client, auth, x, now):
    thread = create_thread(x.clinic, at=now)
    db.session.commit()
    auth.session_for(thread.client)
    thread.client.status = UserStatus.SUSPENDED
    db.session.commit()
    before = _messages()
    response = client.post(f"/messages/{thread.id}", data={"body": "Still here"})
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["Location"]
    assert _messages() == before


@pytest.fixture
def limits_on(app):
    app.config["RATE_LIMITS"] = True
    limiter.reset()
    yield
    app.config["RATE_LIMITS"] = False
    limiter.reset()


def test_ten_messages_an_hour_shared_by_questions_and_answers(client, auth, x, now, limits_on):
    thread = create_thread(x.clinic, at=now)
    db.session.commit()
    auth.session_for(thread.client)
    assert client.post(f"/messages/{thread.id}", data={"body": ""}).status_code == 422  # free
    for n in range(9):
        assert client.post(f"/messages/{thread.id}", data={"body": f"n{n}"}).status_code == 303
    asked = client.post(f"/clinics/{x.clinic.slug}/ask", data={"body": "The tenth."})
    assert asked.status_code == 303
    refused = client.post(f"/messages/{thread.id}", data={"body": "The eleventh, kept."})
    assert refused.status_code == 429
    assert refused.headers["Retry-After"]
    page = refused.get_data(as_text=True)
    assert "Too many attempts" in page
    assert "The eleventh, kept." in page
    refused = client.post(f"/clinics/{x.clinic.slug}/ask", data={"body": "Kept too."})
    assert refused.status_code == 429
    assert "Kept too." in refused.get_data(as_text=True)


def test_a_client_reports_an_answer_and_an_admin_hides_it(client, auth, x, now):
    thread = create_thread(x.clinic, at=now, answer="Call my private number.")
    db.session.commit()
    answer = thread.messages[-1]
    auth.session_for(thread.client)
    page = client.get(f"/messages/{thread.id}").get_data(as_text=True)
    assert f"/messages/report/{answer.id}" in page
    assert f"/messages/report/{thread.messages[0].id}" not in page  # not one's own
    assert client.get(f"/messages/report/{thread.messages[0].id}").status_code == 403
    bad = client.htmx("POST", f"/messages/report/{answer.id}", data={"reason": "other"})
    assert bad.status_code == 422
    assert "Tell us what is wrong" in bad.get_data(as_text=True)
    done = client.htmx("POST", f"/messages/report/{answer.id}",
                       data={"reason": "private_info", "text": "Wants me off the site."})
    assert done.status_code == 200
    assert "An admin will read" in done.get_data(as_text=True)
    again = client.post(f"/messages/report/{answer.id}", data={"reason": "spam"})
    assert again.status_code == 303  # said once more, nothing new
    assert db.session.scalar(select(func.count(MessageReport.id))) == 1

    admin = create_user(role=Role.ADMIN)
    db.session.commit()
    auth.session_for(admin)
    assert "<strong>1</strong> reported message<" in client.get("/admin/").get_data(as_text=True)
    queue = client.get("/admin/moderation").get_data(as_text=True)
    assert f'id="reported-message-{answer.id}"' in queue
    assert "Call my private number." in queue
    hidden = client.htmx("POST", f"/admin/messages/{answer.id}/hide")
    assert hidden.status_code == 200
    assert "Hidden" in hidden.get_data(as_text=True)
    assert db.session.scalar(select(AuditLog.id).where(AuditLog.action == "message.hide"))
    repeat = client.htmx("POST", f"/admin/messages/{answer.id}/hide")
    assert repeat.status_code == 409

    auth.session_for(thread.client)
    page = client.get(f"/messages/{thread.id}").get_data(as_text=True)
    assert "A moderator hid this message." in page
    assert "Call my private number." not in page


def test_an_owner_reports_a_clients_message_and_an_admin_dismisses_without_javascript(
        client, auth, x, now):
    thread = create_thread(x.clinic, at=now)
    db.session.commit()
    question = thread.messages[0]
    auth.session_for(x.owner)
    sent = client.post(f"/messages/report/{question.id}", data={"reason": "spam"})
    assert sent.status_code == 303
    assert sent.headers["Location"] == f"/owner/clinics/{x.clinic.slug}/messages/{thread.id}"
    auth.session_for(create_user(role=Role.ADMIN))
    db.session.commit()
    dismissed = client.post(f"/admin/messages/{question.id}/dismiss")
    assert dismissed.status_code == 303
    assert dismissed.headers["Location"].endswith("/admin/moderation#reported-messages")
    db.session.expire_all()
    assert not db.session.get(Message, question.id).is_hidden
    assert "No reported messages." in client.get("/admin/moderation").get_data(as_text=True)


def _reported_thread(b, now, minutes: int):
    thread = create_thread(b.clinic, at=now - timedelta(minutes=minutes), answer="Spam!")
    db.session.add(MessageReport(message=thread.messages[-1], reporter=thread.client,
                                 reason="spam"))
    return thread


def test_lists_cost_the_same_queries_for_many_threads(client, auth, now, count_queries):
    b = create_bookable_clinic()
    me = create_user()
    admin = create_user(role=Role.ADMIN)
    others = [create_bookable_clinic() for _ in range(6)]
    create_thread(others[0].clinic, me, at=now, answer="Hi")
    _reported_thread(b, now, 1)
    db.session.commit()
    pages = {"/messages": me, f"/owner/clinics/{b.clinic.slug}/messages": b.owner,
             "/admin/moderation": admin}
    one = {}
    for url, who in pages.items():
        auth.session_for(who)
        with count_queries() as q:
            assert client.get(url).status_code == 200
        one[url] = q.count
    for n, other in enumerate(others[1:], start=2):
        create_thread(other.clinic, me, at=now - timedelta(minutes=n), answer="Hi")
        _reported_thread(b, now, n)
    db.session.commit()
    for url, who in pages.items():
        auth.session_for(who)
        with count_queries() as q:
            assert client.get(url).status_code == 200
        assert q.count == one[url], url
