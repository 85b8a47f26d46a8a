"""Reviews as clients, owners and the public meet them: write one for a completed
visit, list one's visits and reviews, report a review or a visit, the clinic's
published reviews, and the owner's page with the one public response."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from ..extensions import rate_limit
from ..forms.reviews import ReportReviewForm, ResponseForm, ReviewForm, VisitReportForm
from ..models import Booking, Clinic, ClinicStatus, ReportReason, Review, ReviewStatus, db, utcnow
from ..services.common.errors import Conflict, DomainError
from ..services.common.slugs import SLUG_RE
from ..services.reviews import moderation
from ..services.reviews import posting as reviews
from .auth import owned_clinic_or_404, owner_required
from .htmx import is_htmx, redirect_to, render
from .rules import booking_rules

bp = Blueprint("reviews", __name__)

ID = "int(max=2147483647)"  # ids beyond a 32-bit integer are not ours: 404, not a 500
_REFERENCE = re.compile(r"[A-Za-z0-9]{1,12}")
_SLUG = SLUG_RE


@bp.app_template_global()
def clinic_timezone(clinic: Clinic) -> str:
    """The zone a clinic's dates are shown in: its first location's."""
    return clinic.locations[0].timezone if clinic.locations else "UTC"


bp.add_app_template_global(reviews.aspect_ratings, "review_aspects")
bp.add_app_template_global(reviews.author_label, "review_author")


def _window() -> int:
    return booking_rules().review_window_days


def _my_booking_or_404(reference: str) -> Booking:
    """The signed-in client's booking with this reference; anyone else's is a 404."""
    if not _REFERENCE.fullmatch(reference):
        abort(404)
    booking = db.session.scalar(select(Booking).where(Booking.reference == reference.upper()))
    if booking is None or booking.client_id != current_user.id:
        abort(404)
    return booking


def _published_clinic_or_404(slug: str) -> Clinic:
    if not _SLUG.fullmatch(slug):
        abort(404)
    clinic = db.session.scalar(select(Clinic).where(Clinic.slug == slug))
    if clinic is None or clinic.status is not ClinicStatus.PUBLISHED:
        abort(404)
    return clinic


def _page() -> int:
    return min(max(request.args.get("page", 1, type=int), 1), 1000)


# --- clients ------------------------------------------------------------------------------


@bp.route("/bookings/<reference>/review", methods=["GET", "POST"])
@login_required
@rate_limit("20 per hour", methods=["POST"])
def new(reference: str):
    """Write a review of a completed visit (verified: only its client, once, in time)."""
    booking = _my_booking_or_404(reference)
    try:
        reviews.check_eligible(booking, current_user, now=utcnow(), window_days=_window())
    except DomainError as exc:
        status = 409 if isinstance(exc, Conflict) else 403
        return render("reviews/not_eligible.html", booking=booking, reason=str(exc), status=status)
    form = ReviewForm()
    if form.validate_on_submit():
        ratings = reviews.Ratings(
            form.rating.data, {name: getattr(form, name).data for name in form.ASPECTS}
        )
        try:
            reviews.create_review(
                booking=booking,
                author=current_user,
                ratings=ratings,
                body=form.body.data,
                now=utcnow(),
                window_days=_window(),
            )
        except DomainError as exc:
            form.body.errors.append(str(exc))
        else:
            db.session.commit()
            flash("Thank you. Your review will appear once a moderator has read it.", "success")
            return redirect_to(url_for("reviews.mine"))
    status = 422 if form.errors else 200
    return render("reviews/new.html", "review_form", form=form, booking=booking, status=status)


@bp.get("/reviews/mine")
@login_required
def mine():
    """The client's completed visits: what they can review, and how their reviews fared."""
    visits = reviews.client_visits(current_user, now=utcnow(), window_days=_window())
    return render("reviews/mine.html", visits=visits, window_days=_window())


@bp.route("/bookings/<reference>/report", methods=["GET", "POST"])
@login_required
@rate_limit("10 per hour", methods=["POST"])
def report_visit(reference: str):
    """Tell the admins, privately, about something that went wrong at a visit."""
    booking = _my_booking_or_404(reference)
    form = VisitReportForm()
    if form.validate_on_submit():
        try:
            moderation.report_visit(
                booking=booking, reporter=current_user, text=form.text.data, now=utcnow()
            )
        except DomainError as exc:
            form.text.errors.append(str(exc))
        else:
            db.session.commit()
            flash(
                "Thank you for telling us. Only our admins read this; we will reply by e-mail.",
                "success",
            )
            return redirect_to(url_for("reviews.mine"))
    status = 422 if form.errors else 200
    return render("reviews/report_visit.html", form=form, booking=booking, status=status)


# --- anyone signed in: reporting a published review -----------------------------------------


def _reportable_or_404(review_id: int) -> Review:
    review = db.get_or_404(Review, review_id)
    if review.status is not ReviewStatus.PUBLISHED or not review.clinic.is_public:
        abort(404)
    return review


@bp.route(f"/reviews/<{ID}:review_id>/report", methods=["GET", "POST"])
@login_required
@rate_limit("30 per hour", methods=["POST"])
def report(review_id: int):
    """Report a published review to the moderators (a reason from a list, and text)."""
    review = _reportable_or_404(review_id)
    form = ReportReviewForm(prefix=f"report-{review.id}")
    done = None
    if form.validate_on_submit():
        try:
            moderation.report_review(
                review=review,
                reporter=current_user,
                reason=ReportReason(form.reason.data),
                text=form.text.data,
                now=utcnow(),
            )
        except Conflict as exc:
            done = str(exc)
        except DomainError as exc:
            form.text.errors.append(str(exc))
        else:
            db.session.commit()
            done = "Thank you. A moderator will look at this review."
    if done and not is_htmx():
        flash(done, "success")
        return redirect_to(url_for("reviews.clinic_reviews", slug=review.clinic.slug))
    status = 422 if form.errors else 200
    block = "report_done" if done else "report_form"
    return render("reviews/report.html", block, form=form, review=review, done=done, status=status)


# --- the public --------------------------------------------------------------------------


@bp.get("/clinics/<slug>/reviews")
def clinic_reviews(slug: str):
    """A published clinic's verified reviews with the rating summary."""
    clinic = _published_clinic_or_404(slug)
    data = reviews.clinic_reviews(clinic, page=_page())
    return render("reviews/clinic_reviews.html", "clinic_reviews", clinic_reviews=data)


# --- owners ------------------------------------------------------------------------------


def _response_form(review: Review, formdata=None) -> ResponseForm:
    kwargs = {} if formdata is not None else {"formdata": None}
    return ResponseForm(prefix=f"response-{review.id}", **kwargs)


@bp.get("/owner/clinics/<slug>/reviews")
@owner_required
def owner_reviews(slug: str):
    """The clinic's published reviews, each answerable once in public."""
    clinic = owned_clinic_or_404(slug)
    return _owner_page(clinic)


def _owner_page(clinic: Clinic, *, failed: ResponseForm | None = None, failed_id: int = 0):
    data = reviews.clinic_reviews(clinic, page=_page(), per_page=20)
    forms = {r.id: _response_form(r) for r in data.reviews if r.response_body is None}
    if failed is not None:
        forms[failed_id] = failed
    pending = db.session.scalar(
        select(func.count(Review.id)).where(
            Review.clinic_id == clinic.id, Review.status == ReviewStatus.PENDING
        )
    )
    status = 422 if failed is not None else 200
    return render(
        "reviews/owner_reviews.html",
        clinic=clinic,
        clinic_reviews=data,
        forms=forms,
        pending=pending,
        status=status,
    )


@bp.post(f"/owner/clinics/<slug>/reviews/<{ID}:review_id>/response")
@owner_required
def respond(slug: str, review_id: int):
    """Post the clinic's one public response to a review."""
    clinic = owned_clinic_or_404(slug)
    review = db.get_or_404(Review, review_id)
    if review.clinic_id != clinic.id:
        abort(404)
    form = _response_form(review, formdata=request.form)
    if not form.validate_on_submit():
        return _response_invalid(clinic, review, form)
    try:
        reviews.respond(review=review, responder=current_user, body=form.body.data, now=utcnow())
    except Conflict as exc:  # answered meanwhile (another tab, a colleague)
        db.session.rollback()
        return _item_or_back(clinic, review, str(exc), "error", status=409, error=str(exc))
    except DomainError as exc:
        form.body.errors.append(str(exc))
        return _response_invalid(clinic, review, form)
    db.session.commit()
    message = "Your response is published under the review."
    return _item_or_back(clinic, review, message, "success", just_sent=True)


def _item_or_back(
    clinic: Clinic, review: Review, message: str, category: str, *, status: int = 200, **item
):
    """htmx: the review's item as it now stands; otherwise back to the owner's page."""
    if is_htmx():
        return render(
            "reviews/_owner_review.html",
            "owner_review",
            review=review,
            form=None,
            clinic=clinic,
            status=status,
            **item,
        )
    flash(message, category)
    return redirect_to(url_for("reviews.owner_reviews", slug=clinic.slug))


def _response_invalid(clinic: Clinic, review: Review, form: ResponseForm):
    """The form again with its errors (422): the item for htmx, else the whole page."""
    if is_htmx():
        return render(
            "reviews/_owner_review.html",
            "owner_review",
            review=review,
            form=form,
            clinic=clinic,
            status=422,
        )
    return _owner_page(clinic, failed=form, failed_id=review.id)
