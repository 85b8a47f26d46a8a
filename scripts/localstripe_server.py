"""Run localstripe (a Stripe-compatible test server) on loopback only.

``localstripe`` itself listens on every interface and pickles its whole store
to /tmp after every write (slow as it grows, and shared by every instance on
the machine). This runner binds 127.0.0.1 and keeps state in memory, or in
the file given with ``--state`` so the demo survives a restart.

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--state", type=Path, default=None)
    args = parser.parse_args()
    _persist_to(args.state)
    logging.basicConfig(level=logging.WARNING)
    web.run_app(app, host=args.host, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
