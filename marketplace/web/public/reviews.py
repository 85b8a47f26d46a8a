"""A published clinic's verified reviews, and reporting one to the moderators."""

from __future__ import annotations

from flask import abort, flash, url_for
from flask_login import current_user, login_required

from ...extensions import rate_limit
from ...forms.reviews import ReportReviewForm
from ...models import ReportReason, Review, ReviewStatus, db, utcnow
from ...services.common.errors import Conflict
from ...services.reviews import moderation
from ...services.reviews import posting as reviews
from ..actions import run
from ..htmx import is_htmx, redirect_to, render
from ..loaders import published_clinic_or_404
from ..paging import page_number
from .base import bp


@bp.get("/clinics/<slug:slug>/reviews")
def clinic_reviews(slug: str):
    """A published clinic's verified reviews with the rating summary."""
    clinic = published_clinic_or_404(slug)
    data = reviews.clinic_reviews(clinic, page=page_number())
    return render("public/reviews.html", "clinic_reviews", clinic_reviews=data)


def _reportable_or_404(review_id: int) -> Review:
    review = db.get_or_404(Review, review_id)
    if review.status is not ReviewStatus.PUBLISHED or not review.clinic.is_public:
        abort(404)
    return review


@bp.route("/reviews/<int:review_id>/report", methods=["GET", "POST"])
@login_required
@rate_limit("30 per hour", methods=["POST"])
def report_review(review_id: int):
    """Report a published review to the moderators (a reason from a list, and text)."""
    review = _reportable_or_404(review_id)
    form = ReportReviewForm(prefix=f"report-{review.id}")
    done = None
    if form.validate_on_submit():
        outcome = run(lambda: moderation.report_review(
            review=review, reporter=current_user, reason=ReportReason(form.reason.data),
            text=form.text.data, now=utcnow()))
        if outcome.ok:
            done = "Thank you. A moderator will look at this review."
        elif isinstance(outcome.error, Conflict):  # reported already: said, not an error
            done = outcome.message
        else:
            form.text.errors.append(outcome.message)
    if done and not is_htmx():
        flash(done, "success")
        return redirect_to(url_for("public.clinic_reviews", slug=review.clinic.slug))
    status = 422 if form.errors else 200
    block = "report_done" if done else "report_form"
    return render("public/report_review.html", block, form=form, review=review, done=done,
                  status=status)
