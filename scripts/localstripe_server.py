"""Run localstripe (a Stripe-compatible test server) on loopback only.

``localstripe`` itself listens on every interface and pickles its whole store
to /tmp after every write (slow as it grows, and shared by every instance on
the machine). This runner binds 127.0.0.1 and keeps state in memory, or in
the file given with ``--state`` so the demo survives a restart. It also knows
Stripe's test payment method for a card whose bank asks for 3-D Secure
(``pm_card_threeDSecure2Required``), which localstripe lacks.

    python scripts/localstripe_server.py --port 8420 [--state instance/localstripe.pickle]
"""

from __future__ import annotations

import argparse
import logging
import pickle
from pathlib import Path

from aiohttp import web
from localstripe import resources
from localstripe.server import app


def _persist_to(path: Path | None) -> None:
    store = resources.store
    if path is None:
        resources.Store.dump_to_disk = lambda self: None
        return
    if path.exists():
        with path.open("rb") as f:
            store.update(pickle.load(f))  # noqa: S301 - our own file, written below

    def dump(self):
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as f:
            pickle.dump(dict(self), f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)

    resources.Store.dump_to_disk = dump


# Stripe's documented test payment methods that localstripe does not know, by card number.
_MORE_TEST_CARDS = {"pm_card_threeDSecure2Required": "4000000000003220"}


def _add_test_cards() -> None:
    known = resources.PaymentMethod._try_get_canonical_test_article

    def canonical(cls, id):  # noqa: A002 - localstripe's name
        number = _MORE_TEST_CARDS.get(id)
        if number is None:
            return known(id)
        return resources.PaymentMethod(type="card", card={
            "number": number, "exp_month": "12", "exp_year": "2030", "cvc": "123"})

    resources.PaymentMethod._try_get_canonical_test_article = classmethod(canonical)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--state", type=Path, default=None)
    args = parser.parse_args()
    _persist_to(args.state)
    _add_test_cards()
    logging.basicConfig(level=logging.WARNING)
    web.run_app(app, host=args.host, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
