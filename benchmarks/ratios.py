"""What a request costs compared with a bare one: CPU per request in process, as a ratio
to ``/healthz``, for every kind of discovery request, at several catalogue sizes.

    .venv/bin/python benchmarks/ratios.py                          # SQLite, 1,000 and 10,000
    .venv/bin/python benchmarks/ratios.py --sizes 1000,10000,50000
    .venv/bin/python benchmarks/ratios.py --database postgresql://postgres@127.0.0.1/bench

For each size it builds (or reuses) a database with ``seed --synthetic N`` clinics, makes
a production-configured app in this process, warms every kind up, then times each kind's
requests through the WSGI test client with ``time.process_time`` (this process's CPU:
Flask, SQLAlchemy, templates, and on SQLite the database too; PostgreSQL's own CPU is
not counted). Queries rotate through techniques, places, sorts and clinics. It prints
the median CPU per request and ``healthz / kind``: the share of ``/healthz``'s rate the
kind can reach when CPU is what limits it (the targets: search API >= 50%, HTML page
>= 30%, htmx fragment >= 35%). The last table is the growth curve: each kind's cost at
the largest size as a share of its cost at the smallest (1.0 = flat).

CPU time, not wall time, so other jobs on a shared machine matter less; the machine's
load average is printed with the figures anyway.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.load import stack  # noqa: E402

TECHNIQUES = ("neuromuscular-therapy", "myofascial-release", "deep-tissue", "swedish-massage",
              "sports-massage")
PLACES = ("33701", "80210", "33602", "80206", "33756", "80401", "10001", "60614", "94110")
SORTS = ("distance", "price", "rating", "relevance")
# kind -> (label, requests measured); the slow filters get few (they take seconds today)
KINDS = {
    "healthz": ("/healthz", 300),
    "api": ("search API (technique + 25 mi)", 150),
    "page": ("search HTML page", 100),
    "fragment": ("search htmx fragment", 100),
    "profile": ("clinic profile", 100),
    "availability": ("availability, one day", 150),
    "open_on": ("search API, available_on alone", 3),
    "soonest": ("search API, sort=soonest + 25 mi", 3),
}


def app_for(database_url: str):
    """A production-configured app in this process (the load stack's settings)."""
    os.environ.update(stack.app_env(database_url, stripe_url="http://127.0.0.1:9",
                                    outbox=Path(tempfile.mkdtemp()), workers=1))
    from marketplace import create_app

    return create_app()


def targets(app) -> tuple[list[tuple[str, int]], str]:
    import sqlalchemy as sa

    from marketplace.models import db

    with app.app_context():
        rows = db.session.execute(sa.text(
            "SELECT c.slug, min(s.id) FROM clinics c JOIN services s ON s.clinic_id = c.id "
            "WHERE c.status = 'published' AND s.active GROUP BY c.slug ORDER BY c.slug")).all()
        db.session.remove()
    rng = random.Random(7)
    return rng.sample([(r[0], r[1]) for r in rows], min(300, len(rows))), (
        date.today() + timedelta(days=3)).isoformat()


def paths(kind: str, clinics, day: str, n: int) -> list[tuple[str, dict]]:
    rng, out = random.Random(kind), []
    for i in range(n):
        technique, place, sort = TECHNIQUES[i % 5], rng.choice(PLACES), rng.choice(SORTS)
        query = f"technique={technique}&near={place}&radius_mi=25&sort={sort}"
        slug, service = rng.choice(clinics)
        out.append({
            "healthz": ("/healthz", {}),
            "api": (f"/api/v1/clinics?{query}", {}),
            "page": (f"/search?{query}", {}),
            "fragment": (f"/search?{query}", {"HX-Request": "true"}),
            "profile": (f"/clinics/{slug}", {}),
            "availability": (f"/api/v1/clinics/{slug}/availability?service={service}"
                             f"&date={day}", {}),
            "open_on": (f"/api/v1/clinics?available_on={day}", {}),
            "soonest": (f"/api/v1/clinics?technique={technique}&near={place}"
                        f"&radius_mi=25&sort=soonest", {}),
        }[kind])
    return out


def cpu_per_request(client, requests: list[tuple[str, dict]]) -> float:
    costs = []
    for path, headers in requests:
        started = time.process_time()
        response = client.get(path, headers=headers)
        response.get_data()
        costs.append((time.process_time() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")
    return statistics.median(costs)


def measure(database_url: str, size: int, kinds: list[str]) -> dict[str, float]:
    if not stack.database_exists(database_url):
        stack.reset_database(database_url)
        print(f"seeding {size} clinics ...", flush=True)
        print(f"  seeded in {stack.seed(database_url, size):.0f} s", flush=True)
    app = app_for(database_url)
    clinics, day = targets(app)
    client = app.test_client()
    result = {}
    for kind in kinds:
        n = KINDS[kind][1]
        cpu_per_request(client, paths(kind, clinics, day, min(n, 20)))  # warm up
        result[kind] = cpu_per_request(client, paths(kind, clinics, day, n))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--database", default=None,
                        help="a PostgreSQL URL prefix (the size is appended) or nothing "
                             "for SQLite files under --dir")
    parser.add_argument("--dir", default=tempfile.gettempdir())
    parser.add_argument("--kinds", default=",".join(KINDS))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = args.kinds.split(",")
    figures = {}
    for size in sizes:
        url = (f"{args.database}_{size}" if args.database
               else f"sqlite:///{Path(args.dir) / f'kneaded-ratios-{size}.db'}")
        figures[size] = measure(url, size, kinds)
    print(f"\nload average {os.getloadavg()[0]:.1f}; database "
          f"{'postgresql' if args.database else 'sqlite'}; CPU ms per request (median), "
          "and /healthz's cost over it")
    header = f"{'kind':<36}" + "".join(f"{size:>12,} {'ratio':>7}" for size in sizes)
    print(header)
    for kind in kinds:
        row = f"{KINDS[kind][0]:<36}"
        for size in sizes:
            cost = figures[size][kind]
            row += f"{cost:>12.1f} {figures[size]['healthz'] / cost:>7.0%}"
        print(row)
    if len(sizes) > 1:
        print(f"\ngrowth: cost at {sizes[-1]:,} clinics over cost at {sizes[0]:,}")
        for kind in kinds:
            print(f"{KINDS[kind][0]:<36}{figures[sizes[-1]][kind] / figures[sizes[0]][kind]:>8.2f}")


if __name__ == "__main__":
    main()
