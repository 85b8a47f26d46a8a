"""The clinic's waitlist: who is waiting for which service and therapist, their days
and times of day, and the freed times offered to them."""

from __future__ import annotations

from flask import request

from ...forms.booking import WaitlistFilterForm
from ...models import utcnow
from ...services import waitlist
from ..auth import owner_required
from ..htmx import render
from .base import bp, clinic_or_404


@bp.get("/clinics/<slug:slug>/waitlist")
@owner_required
def waitlist_page(slug: str):
    """The waitlist, queue order, filtered by service or therapist."""
    clinic = clinic_or_404(slug)
    form = WaitlistFilterForm(request.args)
    valid = form.validate()
    service_id = form.service.data if valid else None
    therapist_id = form.therapist.data if valid else None
    entries = waitlist.clinic_waitlist(clinic, now=utcnow(), service_id=service_id,
                                       therapist_id=therapist_id)
    return render("owner/waitlist.html", "waitlist_rows", clinic=clinic, form=form,
                  entries=entries, status=200 if valid else 422)
