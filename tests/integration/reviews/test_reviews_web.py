"""Reviews through the browser's eyes: writing one, the client's list, reports,
the public reviews page and the owner's response."""

from sqlalchemy import select

from marketplace.models import (
    ClinicStatus,
    ReportStatus,
    Review,
    ReviewReport,
    ReviewStatus,
    Role,
    VisitReport,
    db,
)
from marketplace.services.reviews import posting as reviews
from tests.support.factories import (
    create_bookable_clinic,
    create_completed_visit,
    create_review,
    create_user,
)

BODY = "Danielle found the trigger point behind my shoulder blade; no headache since."


def review_form(**overrides):
    data = {"rating": "5", "rating_pressure": "4", "body": BODY}
    data.update(overrides)
    return data


def test_client_writes_a_review_of_a_completed_visit(client, auth):
    visit = create_completed_visit()
    auth.login(visit.client)
    page = client.get(f"/bookings/{visit.reference}/review")
    assert page.status_code == 200
    assert visit.service.name in page.get_data(as_text=True)
    response = client.post(f"/bookings/{visit.reference}/review", data=review_form())
    assert response.status_code == 303
    assert response.headers["Location"] == "/reviews/mine"
    review = db.session.scalar(select(Review).where(Review.booking_id == visit.id))
    assert (review.status, review.rating, review.rating_pressure) == (ReviewStatus.PENDING, 5, 4)
    mine = client.get("/reviews/mine").get_data(as_text=True)
    assert "Waiting for moderation" in mine
    assert "Thank you. Your review will appear" in mine


def test_validation_errors_keep_what_was_typed(client, auth):
    visit = create_completed_visit()
    auth.login(visit.client)
    response = client.post(
        f"/bookings/{visit.reference}/review", data=review_form(rating="", body="Short but kept")
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Choose an overall rating" in body
    assert "Short but kept" in body
    assert 'aria-invalid="true"' in body
    too_long = client.post(f"/bookings/{visit.reference}/review", data=review_form(body="x" * 2001))
    assert too_long.status_code == 422
    bad_star = client.post(f"/bookings/{visit.reference}/review", data=review_form(rating="9"))
    assert bad_star.status_code == 422
    assert db.session.scalar(select(Review.id)) is None


def test_someone_elses_visit_is_not_found(client, auth):
    visit = create_completed_visit()
    auth.login(create_user())
    assert client.get(f"/bookings/{visit.reference}/review").status_code == 404
    assert client.post(f"/bookings/{visit.reference}/review", data=review_form()).status_code == 404
    assert client.get("/bookings/NOPE%00/review").status_code == 400
    assert client.get(f"/bookings/{'A' * 40}/review").status_code == 404


def test_anonymous_visitors_are_asked_to_sign_in(client):
    visit = create_completed_visit()
    response = client.get(f"/bookings/{visit.reference}/review")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_ineligible_visits_explain_why(client, auth):
    visit = create_completed_visit()
    create_review(visit)
    auth.login(visit.client)
    response = client.get(f"/bookings/{visit.reference}/review")
    assert response.status_code == 409
    assert "already reviewed" in response.get_data(as_text=True)
    old = create_completed_visit(client=visit.client, days_ago=200)
    response = client.post(f"/bookings/{old.reference}/review", data=review_form())
    assert response.status_code == 403
    assert "90 days" in response.get_data(as_text=True)


def test_the_author_sees_why_a_review_was_rejected(client, auth):
    visit = create_completed_visit()
    create_review(
        visit,
        status=ReviewStatus.REJECTED,
        rejection_reason="Please leave out the therapist's full name.",
    )
    auth.login(visit.client)
    page = client.get("/reviews/mine").get_data(as_text=True)
    assert "Not published" in page
    assert "Please leave out the therapist&#39;s full name." in page


def test_public_reviews_page_shows_published_reviews_with_the_average(client):
    b = create_bookable_clinic()
    create_review(
        create_completed_visit(b),
        rating=5,
        body="Great pressure work, very attentive.",
        response_body="Thanks for coming in!",
    )
    create_review(create_completed_visit(b), rating=2, body="Ran late and felt rushed today.")
    create_review(
        create_completed_visit(b),
        rating=1,
        status=ReviewStatus.PENDING,
        body="A pending one that must not show.",
    )
    reviews.refresh_clinic_rating(b.clinic.id)
    db.session.commit()
    response = client.get(f"/clinics/{b.clinic.slug}/reviews")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "data-rating-average>3.5<" in page
    assert "from 2 reviews" in page
    assert page.count("Verified visit") == 2
    assert b.service.name in page
    assert "Thanks for coming in!" in page
    assert "A pending one" not in page
    assert "Report this review" in page


def test_reviews_page_fragment_for_htmx(client):
    b = create_bookable_clinic()
    create_review(create_completed_visit(b))
    response = client.htmx("GET", f"/clinics/{b.clinic.slug}/reviews?page=1")
    body = response.get_data(as_text=True)
    assert "<html" not in body
    assert 'id="reviews"' in body
    assert "HX-Request" in response.headers["Vary"]


def test_reviews_page_is_for_published_clinics_only(client):
    pending = create_bookable_clinic(status=ClinicStatus.PENDING)
    suspended = create_bookable_clinic(status=ClinicStatus.SUSPENDED)
    assert client.get(f"/clinics/{pending.clinic.slug}/reviews").status_code == 404
    assert client.get(f"/clinics/{suspended.clinic.slug}/reviews").status_code == 404
    assert client.get("/clinics/no-such-clinic/reviews").status_code == 404
    assert client.get("/clinics/Bad%00Slug/reviews").status_code == 400


def test_reviews_page_pagination_is_safe(client):
    b = create_bookable_clinic()
    for page in ("0", "-5", "abc", "99999999999999999999"):
        assert client.get(f"/clinics/{b.clinic.slug}/reviews?page={page}").status_code == 200


def test_report_a_review_with_htmx_and_without(client, auth):
    review = create_review(create_completed_visit())
    auth.login(create_user())
    form = client.htmx("GET", f"/reviews/{review.id}/report").get_data(as_text=True)
    assert "<html" not in form
    assert f'name="report-{review.id}-reason"' in form
    response = client.htmx(
        "POST",
        f"/reviews/{review.id}/report",
        data={
            f"report-{review.id}-reason": "offensive",
            f"report-{review.id}-text": "Insults the therapist.",
        },
    )
    assert response.status_code == 200
    assert "A moderator will look at this review" in response.get_data(as_text=True)
    report = db.session.scalar(select(ReviewReport))
    assert (report.reason.value, report.text, report.status) == (
        "offensive",
        "Insults the therapist.",
        ReportStatus.OPEN,
    )
    again = client.post(f"/reviews/{review.id}/report", data={f"report-{review.id}-reason": "spam"})
    assert again.status_code == 303  # told they already reported it, on the reviews page


def test_report_needs_text_for_other_and_a_known_reason(client, auth):
    review = create_review(create_completed_visit())
    auth.login(create_user())
    other = client.htmx(
        "POST", f"/reviews/{review.id}/report", data={f"report-{review.id}-reason": "other"}
    )
    assert other.status_code == 422
    assert "Tell us what is wrong" in other.get_data(as_text=True)
    bogus = client.post(
        f"/reviews/{review.id}/report", data={f"report-{review.id}-reason": "because"}
    )
    assert bogus.status_code == 422


def test_only_published_reviews_can_be_reported(client, auth):
    review = create_review(create_completed_visit(), status=ReviewStatus.HIDDEN)
    auth.login(create_user())
    assert client.get(f"/reviews/{review.id}/report").status_code == 404
    assert client.get("/reviews/99999999999/report").status_code == 404


def test_client_reports_a_visit_privately(client, auth):
    visit = create_completed_visit()
    auth.login(visit.client)
    assert client.get(f"/bookings/{visit.reference}/report").status_code == 200
    response = client.post(
        f"/bookings/{visit.reference}/report",
        data={"text": "The therapist kept pressing after I asked to stop."},
    )
    assert response.status_code == 303
    report = db.session.scalar(select(VisitReport))
    assert report.booking_id == visit.id
    short = client.post(f"/bookings/{visit.reference}/report", data={"text": "bad"})
    assert short.status_code == 422


def test_owner_sees_reviews_and_responds_once_with_htmx(client, auth):
    b = create_bookable_clinic()
    review = create_review(create_completed_visit(b))
    create_review(create_completed_visit(b), status=ReviewStatus.PENDING)
    db.session.commit()
    auth.login(b.owner)
    page = client.get(f"/owner/clinics/{b.clinic.slug}/reviews").get_data(as_text=True)
    assert "1 waiting for moderation" in page
    assert f'name="response-{review.id}-body"' in page
    url = f"/owner/clinics/{b.clinic.slug}/reviews/{review.id}/response"
    empty = client.htmx("POST", url, data={f"response-{review.id}-body": "  "})
    assert empty.status_code == 422
    assert "Write a response" in empty.get_data(as_text=True)
    sent = client.htmx("POST", url, data={f"response-{review.id}-body": "Thank you, see you soon."})
    assert sent.status_code == 200
    fragment = sent.get_data(as_text=True)
    assert "<html" not in fragment
    assert "Thank you, see you soon." in fragment
    assert "<form" not in fragment
    again = client.htmx("POST", url, data={f"response-{review.id}-body": "Twice?"})
    assert again.status_code == 409
    assert "already has" in again.get_data(as_text=True)
    plain = client.post(url, data={f"response-{review.id}-body": "Twice?"}, follow_redirects=True)
    assert "already has" in plain.get_data(as_text=True)
    db.session.refresh(review)
    assert review.response_body == "Thank you, see you soon."


def test_response_without_javascript_redirects_back(client, auth):
    b = create_bookable_clinic()
    review = create_review(create_completed_visit(b))
    auth.login(b.owner)
    url = f"/owner/clinics/{b.clinic.slug}/reviews/{review.id}/response"
    response = client.post(url, data={f"response-{review.id}-body": "Thanks!"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/owner/clinics/{b.clinic.slug}/reviews"


def test_owners_only_reach_their_own_clinics_reviews(client, auth):
    mine, theirs = create_bookable_clinic(), create_bookable_clinic()
    review = create_review(create_completed_visit(theirs))
    auth.login(mine.owner)
    assert client.get(f"/owner/clinics/{theirs.clinic.slug}/reviews").status_code == 404
    url = f"/owner/clinics/{mine.clinic.slug}/reviews/{review.id}/response"
    assert client.post(url, data={f"response-{review.id}-body": "Hi"}).status_code == 404
    auth.logout()
    auth.login(create_user())
    assert client.get(f"/owner/clinics/{mine.clinic.slug}/reviews").status_code == 403
    auth.logout()
    auth.login(create_user(role=Role.ADMIN))
    assert client.get(f"/owner/clinics/{theirs.clinic.slug}/reviews").status_code == 200


def test_reviews_pages_cost_the_same_queries_for_many_reviews(client, auth, count_queries):
    def build(n):
        b = create_bookable_clinic()
        for i in range(n):
            create_review(create_completed_visit(b, days_ago=i + 1), response_body="Thanks")
        reviews.refresh_clinic_rating(b.clinic.id)
        db.session.commit()
        return b

    few, many = build(1), build(10)
    counts = []
    for b in (few, many):
        with count_queries() as q:
            assert client.get(f"/clinics/{b.clinic.slug}/reviews").status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1]
    assert counts[1] <= 10


def test_review_form_fragment_for_htmx(client, auth):
    visit = create_completed_visit()
    auth.login(visit.client)
    response = client.htmx("POST", f"/bookings/{visit.reference}/review", data={"body": "short"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "<html" not in body
    assert 'id="review-form"' in body
