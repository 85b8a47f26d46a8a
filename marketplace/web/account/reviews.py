"""My reviews: the client's completed visits, writing a verified review of one, and
telling the admins privately about something that went wrong at a visit."""

from __future__ import annotations

from flask import flash, url_for
from flask_login import current_user, login_required

from ...extensions import rate_limit
from ...forms.reviews import ReviewForm, VisitReportForm
from ...models import utcnow
from ...services.common.errors import Conflict, DomainError
from ...services.reviews import moderation
from ...services.reviews import posting as reviews
from ..actions import run
from ..htmx import redirect_to, render
from ..loaders import my_booking_or_404
from ..rules import booking_rules
from .base import bp


def _window() -> int:
    return booking_rules().review_window_days


@bp.route("/bookings/<ref:reference>/review", methods=["GET", "POST"])
@login_required
@rate_limit("20 per hour", methods=["POST"])
def write_review(reference: str):
    """Write a review of a completed visit (verified: only its client, once, in time)."""
    booking = my_booking_or_404(reference)
    try:
        reviews.check_eligible(booking, current_user, now=utcnow(), window_days=_window())
    except DomainError as exc:
        status = 409 if isinstance(exc, Conflict) else 403
        return render("account/review_not_eligible.html", booking=booking, reason=str(exc),
                      status=status)
    form = ReviewForm()
    if form.validate_on_submit():
        ratings = reviews.Ratings(
            form.rating.data, {name: getattr(form, name).data for name in form.ASPECTS}
        )
        outcome = run(lambda: reviews.create_review(
            booking=booking, author=current_user, ratings=ratings, body=form.body.data,
            now=utcnow(), window_days=_window()))
        if not outcome.ok:
            form.body.errors.append(outcome.message)
        else:
            flash("Thank you. Your review will appear once a moderator has read it.", "success")
            return redirect_to(url_for("account.reviews"))
    status = 422 if form.errors else 200
    return render("account/review.html", "review_form", form=form, booking=booking,
                  status=status)


@bp.get("/reviews/mine", endpoint="reviews")
@login_required
def my_reviews():
    """The client's completed visits: what they can review, and how their reviews fared."""
    visits = reviews.client_visits(current_user, now=utcnow(), window_days=_window())
    return render("account/reviews.html", visits=visits, window_days=_window())


@bp.route("/bookings/<ref:reference>/report", methods=["GET", "POST"])
@login_required
@rate_limit("10 per hour", methods=["POST"])
def report_visit(reference: str):
    """Tell the admins, privately, about something that went wrong at a visit."""
    booking = my_booking_or_404(reference)
    form = VisitReportForm()
    if form.validate_on_submit():
        outcome = run(lambda: moderation.report_visit(
            booking=booking, reporter=current_user, text=form.text.data, now=utcnow()))
        if not outcome.ok:
            form.text.errors.append(outcome.message)
        else:
            flash(
                "Thank you for telling us. Only our admins read this; we will reply by e-mail.",
                "success",
            )
            return redirect_to(url_for("account.reviews"))
    status = 422 if form.errors else 200
    return render("account/report_visit.html", form=form, booking=booking, status=status)
