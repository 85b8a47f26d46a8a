"""Provider webhooks: ``POST /webhooks/stripe``.

No session and no CSRF token: the Stripe signature (``STRIPE_WEBHOOK_SECRET``,
at most 300 s old) is the key. A bad signature is a 400 and changes nothing;
a verified event is recorded once and applied in one transaction, then 200.
A signed body that is not a well-formed event is a 400; when the provider
cannot be asked about the intent (settlement reads it from the provider,
never from the body) the answer is 503 and nothing is recorded, so it retries.
"""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..extensions import csrf
from ..models import utcnow
from ..services.payments import PaymentUnavailable, WebhookRejected
from ..services.series import events as payment_events
from .actions import run
from .payments import gateway

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")
csrf.exempt(bp)
log = logging.getLogger(__name__)

MAX_BODY = 256 * 1024  # Stripe events are a few kilobytes


@bp.post("/stripe")
def stripe_event():
    """Verify, record once and apply one Stripe event."""
    request.max_content_length = MAX_BODY  # also bounds a chunked body as it is read
    try:
        payload = request.get_data(cache=False)
    except RequestEntityTooLarge:
        return jsonify(error="too large"), 413
    gw = gateway()
    try:
        event = gw.verify_event(payload, request.headers.get("Stripe-Signature"))
    except WebhookRejected as exc:
        return jsonify(error=str(exc)), 400
    outcome = run(lambda: payment_events.handle_event(event, gateway=gw, now=utcnow()))
    if isinstance(outcome.error, WebhookRejected):
        return jsonify(error=outcome.message), 400
    if isinstance(outcome.error, PaymentUnavailable):
        # Nothing is recorded: the provider retries the event, and we ask again then.
        log.warning("stripe event %s: the provider could not be asked; retry expected",
                    event.get("id"))
        return jsonify(error="payment provider unavailable, retry later"), 503
    result = outcome.get()
    log.info("stripe event %s (%s): %s", event.get("id"), event.get("type"), result)
    return jsonify(received=True, result=result)
