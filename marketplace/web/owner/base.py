"""The owner blueprint and what its views share.

Every view is ``owner_required`` and loads the clinic through
``owned_clinic_or_404`` (another owner's clinic is a 404), and every row it
names through ``child_or_404`` (a row of another clinic is a 404 too).
``edit_flow`` is the one shape of every inline edit: valid input runs the
service and commits; htmx gets the component back (saved, or with its errors
at 422, or refused at 409 with the bookings it would strand); without
JavaScript a success is a 303 back with a message and a failure the whole page.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash
from flask_login import current_user

from ...models import Clinic, db
from ...services.clinics.stranding import WouldStrand
from ...services.common.errors import DomainError, FieldError
from ..auth import owned_clinic_or_404
from ..htmx import is_htmx, redirect_to

bp = Blueprint("owner", __name__, url_prefix="/owner")

ID = "int(max=2147483647)"  # ids beyond a 32-bit integer are not ours: 404, not a 500


def clinic_or_404(slug: str) -> Clinic:
    """The signed-in owner's clinic named by ``slug``, else 404."""
    return owned_clinic_or_404(slug)


def child_or_404(model, row_id: int, clinic: Clinic):
    """Row ``row_id`` of ``model`` if it belongs to ``clinic``, else 404."""
    row = db.session.get(model, row_id)
    owner_id = getattr(row, "clinic_id", None)
    if owner_id is None and row is not None and hasattr(row, "therapist"):
        owner_id = row.therapist.clinic_id
    if row is None or owner_id != clinic.id:
        abort(404)
    return row


def actor():
    """The signed-in user as a plain object for services."""
    return current_user._get_current_object()


def attach(form, exc: FieldError) -> None:
    """Show a service's field error on the form's field (or the whole form)."""
    field = getattr(form, exc.field, None)
    if field is None:
        form.form_errors.append(str(exc))
    else:
        field.errors = [*field.errors, str(exc)]


def edit_flow(
    form,
    run: Callable[[], object],
    *,
    fragment: Callable[..., object],
    page: Callable[..., object],
    back: str,
    message: str | Callable[[object], str],
):
    """Validate ``form``, ``run`` the service, commit, and answer as described above.

    ``fragment`` and ``page`` take ``form``, ``error``, ``stranded``, ``saved``
    and ``status`` keywords; ``message`` may be a function of what ``run`` returned.
    """
    error, stranded = None, []
    if form.validate_on_submit():
        try:
            result = run()
        except FieldError as exc:
            db.session.rollback()
            attach(form, exc)
        except WouldStrand as exc:
            db.session.rollback()
            error, stranded = str(exc), exc.bookings
        except DomainError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            db.session.commit()
            message = message(result) if callable(message) else message
            if is_htmx():
                return fragment(form=None, error=None, stranded=[], saved=message, status=200)
            flash(message, "success")
            return redirect_to(back)
    status = 409 if error else 422
    answer = fragment if is_htmx() else page
    return answer(form=form, error=error, stranded=stranded, saved=None, status=status)
