"""Helpers and fixtures for booking and payment tests.

The ``stripe_app`` and ``gateway`` fixtures (localstripe) are in ``tests/conftest.py``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from marketplace.models import (
    Booking,
    BookingStatus,
    Payment,
    PaymentStatus,
    ScreeningOutcome,
    db,
)
from marketplace.services import booking as bookings
from marketplace.services.common.rules import BookingRules

WEBHOOK_SECRET = "whsec_offline"


def booking_rules(app) -> BookingRules:
    """The app's booking rules as services take them (read now: tests may change a setting)."""
    return BookingRules.from_config(app.config)


def local(tz: str, day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in ``tz`` as aware UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def days_ahead(b, days: int, hour: int = 10, minute: int = 0, *, now: datetime | None = None):
    """``hour``:``minute`` local time ``days`` days after today at the bookable clinic."""
    tz = b.location.timezone
    today = (now or datetime.now(UTC)).astimezone(ZoneInfo(tz)).date()
    return local(tz, today + timedelta(days=days), hour, minute)


def hold(app, b, starts_at: datetime, *, client=None, now: datetime | None = None,
         therapist_id="same", token=None, screened: bool = True) -> Booking:
    """Place a hold through the service (and flush). ``screened``: as if the client had
    answered the health questions with nothing to report (the intake tests do it for real)."""
    booking = bookings.place_hold(
        service=b.service,
        therapist_id=b.therapist.id if therapist_id == "same" else therapist_id,
        starts_at=starts_at, client=client, hold_token=token,
        now=now or datetime.now(UTC), rules=booking_rules(app))
    if screened and client is not None:
        booking.screening_outcome = ScreeningOutcome.PROCEED
    db.session.flush()
    return booking


def paid_payment(booking: Booking, *, intent_id: str | None = None, **overrides) -> Payment:
    """A succeeded payment row for the booking's deposit (no provider involved)."""
    values = {"booking": booking, "idempotency_key": f"test-{booking.reference}-{id(booking)}",
              "intent_id": intent_id, "amount_cents": booking.deposit_cents,
              "status": PaymentStatus.SUCCEEDED, "succeeded_at": datetime.now(UTC)}
    values.update(overrides)
    payment = Payment(**values)
    db.session.add(payment)
    db.session.flush()
    return payment


def confirmed(app, b, starts_at, *, client, gateway, now=None) -> Booking:
    """A booking held, paid through the provider with the test card, and confirmed."""
    from marketplace.services.booking import deposits

    booking = hold(app, b, starts_at, client=client, now=now)
    result = deposits.pay_deposit(booking, payment_method="pm_card_visa", gateway=gateway,
                                  now=now or datetime.now(UTC))
    assert result.outcome is deposits.Outcome.CONFIRMED, result
    assert booking.status is BookingStatus.CONFIRMED
    return booking


def signed(payload: dict, *, secret: str = WEBHOOK_SECRET, at: int | None = None):
    """A webhook body and its Stripe-Signature header, as Stripe (and localstripe) sign them."""
    body = json.dumps(payload).encode()
    stamp = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return body, f"t={stamp},v1={mac}"


def intent_event(event_id: str, kind: str, intent: dict) -> dict:
    return {"id": event_id, "object": "event", "type": kind, "created": int(time.time()),
            "data": {"object": intent}}


class SlowProxy:
    """An HTTP proxy to localstripe that answers some requests too late.

    The request still reaches localstripe (the charge happens); only the
    answer is held back past the client's timeout: the "slow payment server"
    case, where the client cannot know whether its payment went through.
    """

    def __init__(self, target: str, *, slow_paths: tuple[str, ...] = (), delay: float = 2.0,
                 slow_when=None):
        """Answers late to requests whose path contains one of ``slow_paths``, or for
        which ``slow_when(method, path)`` is true."""
        import http.server
        import threading

        import requests

        from tests.support.servers import free_port

        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                answer = requests.request(self.command, target + self.path, data=body,
                                          headers=headers, timeout=10)
                proxy.seen.append((self.command, self.path))
                if proxy.is_slow(self.command, self.path):
                    time.sleep(proxy.delay)
                try:
                    self.send_response(answer.status_code)
                    self.send_header("Content-Type", answer.headers.get("Content-Type", ""))
                    self.send_header("Content-Length", str(len(answer.content)))
                    self.end_headers()
                    self.wfile.write(answer.content)
                except OSError:
                    pass  # the client gave up waiting: that is the point

            do_GET = do_POST = do_DELETE = _forward  # noqa: N815

            def log_message(self, *args):
                pass

        self.slow_paths, self.delay, self.seen = slow_paths, delay, []
        self.slow_when = slow_when
        self.port = free_port()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def is_slow(self, method: str, path: str) -> bool:
        if self.slow_when is not None and self.slow_when(method, path):
            return True
        return any(p in path for p in self.slow_paths)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def provider_payments(localstripe, reference: str, *, kind: str = "booking") -> list[dict]:
    """Every PaymentIntent localstripe holds for a booking (or with ``kind="gift_card"`` a
    gift card; by its metadata), with its status."""
    import requests

    found, after = [], None
    while True:  # every page: localstripe lists in creation order, 100 at most at a time
        params = {"limit": 100, **({"starting_after": after} if after else {})}
        page = requests.get(f"{localstripe.url}/v1/payment_intents", params=params,
                            auth=("sk_test_offline", ""), timeout=5).json()
        found += [pi for pi in page["data"]
                  if (pi.get("metadata") or {}).get(kind) == reference]
        if not page["has_more"] or not page["data"]:
            return found
        after = page["data"][-1]["id"]


def succeeded_charges(localstripe, reference: str, *, kind: str = "booking") -> int:
    return sum(1 for pi in provider_payments(localstripe, reference, kind=kind)
               if pi["status"] == "succeeded")
