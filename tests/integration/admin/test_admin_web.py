"""The admin console over HTTP: every route refuses non-admins, moderation works in
place with htmx and without JavaScript, and the other tools do what they say."""

import pytest
from sqlalchemy import select
from werkzeug.routing import AnyConverter

from marketplace.models import (
    ClinicStatus,
    MessageReport,
    MessageReportReason,
    Photo,
    ReportStatus,
    ReviewStatus,
    Role,
    UserStatus,
    VisitReport,
    db,
    utcnow,
)
from marketplace.services.reviews import moderation
from tests.support.factories import (
    create_bookable_clinic,
    create_claim,
    create_clinic,
    create_completed_visit,
    create_review,
    create_therapist,
    create_thread,
    create_user,
)


def admin_rules(app):
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint.startswith("admin.")),
        key=lambda r: r.rule,
    )


def build(app, rule, ids):
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = ids[name]
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


@pytest.fixture
def world(app):
    """One of everything an admin route can name."""
    b = create_bookable_clinic()
    visit = create_completed_visit(b)
    review = create_review(visit, status=ReviewStatus.PENDING)
    report = VisitReport(
        booking_id=visit.id, reporter_id=visit.client_id, text="Something happened at the visit."
    )
    db.session.add(report)
    claim = create_claim(b.clinic, create_user())
    thread = create_thread(b.clinic, answer="We can help with that.")
    reported = MessageReport(message=thread.messages[-1], reporter=thread.client,
                             reason=MessageReportReason.SPAM)
    db.session.add(reported)
    db.session.flush()
    photo = Photo(clinic=b.clinic, alt_text="A room", digest="0" * 64, widths=[400],
                  width=400, height=300)
    db.session.add(photo)
    db.session.flush()
    return {
        "message_id": reported.message_id,
        "photo_id": photo.id,
        "review_id": review.id,
        "report_id": report.id,
        "clinic_id": b.clinic.id,
        "claim_id": claim.id,
        "user_id": visit.client_id,
    }


def test_the_walk_covers_the_console(app):
    endpoints = {r.endpoint for r in admin_rules(app)}
    assert {
        "admin.dashboard",
        "admin.moderation_queue",
        "admin.moderate",
        "admin.clinics",
        "admin.verify_clinic",
        "admin.suspend_user",
        "admin.audit_csv",
    } <= endpoints
    assert len(endpoints) >= 18


@pytest.mark.parametrize("who", [None, Role.CLIENT, Role.OWNER])
def test_every_admin_route_refuses_non_admins(app, client, auth, world, who):
    if who is not None:
        auth.login(create_user(role=who))
    for rule in admin_rules(app):
        url = build(app, rule, world)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={"reason": "x"})
            if who is None:
                assert response.status_code == 302, (method, url)
                assert "/login" in response.headers["Location"], (method, url)
            else:
                assert response.status_code == 403, (who, method, url)
    db.session.expire_all()
    assert db.session.get(VisitReport, world["report_id"]).status is ReportStatus.OPEN


def test_every_admin_route_answers_an_admin(app, client, auth, world):
    auth.login(create_user(role=Role.ADMIN))
    for rule in admin_rules(app):
        url = build(app, rule, world)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            expected = {200} if method == "GET" else {200, 303, 422}
            assert response.status_code in expected, (method, url, response.status_code)


def test_moderation_queue_lists_items_with_their_booking(client, auth, world):
    auth.login(create_user(role=Role.ADMIN))
    page = client.get("/admin/moderation").get_data(as_text=True)
    assert f'id="queue-review-{world["review_id"]}"' in page
    assert f'id="queue-visit-report-{world["report_id"]}"' in page
    fragment = client.htmx("GET", "/admin/moderation").get_data(as_text=True)
    assert "<html" not in fragment
    assert "queue-review-" in fragment


def test_htmx_approve_returns_the_item_resolved(client, auth):
    b = create_bookable_clinic()
    review = create_review(create_completed_visit(b), status=ReviewStatus.PENDING, rating=4)
    auth.login(create_user(role=Role.ADMIN))
    response = client.htmx("POST", f"/admin/reviews/{review.id}/approve")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body
    assert f'id="queue-review-{review.id}"' in body
    assert "Approved: the review is published." in body
    assert "<form" not in body
    assert 'id="queue-summary" hx-swap-oob="true">0 new reviews' in body
    db.session.refresh(review)
    db.session.refresh(b.clinic)
    assert review.status is ReviewStatus.PUBLISHED
    assert (b.clinic.rating_avg, b.clinic.review_count) == (4.0, 1)


def test_htmx_reject_without_a_reason_is_a_422_fragment(client, auth):
    review = create_review(create_completed_visit(), status=ReviewStatus.PENDING)
    auth.login(create_user(role=Role.ADMIN))
    response = client.htmx("POST", f"/admin/reviews/{review.id}/reject", data={"reason": ""})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Give a reason." in body
    assert '<details class="queue-more" open>' in body
    db.session.refresh(review)
    assert review.status is ReviewStatus.PENDING
    ok = client.htmx(
        "POST", f"/admin/reviews/{review.id}/reject", data={"reason": "Describes another client."}
    )
    assert ok.status_code == 200
    assert "Rejected" in ok.get_data(as_text=True)


def test_without_javascript_decisions_go_back_to_the_queue(client, auth):
    review = create_review(create_completed_visit(), status=ReviewStatus.PENDING)
    auth.login(create_user(role=Role.ADMIN))
    missing = client.post(f"/admin/reviews/{review.id}/reject", data={"reason": ""})
    assert missing.status_code == 422
    assert "<html" in missing.get_data(as_text=True)
    response = client.post(f"/admin/reviews/{review.id}/hide", data={"reason": ""})
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/moderation"
    page = client.get("/admin/moderation").get_data(as_text=True)
    assert "Hidden: the review no longer shows anywhere." in page
    twice = client.post(f"/admin/reviews/{review.id}/hide", follow_redirects=True)
    assert "already hidden" in twice.get_data(as_text=True)


def test_resolve_a_visit_report(client, auth, world):
    auth.login(create_user(role=Role.ADMIN))
    url = f"/admin/visit-reports/{world['report_id']}/resolve"
    assert client.htmx("POST", url, data={}).status_code == 422
    response = client.htmx("POST", url, data={"outcome": "dismissed", "note": "No evidence."})
    assert response.status_code == 200
    assert "Report dismissed." in response.get_data(as_text=True)


def test_admin_verifies_a_clinic_ticking_licences(client, auth):
    clinic = create_clinic(status=ClinicStatus.PENDING)
    therapist = create_therapist(clinic, licence_number="MA55555")
    other = create_therapist(clinic, licence_number="MA66666")
    db.session.commit()
    auth.login(create_user(role=Role.ADMIN))
    page = client.get(f"/admin/clinics/{clinic.id}").get_data(as_text=True)
    assert "MA55555" in page
    assert "Verify and publish" in page
    bogus = client.post(f"/admin/clinics/{clinic.id}/verify", data={"therapists": "999999"})
    assert bogus.status_code == 422
    response = client.post(
        f"/admin/clinics/{clinic.id}/verify", data={"therapists": str(therapist.id)}
    )
    assert response.status_code == 303
    db.session.refresh(clinic)
    db.session.refresh(therapist)
    db.session.refresh(other)
    assert clinic.status is ClinicStatus.PUBLISHED
    assert therapist.licence_checked_at is not None
    assert other.licence_checked_at is None
    public = client.get(f"/clinics/{clinic.slug}/reviews").get_data(as_text=True)
    assert "licence checked on" in public


def test_admin_suspends_a_user_who_is_signed_out_at_once(app, client, auth):
    victim = create_user()
    db.session.commit()
    other = app.test_client()
    other.post("/login", data={"email": victim.email, "password": "correct horse battery staple"})
    assert "Sign out" in other.get("/").get_data(as_text=True)
    auth.login(create_user(role=Role.ADMIN))
    missing = client.post(f"/admin/users/{victim.id}/suspend", data={"reason": ""})
    assert missing.status_code == 422
    response = client.post(f"/admin/users/{victim.id}/suspend", data={"reason": "Fake reviews"})
    assert response.status_code == 303
    db.session.refresh(victim)
    assert victim.status is UserStatus.SUSPENDED
    assert "Sign out" not in other.get("/").get_data(as_text=True)
    client.post(f"/admin/users/{victim.id}/restore")
    db.session.refresh(victim)
    assert victim.status is UserStatus.ACTIVE


def test_admin_suspends_and_restores_a_clinic(client, auth):
    b = create_bookable_clinic(verified_at=utcnow())
    auth.login(create_user(role=Role.ADMIN))
    response = client.post(
        f"/admin/clinics/{b.clinic.id}/suspend",
        data={"reason": "Complaints"},
        follow_redirects=True,
    )
    assert "is suspended" in response.get_data(as_text=True)
    assert client.get(f"/clinics/{b.clinic.slug}/reviews").status_code == 404
    client.post(f"/admin/clinics/{b.clinic.id}/restore")
    assert client.get(f"/clinics/{b.clinic.slug}/reviews").status_code == 200


def test_admin_approves_a_claim(client, auth):
    clinic = create_clinic()
    claimant = create_user()
    claim = create_claim(clinic, claimant)
    auth.login(create_user(role=Role.ADMIN))
    assert claimant.email in client.get("/admin/claims").get_data(as_text=True)
    response = client.post(f"/admin/claims/{claim.id}/approve")
    assert response.status_code == 303
    db.session.refresh(claimant)
    assert claimant.role is Role.OWNER
    rejected = create_claim(create_clinic(), create_user())
    assert client.post(f"/admin/claims/{rejected.id}/reject", data={}).status_code == 422


def test_searches_and_filters_answer_bad_input_with_messages(client, auth):
    auth.login(create_user(role=Role.ADMIN, name="Quinn Admin"))
    assert "Quinn Admin" in client.get("/admin/users?q=quinn").get_data(as_text=True)
    for url in (
        "/admin/users?role=emperor",
        "/admin/clinics?status=lost",
        "/admin/audit?date_from=2026-02-30",
        "/admin/audit?date_from=2026-03-02&date_to=2026-03-01",
        "/admin/audit?date_to=9999-12-31",
        "/admin/audit?object_id=abc",
        "/admin/audit?object_id=99999999999",
        "/admin/audit.csv?date_from=nope",
    ):
        assert client.get(url).status_code == 422, url
    for url in ("/admin/users?q=%25", "/admin/audit?actor=_&page=-3", "/admin/clinics?page=x"):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/users?q=%00").status_code == 400  # NUL bytes: refused everywhere
    assert client.get("/admin/users/99999999999").status_code == 404
    assert client.get("/admin/users/2147483647").status_code == 404


def test_audit_log_page_and_csv(client, auth):
    review = create_review(create_completed_visit(), status=ReviewStatus.PENDING)
    admin = create_user(role=Role.ADMIN)
    moderation.moderate(
        review=review,
        action=moderation.Action.REJECT,
        admin=admin,
        reason="=IMPORTXML(evil)",
        now=utcnow(),
        sender="x@kneaded.test",
    )
    db.session.commit()
    auth.login(admin)
    page = client.get("/admin/audit?action=review").get_data(as_text=True)
    assert "review.reject" in page
    assert "/admin/audit.csv?action=review" in page
    csv_response = client.get("/admin/audit.csv?action=review.reject")
    assert csv_response.status_code == 200
    assert csv_response.mimetype == "text/csv"
    assert csv_response.headers["Content-Disposition"].startswith("attachment;")
    text = csv_response.get_data(as_text=True)
    assert "review.reject" in text
    assert "=IMPORTXML" in text  # inside the JSON detail cell, which starts with "{"
    assert all(not line.startswith(("=", "+", "-", "@")) for line in text.splitlines())
    empty = client.get("/admin/audit.csv?action=nothing.here").get_data(as_text=True)
    assert empty.strip().splitlines() == [
        ",".join(
            [
                "id",
                "time_utc",
                "actor_id",
                "actor_email",
                "action",
                "object_type",
                "object_id",
                "clinic_id",
                "detail",
                "ip_address",
            ]
        )
    ]
    assert db.session.scalar(select(VisitReport.id)) is None


def test_moderation_queue_costs_the_same_queries_for_many_items(client, auth, count_queries):
    auth.login(create_user(role=Role.ADMIN))
    b = create_bookable_clinic()
    days = iter(range(1, 80))

    def add_one_of_each():
        create_review(create_completed_visit(b, days_ago=next(days)), status=ReviewStatus.PENDING)
        reported = create_review(create_completed_visit(b, days_ago=next(days)))
        for _ in range(2):
            moderation.report_review(
                review=reported,
                reporter=create_user(),
                reason=moderation.ReportReason.SPAM,
                text="",
                now=utcnow(),
            )
        visit = create_completed_visit(b, days_ago=next(days))
        moderation.report_visit(
            booking=visit,
            reporter=visit.client,
            text="Something was not right at this visit.",
            now=utcnow(),
        )
        db.session.commit()

    add_one_of_each()
    with count_queries() as q:
        client.get("/admin/moderation")
    one = q.count
    for _ in range(8):
        add_one_of_each()
    with count_queries() as q:
        page = client.get("/admin/moderation").get_data(as_text=True)
    assert page.count('class="card queue-item') == 27
    assert q.count == one


@pytest.mark.parametrize(
    "url",
    [
        "/admin/users?q=a",
        "/admin/clinics?status=pending",
        "/admin/audit?action=review",
        "/admin/moderation",
    ],
)
def test_live_filters_answer_htmx_with_their_fragment(client, auth, url):
    auth.login(create_user(role=Role.ADMIN))
    create_clinic(status=ClinicStatus.PENDING)
    response = client.htmx("GET", url)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body
    assert "HX-Request" in response.headers["Vary"]
