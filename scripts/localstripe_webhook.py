"""Register the app's webhook endpoint with a localstripe server (waits for it to start).

    python scripts/localstripe_webhook.py --stripe http://127.0.0.1:8420 \\
        --url http://127.0.0.1:5000/webhooks/stripe --secret whsec_offline
"""

from __future__ import annotations

import argparse
import time
import urllib.error
import urllib.parse
import urllib.request


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stripe", default="http://127.0.0.1:8420")
    parser.add_argument("--url", required=True, help="the app's /webhooks/stripe address")
    parser.add_argument("--secret", required=True, help="STRIPE_WEBHOOK_SECRET of the app")
    parser.add_argument("--id", default="app")
    args = parser.parse_args()
    if not args.stripe.startswith(("http://127.0.0.1", "http://localhost")):
        raise SystemExit("only a localstripe on this machine can be configured this way")
    body = urllib.parse.urlencode({"url": args.url, "secret": args.secret}).encode()
    deadline = time.monotonic() + 20
    while True:
        try:
            request = urllib.request.Request(  # noqa: S310 - http on loopback, checked above
                f"{args.stripe}/_config/webhooks/{args.id}", body)
            urllib.request.urlopen(request, timeout=5).close()  # noqa: S310 - loopback only
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
            continue
        print(f"localstripe will post events to {args.url}")
        return


if __name__ == "__main__":
    main()
