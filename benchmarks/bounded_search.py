"""CPU per search, in process, for the searches whose work should not grow with the
catalogue: a radius search in a dense area and in a sparse one, and the unfiltered
sorts ("every clinic by rating", "by price").

    .venv/bin/python benchmarks/bounded_search.py --database /tmp/bench50k.db --clinics 50000
    .venv/bin/python benchmarks/bounded_search.py \\
        --database postgresql://postgres@127.0.0.1/bench50k --clinics 50000

It migrates the database, loads the demo data and ``seed --synthetic N`` unless the
database already holds N clinics, then times ``search()`` itself (no HTTP, no
rendering): the median of ``--repeat`` runs after one warm-up, as this process's CPU
(``time.process_time``; on SQLite that includes the database, on PostgreSQL it does
not, so the wall-clock median is printed beside it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from discover import environment  # noqa: E402

QUERIES = [
    ("dense: technique + 25 mi of 33701, distance",
     {"technique": "neuromuscular-therapy", "near": "33701", "radius_mi": 25, "sort": "distance"}),
    ("sparse: technique + 25 mi of 60614, distance",
     {"technique": "neuromuscular-therapy", "near": "60614", "radius_mi": 25, "sort": "distance"}),
    ("every clinic, by rating", {"sort": "rating"}),
    ("every clinic, by price", {"sort": "price"}),
    ("every clinic, best match", {}),
    ("every clinic, by rating, page 40", {"sort": "rating", "page": 40}),
]


def _url(database: str) -> str:
    return database if database.startswith("postgres") else f"sqlite:///{database}"


def prepare(app, clinics: int) -> None:
    import flask_migrate
    from sqlalchemy import func, select

    from marketplace.models import Clinic, db

    with app.app_context():
        flask_migrate.upgrade()
        have = db.session.scalar(select(func.count(Clinic.id)))
        db.session.remove()
    if have >= clinics:
        print(f"database already holds {have:,} clinics")
        return
    started = time.perf_counter()
    runner = app.test_cli_runner()
    for args in (["seed"], ["seed", "--synthetic", str(clinics)]):
        with app.app_context():
            result = runner.invoke(args=args)
        if result.exit_code:
            raise SystemExit(result.output + repr(result.exception))
        print(result.output.splitlines()[0])
    print(f"prepared in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a SQLite file or a PostgreSQL URL")
    parser.add_argument("--clinics", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--prepare-only", action="store_true")
    args = parser.parse_args()
    url = _url(args.database)
    os.environ.update(environment(url))

    from marketplace import create_app
    from marketplace.services.common.rules import BookingRules
    from marketplace.services.discovery.search import SearchQuery, search

    app = create_app()
    prepare(app, args.clinics)
    if args.prepare_only:
        return
    now, rules = datetime.now(UTC), BookingRules.from_config(app.config)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{url.split('://')[0]}, {args.clinics:,} synthetic clinics, in process, median of "
          f"{args.repeat} after a warm-up; load average {load}\n")
    print(f"{'query':<48}{'matches':>9}{'cpu ms':>9}{'wall ms':>9}")
    with app.app_context():
        for label, params in QUERIES:
            query = SearchQuery(**params)
            results = search(query, now=now, rules=rules)
            cpu, wall = [], []
            for _ in range(args.repeat):
                started, started_wall = time.process_time(), time.perf_counter()
                search(query, now=now, rules=rules)
                cpu.append((time.process_time() - started) * 1000)
                wall.append((time.perf_counter() - started_wall) * 1000)
            total = f"{results.total:,}" + ("+" if getattr(results, "capped", False) else "")
            print(f"{label:<48}{total:>9}{statistics.median(cpu):>9.1f}"
                  f"{statistics.median(wall):>9.1f}")


if __name__ == "__main__":
    main()
