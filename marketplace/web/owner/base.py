"""The owner blueprint and what its views share.

Every view is ``owner_required`` and loads the clinic through
``owned_clinic_or_404`` (another owner's clinic is a 404), and every row it
names through ``child_or_404`` (a row of another clinic is a 404 too). Every
inline edit is ``actions.edit``: htmx gets the component back (saved, or with
its errors at 422, or refused with the bookings it would strand); without
JavaScript a success is a 303 back with a message and a failure the whole page.
"""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from ...models import Clinic, db
from ..auth import owned_clinic_or_404

bp = Blueprint("owner", __name__, url_prefix="/owner")



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
