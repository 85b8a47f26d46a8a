"""The clinic's published reviews, each answerable once in public."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from ...forms.reviews import ResponseForm
from ...models import Clinic, Review, ReviewStatus, db, utcnow
from ...services.common.errors import Conflict
from ...services.reviews import posting as reviews
from ..actions import run
from ..auth import owner_required
from ..htmx import is_htmx, redirect_to, render
from ..paging import page_number
from .base import bp, clinic_or_404


def _response_form(review: Review, formdata=None) -> ResponseForm:
    kwargs = {} if formdata is not None else {"formdata": None}
    return ResponseForm(prefix=f"response-{review.id}", **kwargs)


@bp.get("/clinics/<slug:slug>/reviews", endpoint="reviews")
@owner_required
def reviews_page(slug: str):
    """The clinic's published reviews, each answerable once in public."""
    clinic = clinic_or_404(slug)
    return _owner_page(clinic)


def _owner_page(clinic: Clinic, *, failed: ResponseForm | None = None, failed_id: int = 0):
    data = reviews.clinic_reviews(clinic, page=page_number(), per_page=20)
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
        "owner/reviews.html",
        clinic=clinic,
        clinic_reviews=data,
        forms=forms,
        pending=pending,
        status=status,
    )


@bp.post("/clinics/<slug:slug>/reviews/<int:review_id>/response")
@owner_required
def respond_to_review(slug: str, review_id: int):
    """Post the clinic's one public response to a review."""
    clinic = clinic_or_404(slug)
    review = db.get_or_404(Review, review_id)
    if review.clinic_id != clinic.id:
        abort(404)
    form = _response_form(review, formdata=request.form)
    if not form.validate_on_submit():
        return _response_invalid(clinic, review, form)
    outcome = run(lambda: reviews.respond(review=review, responder=current_user,
                                          body=form.body.data, now=utcnow()))
    if isinstance(outcome.error, Conflict):  # answered meanwhile (another tab, a colleague)
        return _item_or_back(clinic, review, outcome.message, "error", status=409,
                             error=outcome.message)
    if not outcome.ok:
        form.body.errors.append(outcome.message)
        return _response_invalid(clinic, review, form)
    message = "Your response is published under the review."
    return _item_or_back(clinic, review, message, "success", just_sent=True)


def _item_or_back(
    clinic: Clinic, review: Review, message: str, category: str, *, status: int = 200, **item
):
    """htmx: the review's item as it now stands; otherwise back to the owner's page."""
    if is_htmx():
        return _item(clinic, review, status=status, **item)
    flash(message, category)
    return redirect_to(url_for("owner.reviews", slug=clinic.slug))


def _response_invalid(clinic: Clinic, review: Review, form: ResponseForm):
    """The form again with its errors (422): the item for htmx, else the whole page."""
    if is_htmx():
        return _item(clinic, review, form=form, status=422)
    return _owner_page(clinic, failed=form, failed_id=review.id)


def _item(clinic: Clinic, review: Review, *, form=None, status: int = 200, **item):
    """One review of the owner's list, as a fragment: with its response form, or as it stands."""
    return render("owner/_review.html", "owner_review", review=review, form=form, clinic=clinic,
                  status=status, **item)
