"""The booking blueprint and what its views share: loading and authorising bookings,
and the anonymous-hold cookie."""

from __future__ import annotations

from flask import Blueprint, Response, abort, after_this_request, current_app, request
from flask_login import current_user

from ...extensions import login_manager
from ...models import Booking, utcnow
from ...services import booking as bookings
from ...services.common.errors import NotFound
from ...services.common.local_time import describe_time
from ..actions import run

bp = Blueprint("booking", __name__)
bp.add_app_template_filter(describe_time, "when")

#: An anonymous hold is its browser's: this cookie carries the hold's secret token.
#: It is not the session, so it survives the fresh session made at sign-in.
HOLD_COOKIE = "kneaded_hold"
NOT_TAKING = "This clinic is not taking bookings here right now."


def hold_token() -> str | None:
    """The anonymous-hold token this browser carries, if any."""
    token = request.cookies.get(HOLD_COOKIE, "")
    return token if 20 <= len(token) <= 64 else None


def remember_hold(response: Response, token: str) -> Response:
    """Give the browser its anonymous hold's token (an hour at most)."""
    config = current_app.config
    response.set_cookie(HOLD_COOKIE, token, max_age=3600, httponly=True, samesite="Lax",
                        secure=bool(config.get("SESSION_COOKIE_SECURE")))
    return response


def forget_hold_after_request() -> None:
    """Delete the hold cookie on this response (the hold now has its client)."""
    @after_this_request
    def _forget(response: Response) -> Response:
        response.delete_cookie(HOLD_COOKIE, samesite="Lax",
                               secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
        return response


def checkout_booking_or_404(reference: str) -> Booking:
    """The booking this visitor may carry on with: their own, or the anonymous hold whose
    token their browser has (given to them now if they have just signed in)."""
    try:
        booking = bookings.by_reference(reference)
    except NotFound:
        abort(404)
    signed_in = current_user.is_authenticated
    if signed_in and booking.client_id == current_user.id:
        return booking
    if booking.client_id is None and bookings.token_matches(booking, hold_token()):
        if signed_in:
            _claim(booking)
        return booking
    if booking.client_id is not None and not signed_in:
        abort(login_manager.unauthorized())
    abort(404)
    return booking  # not reached: abort raises


def _claim(booking: Booking) -> None:
    claimed = run(lambda: bookings.claim_hold(booking, client=current_user, token=hold_token(),
                                              now=utcnow()))
    if not claimed.ok:  # NotFound, its only refusal
        abort(404)
    forget_hold_after_request()

