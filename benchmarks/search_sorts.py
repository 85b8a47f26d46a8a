"""Server-side time of search queries by sort and filter, in process, on 10,000 clinics.

    .venv/bin/python benchmarks/search_sorts.py --db /tmp/bench.db
    DATABASE_URL=postgresql://postgres@127.0.0.1/bench_discover \\
        .venv/bin/python benchmarks/search_sorts.py

It prepares the database as ``discover.py`` does (migrate, demo data and
``seed --synthetic 10000`` unless already there), then times ``search()``
itself (no HTTP, no rendering) for each query below: the median and the
spread of ``--repeat`` runs after one warm-up. "Soonest opening" and "open on
a date" ask the availability engine about the candidates, so they are the
expensive ones; the others are one SQL statement and the page's hydration.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from discover import environment, prepare  # noqa: E402

QUERIES = [
    ("technique + 25 miles of 33701, by distance",
     {"technique": "neuromuscular-therapy", "near": "33701", "radius_mi": 25, "sort": "distance"}),
    ("every clinic, by rating (no filter)", {"sort": "rating"}),
    ('free text "willow massage"', {"q": "willow massage"}),
    ("technique near 60614, soonest opening",
     {"technique": "neuromuscular-therapy", "near": "60614", "radius_mi": 25, "sort": "soonest"}),
    ("technique + 25 miles of 33701, soonest opening",
     {"technique": "neuromuscular-therapy", "near": "33701", "radius_mi": 25, "sort": "soonest"}),
    ("the same, page 5",
     {"technique": "neuromuscular-therapy", "near": "33701", "radius_mi": 25, "sort": "soonest",
      "page": 5}),
    ("technique + 25 miles of 33701, open on a date",
     {"technique": "neuromuscular-therapy", "near": "33701", "radius_mi": 25,
      "available_on": "+3"}),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="SQLite file to use (kept); default a temp file")
    parser.add_argument("--clinics", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=6)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = f"sqlite:///{args.db or Path(tempfile.mkdtemp()) / 'bench.db'}"
    env = environment(url)
    prepare(env, args.clinics)
    os.environ.update(env)

    from marketplace import create_app
    from marketplace.services.common.rules import BookingRules
    from marketplace.services.discovery.search import SearchQuery, search

    app = create_app()
    now, rules = datetime.now(UTC), BookingRules.from_config(app.config)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{url.split('://')[0]}, in process, median of {args.repeat} after a warm-up; "
          f"load average {load}\n")
    print(f"{'query':<50}{'matches':>9}{'median ms':>11}{'min-max ms':>14}")
    with app.app_context():
        for label, params in QUERIES:
            params = dict(params)
            if params.get("available_on") == "+3":
                params["available_on"] = (now + timedelta(days=3)).date()
            query = SearchQuery(**params)
            results = search(query, now=now, rules=rules)
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                search(query, now=now, rules=rules)
                times.append((time.perf_counter() - started) * 1000)
            print(f"{label:<50}{results.total:>9,}{statistics.median(times):>11.0f}"
                  f"{min(times):>7.0f}-{max(times):<6.0f}")


if __name__ == "__main__":
    main()
