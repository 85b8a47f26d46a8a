"""The one way a view runs an action.

``run(lambda: service(...))`` calls the service and commits once if it returned;
if it raised a ``DomainError`` it rolls back, so nothing the action wrote is kept,
and hands the error back in the ``Outcome`` for the view to show, with the HTTP
status the error carries. Any other exception propagates (``errors.py`` rolls back
and answers 500); a ``DomainError`` a view does not run through here is answered
by ``errors.py`` with its own status.

Two answers are common enough to live here too, both built on ``run``:
``button`` (a POST button: a message and back to a page) and ``edit`` (a form
saved in place with htmx, or by a full page without JavaScript).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash

from ..models import db
from ..services.common.errors import DomainError, FieldError
from .htmx import is_htmx, redirect_to


@dataclass(frozen=True)
class Outcome:
    """What ``run`` did: the service's ``value``, or the ``error`` it raised."""

    value: Any = None
    error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def status(self) -> int:
        """200, or the status the error carries (403, 404, 409, 422, ...)."""
        return 200 if self.error is None else self.error.status

    @property
    def message(self) -> str | None:
        return None if self.error is None else str(self.error)

    @property
    def stranded(self) -> list:
        """The bookings a refused schedule change would strand (``WouldStrand``)."""
        return list(getattr(self.error, "bookings", None) or [])

    def get(self) -> Any:
        """The value, or the error raised again for ``errors.py`` to answer with its status."""
        if self.error is not None:
            raise self.error
        return self.value

    def show_on(self, form) -> None:
        """Put the error on ``form`` (see ``show_on``)."""
        if self.error is not None:
            show_on(form, self.error)


def show_on(form, error: DomainError) -> None:
    """Put ``error`` on ``form``: a field error on its field, any other on the form."""
    field = getattr(form, error.field, None) if isinstance(error, FieldError) else None
    if field is None:
        form.form_errors.append(str(error))
    else:
        field.errors = [*field.errors, str(error)]


def run(action: Callable[[], Any]) -> Outcome:
    """Call ``action``; commit once if it returns, roll back if it raises a DomainError."""
    try:
        value = action()
    except DomainError as error:
        db.session.rollback()
        return Outcome(error=error)
    db.session.commit()
    return Outcome(value)


def button(form, action: Callable[[], Any], *, message: str | Callable[[Any], str], back: str,
           invalid: Callable[[], Any] | None = None):
    """A POST button: run ``action`` and go back to ``back`` with ``message`` (which may
    be a function of what ``action`` returned), or with the error (303, or HX-Redirect
    for htmx). A stale or incomplete form runs nothing: the answer is ``invalid()`` (the
    page again with the form's errors, say) or, without it, back with a message."""
    if not form.validate_on_submit():
        if invalid is not None:
            return invalid()
        flash("That form was incomplete; try again.", "error")
        return redirect_to(back)
    outcome = run(action)
    if outcome.ok:
        flash(message(outcome.value) if callable(message) else message, "success")
    else:
        flash(outcome.message, "error")
    return redirect_to(back)


def edit(
    form,
    action: Callable[[], Any],
    *,
    fragment: Callable[..., Any],
    page: Callable[..., Any],
    back: str,
    message: str | Callable[[Any], str],
):
    """A form saved in place: valid input runs ``action``.

    htmx gets ``fragment`` back: saved, or with the form's errors at 422, or with the
    refusal at the error's status (and the bookings it would strand). Without
    JavaScript a success is a 303 to ``back`` with ``message`` (which may be a function
    of what ``action`` returned) and a failure is ``page``. Both take ``form``,
    ``error``, ``stranded``, ``saved`` and ``status`` keywords.
    """
    outcome, status = Outcome(), 422
    if form.validate_on_submit():
        outcome = run(action)
        if outcome.ok:
            saved = message(outcome.value) if callable(message) else message
            if is_htmx():
                return fragment(form=None, error=None, stranded=[], saved=saved, status=200)
            flash(saved, "success")
            return redirect_to(back)
        status = outcome.status
        if isinstance(outcome.error, FieldError):
            outcome.show_on(form)
            outcome = Outcome()  # shown on the form, not above it
    answer = fragment if is_htmx() else page
    return answer(form=form, error=outcome.message, stranded=outcome.stranded, saved=None,
                  status=status)
