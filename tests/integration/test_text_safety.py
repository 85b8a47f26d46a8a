"""Review text, owner responses, report text and moderators' reasons are plain
text: each injection below goes in through the real forms and must come out
escaped on every page that shows it (and never as markup in the CSV)."""

import pytest
from sqlalchemy import select

from marketplace.models import Review, ReviewStatus, Role, db
from tests.support.factories import (
    create_bookable_clinic,
    create_completed_visit,
    create_review,
    create_user,
)

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><b>bold</b>',
    '<a href="javascript:alert(1)">x</a>',
]
PAD = " and a little more text so the review is long enough to pass."


def escaped(payload):
    return (
        payload.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


def assert_safe(html, payload, where):
    assert payload not in html, f"raw markup in {where}"
    assert escaped(payload) in html, f"text missing (escaped) from {where}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_injected_text_is_escaped_everywhere(app, client, auth, payload):
    b = create_bookable_clinic()
    visit = create_completed_visit(b)
    admin = create_user(role=Role.ADMIN)
    reporter = create_user()
    db.session.commit()

    # The client writes a review and files a private visit report.
    auth.login(visit.client)
    client.post(f"/bookings/{visit.reference}/review", data={"rating": "4", "body": payload + PAD})
    client.post(f"/bookings/{visit.reference}/report", data={"text": payload + PAD})
    review = db.session.scalar(select(Review).where(Review.booking_id == visit.id))
    assert review.body == payload + PAD  # stored as typed: plain text, not sanitised HTML
    auth.logout()

    # An admin sees both in the queue and approves the review.
    auth.login(admin)
    assert_safe(client.get("/admin/moderation").get_data(as_text=True), payload, "queue")
    item = client.htmx("POST", f"/admin/reviews/{review.id}/approve").get_data(as_text=True)
    assert_safe(item, payload, "queue item fragment")
    auth.logout()

    # The owner answers with the payload.
    auth.login(b.owner)
    owner_url = f"/owner/clinics/{b.clinic.slug}/reviews"
    assert_safe(client.get(owner_url).get_data(as_text=True), payload, "owner page")
    sent = client.htmx(
        "POST",
        f"{owner_url}/{review.id}/response",
        data={f"response-{review.id}-body": "Reply: " + payload},
    )
    assert_safe(sent.get_data(as_text=True), "Reply: " + payload, "owner response fragment")
    auth.logout()

    # Someone reports it with the payload as the text.
    auth.login(reporter)
    public = client.get(f"/clinics/{b.clinic.slug}/reviews").get_data(as_text=True)
    assert_safe(public, payload, "public reviews page")
    assert_safe(public, "Reply: " + payload, "public response")
    client.post(
        f"/reviews/{review.id}/report",
        data={f"report-{review.id}-reason": "other", f"report-{review.id}-text": payload},
    )
    auth.logout()

    # The admin sees the report, rejects another review, suspends a user and the clinic,
    # each with the payload as the reason.
    other = create_review(create_completed_visit(b), status=ReviewStatus.PENDING)
    victim = create_user()
    db.session.commit()
    auth.login(admin)
    assert_safe(client.get("/admin/moderation").get_data(as_text=True), payload, "report in queue")
    client.post(f"/admin/reviews/{other.id}/reject", data={"reason": payload})
    client.post(f"/admin/users/{victim.id}/suspend", data={"reason": payload})
    assert_safe(
        client.get(f"/admin/users/{victim.id}").get_data(as_text=True), payload, "admin user page"
    )
    assert_safe(client.get("/admin/audit").get_data(as_text=True), payload, "audit log")
    client.post(f"/admin/clinics/{b.clinic.id}/suspend", data={"reason": payload})
    assert_safe(
        client.get(f"/admin/clinics/{b.clinic.id}").get_data(as_text=True),
        payload,
        "admin clinic page",
    )
    csv_response = client.get("/admin/audit.csv")
    assert csv_response.mimetype == "text/csv"
    assert csv_response.headers["X-Content-Type-Options"] == "nosniff"
    assert csv_response.headers["Content-Disposition"].startswith("attachment;")
    auth.logout()

    # The author sees the rejection reason, escaped.
    auth.login(other.author)
    assert_safe(client.get("/reviews/mine").get_data(as_text=True), payload, "my reviews")


def test_no_template_marks_user_text_safe():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    for folder in ("reviews", "admin"):
        for path in (root / folder).glob("*.html"):
            assert "|safe" not in path.read_text().replace(" ", ""), path
