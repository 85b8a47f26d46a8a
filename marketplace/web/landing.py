"""Where a GET lands on an address that only takes POST.

A form that fails renders its page at the address it was posted to, so the
address bar then shows a POST-only URL (``/book/<ref>/pay`` after a declined
card, say). Reloading it, coming back to it, or sharing it is a GET, which
would be a bare 405. Instead such a GET is sent (303) to the page the form
lives on, which shows the current state (for a booking: its next step, and
the bank's check again while one is pending).

``LANDINGS`` names that page for every POST-only address; ``NO_PAGE`` lists
the few that never show a page at their own address (they always redirect, or
are not for browsers). ``tests/integration/test_landing.py`` walks the URL map
so that a new POST-only route must be given one or the other.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, redirect, request, url_for
from werkzeug.exceptions import HTTPException, MethodNotAllowed

Landing = Callable[[dict], str]


def _to(endpoint: str, *keep: str) -> Landing:
    return lambda args: url_for(endpoint, **{k: args[k] for k in keep})


LANDINGS: dict[str, Landing] = {
    # booking: the hold's page shows its next step (and a pending bank check)
    "booking.pay": _to("booking.checkout", "reference"),
    "booking.bank_check": _to("booking.checkout", "reference"),
    "booking.confirm_free": _to("booking.checkout", "reference"),
    "booking.promotion": _to("booking.checkout", "reference"),
    "booking.release": _to("booking.checkout", "reference"),
    "booking.place_hold": _to("booking.start", "slug"),
    "booking.redeem_gift_card": _to("booking.checkout", "reference"),
    "booking.gift_card_pay": _to("booking.gift_card", "reference"),
    "booking.gift_card_bank_check": _to("booking.gift_card", "reference"),
    "booking.use_series": _to("booking.checkout", "reference"),
    # a series' page shows its payment, bank check, course and refund
    "booking.series_pay": _to("booking.series", "reference"),
    "booking.series_bank_check": _to("booking.series", "reference"),
    "booking.series_refund": _to("booking.series", "reference"),
    "booking.series_course_confirm": _to("booking.series", "reference"),
    "booking.series_gift_card": _to("booking.series", "reference"),
    # a series bought with a gift card code: the offer's page has the code's form
    "booking.series_new_gift_card": _to("booking.series_new", "slug", "offer_id"),
    "public.compare_add": _to("public.compare"),
    "public.compare_remove": _to("public.compare"),
    # account settings
    "account.save_profile": _to("account.settings"),
    "account.change_email": _to("account.settings"),
    "account.change_password": _to("account.settings"),
    "account.revoke_sessions": _to("account.settings"),
    # the owner console
    "owner.booking_outcome": _to("owner.booking", "slug", "reference"),
    "owner.booking_cancel": _to("owner.booking", "slug", "reference"),
    "owner.hours_delete": _to("owner.hours_overview", "slug"),
    "owner.location_delete": _to("owner.locations", "slug"),
    "owner.series_offer_retire": _to("owner.series_offers", "slug"),
    "owner.time_off_add": _to("owner.therapist_hours", "slug", "therapist_id"),
    "owner.time_off_delete": _to("owner.therapists", "slug"),
    "owner.respond_to_review": _to("owner.reviews", "slug"),
    "owner.calendar_feed_revoke": _to("owner.calendar_feeds", "slug"),
    "owner.therapist_photo": _to("owner.photos", "slug"),
    "owner.photo_edit": _to("owner.photos", "slug"),
    "owner.photo_move": _to("owner.photos", "slug"),
    "owner.photo_delete": _to("owner.photos", "slug"),
    # the waitlist: an offer's page shows whether it still stands
    "booking.waitlist_accept": _to("booking.waitlist_offer", "offer_token"),
    "booking.waitlist_decline": _to("booking.waitlist_offer", "offer_token"),
    "account.leave_waitlist": _to("account.bookings"),
    "account.delete_health_profile": _to("account.health_profile_page"),
    "account.withdraw_clinic_consent": _to("account.health_profile_page"),
    "account.withdraw_booking_consent": _to("account.booking", "reference"),
    # admin
    "admin.approve_claim": _to("admin.claims"),
    "admin.reject_claim": _to("admin.claims"),
    "admin.check_licences": _to("admin.clinic", "clinic_id"),
    "admin.remove_photo": _to("admin.clinic", "clinic_id"),
    "admin.moderate_message": _to("admin.moderation_queue"),
    "admin.verify_clinic": _to("admin.clinic", "clinic_id"),
    "admin.suspend_clinic": _to("admin.clinic", "clinic_id"),
    "admin.restore_clinic": _to("admin.clinic", "clinic_id"),
    "admin.suspend_user": _to("admin.user", "user_id"),
    "admin.restore_user": _to("admin.user", "user_id"),
    "admin.moderate": _to("admin.moderation_queue"),
    "admin.resolve_visit_report": _to("admin.moderation_queue"),
}

#: POST-only addresses that never render a page of their own, so never stay in the
#: address bar: signing out always redirects; the webhook is for the payment provider.
NO_PAGE = frozenset({"account.logout", "webhooks.stripe_event"})


def landing_for(endpoint: str, args: dict) -> str | None:
    """The page a GET of this POST-only endpoint's address lands on, if it has one."""
    landing = LANDINGS.get(endpoint)
    return landing(args) if landing else None


def register(app: Flask, fallback: Callable[[HTTPException], object]) -> None:
    """Answer a GET (or HEAD) of a POST-only address with a 303 to its page;
    every other 405 goes to ``fallback``, the usual error answer."""

    @app.errorhandler(MethodNotAllowed)
    def _method_not_allowed(error: MethodNotAllowed):
        if request.method in ("GET", "HEAD"):
            try:
                adapter = app.url_map.bind_to_environ(request.environ)
                endpoint, args = adapter.match(method="POST")
            except HTTPException:
                endpoint, args = None, {}
            target = landing_for(endpoint, args) if endpoint else None
            if target:
                return redirect(target, code=303)
        return fallback(error)
