"""The payment provider behind one small class: Stripe through its official SDK.

``PaymentGateway.from_config`` talks to real Stripe, or to ``localstripe``
when ``STRIPE_API_BASE`` points at it (the demo and the tests). The flows that
use it (paying a deposit, settling what the provider says, refunds) are in
``booking/deposits.py``; webhooks in ``booking/payment_events.py``.

Every provider failure becomes one of two answers: the provider said no
(``IntentState`` with an error, e.g. a declined card), or we do not know
(``PaymentUnavailable``: down, slow, or refusing our credentials). Callers
treat "we do not know" as "maybe it happened": they keep the intent id and
ask again later, which is what makes a retry safe.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

import stripe

from .common.errors import DomainError

log = logging.getLogger(__name__)

#: Stripe refuses webhook signatures older than this; so do we.
WEBHOOK_TOLERANCE_SECONDS = 300
#: The offline test cards (Stripe's test payment methods; our localstripe runner knows them).
TEST_CARD_SUCCEEDS = "pm_card_visa"
TEST_CARD_DECLINED = "pm_card_chargeCustomerFail"
TEST_CARD_AUTHENTICATE = "pm_card_threeDSecure2Required"  # the bank asks for 3-D Secure
#: Provider messages written for developers, said for clients (by the error's code).
PLAIN_ERRORS = {
    "payment_intent_authentication_failure": "Your bank's security check was not passed.",
}


class PaymentUnavailable(DomainError):
    """The provider did not answer, or not usefully: whether anything happened is unknown."""

    status = 503


class PaymentRefused(DomainError):
    """The provider refused the request itself (an unknown card, say): nothing was charged."""

    status = 402


class WebhookRejected(DomainError):
    """A webhook whose signature, age or body is not acceptable."""

    status = 400


@dataclass(frozen=True)
class IntentState:
    """What the provider says about one PaymentIntent."""

    id: str
    status: str  # Stripe's: requires_confirmation, requires_action, processing, succeeded, ...
    amount: int
    currency: str = "usd"
    payment_method: str | None = None
    client_secret: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    metadata: dict = field(default_factory=dict)

    @classmethod
    def from_stripe(cls, obj, *, error: stripe.StripeError | None = None) -> IntentState:
        """Read the fields we use from a PaymentIntent (SDK object or event payload dict)."""
        get = _plain(obj).get
        last_error = get("last_payment_error") or {}
        method = get("payment_method")
        if isinstance(method, dict):
            method = method.get("id")
        code = getattr(error, "code", None) or last_error.get("code")
        message = getattr(error, "user_message", None) or last_error.get("message")
        return cls(
            id=get("id"),
            status=get("status"),
            amount=int(get("amount") or 0),
            currency=get("currency") or "usd",
            payment_method=method,
            client_secret=get("client_secret"),
            error_code=code,
            error_message=message,
            metadata=dict(get("metadata") or {}),
        )


def _plain(obj) -> dict:
    """SDK objects are not dicts (since stripe 15); event payloads are."""
    return obj.to_dict() if hasattr(obj, "to_dict") else obj


class PaymentGateway:
    """PaymentIntents and refunds at the provider; one instance per request or job."""

    def __init__(self, client: stripe.StripeClient | None, *, secret_key: str,
                 webhook_secret: str, currency: str = "usd", stand_in: bool = False) -> None:
        self._client = client
        self.secret_key = secret_key
        self.webhook_secret = webhook_secret
        self.currency = currency
        self.stand_in = stand_in

    @classmethod
    def from_config(cls, config) -> PaymentGateway:
        """A gateway for these settings; without a provider it answers ``PaymentUnavailable``."""
        key = config["STRIPE_SECRET_KEY"]
        base = config.get("STRIPE_API_BASE") or ""
        client = None
        if base or not key.endswith("_offline"):  # the placeholder key has no provider
            client = stripe.StripeClient(
                key,
                base_addresses={"api": base} if base else None,
                max_network_retries=0,  # we retry ourselves, with the same idempotency key
                http_client=stripe.RequestsClient(
                    timeout=float(config.get("STRIPE_TIMEOUT_SECONDS", 20))
                ),
            )
        return cls(client, secret_key=key, webhook_secret=config["STRIPE_WEBHOOK_SECRET"],
                   currency=config.get("CURRENCY", "usd"), stand_in=bool(base))

    @property
    def test_mode(self) -> bool:
        """True with test keys: the offline test-card choice may be offered."""
        return self.secret_key.startswith("sk_test_")

    # --- PaymentIntents ----------------------------------------------------------------

    def create_intent(self, *, amount: int, payment_method: str, metadata: dict,
                      idempotency_key: str) -> IntentState:
        """Create (not yet confirm) an intent for ``amount`` cents with this payment method."""
        params = {
            "amount": amount,
            "currency": self.currency,
            "payment_method": payment_method,
            "payment_method_types": ["card"],
            "metadata": metadata,
        }
        intent = self._call(lambda c: c.v1.payment_intents.create(
            params=params, options={"idempotency_key": idempotency_key}))
        return IntentState.from_stripe(intent)

    def confirm_intent(self, intent_id: str, *, idempotency_key: str) -> IntentState:
        """Confirm on the server; a declined card comes back as a state with its error."""
        try:
            intent = self._call(lambda c: c.v1.payment_intents.confirm(
                intent_id, options={"idempotency_key": idempotency_key}))
        except stripe.CardError as exc:
            state = self.retrieve_intent(intent_id)
            return IntentState(**{**state.__dict__, "error_code": exc.code or state.error_code,
                                  "error_message": exc.user_message or state.error_message})
        return IntentState.from_stripe(intent)

    def retrieve_intent(self, intent_id: str) -> IntentState:
        """The intent as the provider has it now."""
        return IntentState.from_stripe(
            self._call(lambda c: c.v1.payment_intents.retrieve(intent_id)))

    def answer_bank_check(self, intent_id: str, *, client_secret: str,
                          approve: bool) -> IntentState:
        """Play the card's bank in a 3-D Secure check. Only the local stand-in has a bank
        to play (real Stripe shows its own page through Stripe.js)."""
        if not self.stand_in:
            raise PaymentRefused("Your bank's check happens in its own window.")
        return IntentState.from_stripe(self._call(lambda c: c.deserialize(c.raw_request(
            "post", f"/v1/payment_intents/{intent_id}/_authenticate",
            client_secret=client_secret, success="true" if approve else "false"),
            api_mode="V1")))

    def cancel_intent(self, intent_id: str) -> IntentState:
        """Cancel an intent that has not charged (so a late confirmation cannot charge)."""
        return IntentState.from_stripe(
            self._call(lambda c: c.v1.payment_intents.cancel(intent_id)))

    # --- refunds -------------------------------------------------------------------------

    def refund(self, intent_id: str, *, amount: int, idempotency_key: str) -> str:
        """Refund ``amount`` cents of a succeeded intent; returns the refund id."""
        refund = self._call(lambda c: c.v1.refunds.create(
            params={"payment_intent": intent_id, "amount": amount},
            options={"idempotency_key": idempotency_key}))
        return refund.id

    def refunded_amount(self, intent_id: str) -> int:
        """How much of the intent's charge the provider has refunded so far."""
        intent = self._call(lambda c: c.v1.payment_intents.retrieve(
            intent_id, params={"expand": ["latest_charge"]}))
        charge = _plain(intent).get("latest_charge")
        if not charge or isinstance(charge, str):
            return 0
        return int(charge.get("amount_refunded") or 0)

    # --- webhooks ------------------------------------------------------------------------

    def verify_event(self, payload: bytes, signature: str | None) -> dict:
        """The event in a webhook body, if its signature is ours and under 300 s old."""
        if not signature:
            raise WebhookRejected("Missing Stripe-Signature header.")
        try:
            stripe.WebhookSignature.verify_header(
                payload.decode("utf-8"), signature, self.webhook_secret,
                WEBHOOK_TOLERANCE_SECONDS,
            )
        except (stripe.SignatureVerificationError, UnicodeDecodeError) as exc:
            raise WebhookRejected("The webhook signature does not verify.") from exc
        try:
            event = json.loads(payload)
        except (ValueError, RecursionError) as exc:  # RecursionError: nested too deep
            raise WebhookRejected("The webhook body is not JSON.") from exc
        if not isinstance(event, dict) or not isinstance(event.get("id"), str):
            raise WebhookRejected("The webhook body is not an event.")
        return event

    # --- plumbing ------------------------------------------------------------------------

    def _call(self, fn):
        if self._client is None:
            raise PaymentUnavailable(
                "Card payments are not set up on this site yet. Please try again later."
            )
        try:
            return fn(self._client)
        except stripe.CardError:
            raise  # a definite "no" from the card's bank: confirm_intent reads it
        except stripe.InvalidRequestError as exc:
            log.warning("payment provider refused a request: %s", exc)
            raise PaymentRefused(
                "The payment service did not accept those card details. Try another card."
            ) from exc
        except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as exc:
            log.warning("payment provider unavailable: %s", exc)
            raise PaymentUnavailable("We could not reach the payment service just now.") from exc
        except stripe.StripeError as exc:  # authentication, permissions: our set-up is wrong
            log.error("payment provider refused our request: %s", exc)
            raise PaymentUnavailable("Card payments are unavailable right now.") from exc
