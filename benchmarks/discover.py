"""Search, profile and health-check latency over HTTP, on 10,000 synthetic clinics.

    .venv/bin/python benchmarks/discover.py                      # SQLite in a temp dir
    .venv/bin/python benchmarks/discover.py --db /tmp/bench.db   # keep the SQLite file
    DATABASE_URL=postgresql://postgres@127.0.0.1/bench_discover \\
        .venv/bin/python benchmarks/discover.py                  # that (empty) database

It migrates, loads the demo data and ``seed --synthetic 10000`` (skipped when the
database already holds them), starts ONE gunicorn worker (sync, production
settings) on a free port, and measures four kinds of request:

- search API: ``/api/v1/clinics?technique=...&near=<ZIP>&radius_mi=25&sort=distance``
- search HTML fragment: the same query on ``/search`` as htmx asks for it
- profile page: ``/clinics/<slug>`` of a random synthetic clinic
- ``/healthz``: the framework's own ceiling on the same server

All are warmed up first (every technique and place once), then each is measured sequentially
(one client: p50/p95/p99 latency) and with two clients at once (requests per
second with the worker always busy). The queries rotate through techniques and
ZIP codes so no single plan is cached. The machine's load average is printed:
on a shared machine, other jobs show up in the p95 and p99.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.servers import free_port, popen_server, stop_process, wait_for_port  # noqa: E402

TECHNIQUES = ("neuromuscular-therapy", "myofascial-release", "deep-tissue", "swedish-massage",
              "sports-massage")
# The two dense demo areas (a quarter of the synthetic clinics each) and sparser places.
PLACES = ("33701", "80210", "33602", "80206", "33756", "80401", "10001", "60614", "94110",
          "78701", "98101", "30309")


def environment(database_url: str) -> dict:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url, "APP_ENV": "production",
        "SECRET_KEY": "benchmark-only-secret-key-not-for-anything-real", "RATE_LIMITS": "0",
        # Production refuses the development Stripe placeholders (no payment is made here).
        "STRIPE_SECRET_KEY": "sk_test_discover_benchmark",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_discover_benchmark",
        "STRIPE_WEBHOOK_SECRET": "whsec_discover_benchmark_not_for_anything_real",
        # A fixed, public key for benchmark data only (production refuses the development one).
        "INTAKE_KEYS": "bench:YmVuY2gtb25seS1pbnRha2Uta2V5LTMyLWJ5dGVzISE=",
        "SESSION_COOKIE_SECURE": "0",
    })
    return env


def flask(env: dict, *args: str) -> str:
    result = subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", *args],
                            cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def prepare(env: dict, clinics: int) -> None:
    """Migrate and seed unless the synthetic clinics are already there."""
    flask(env, "db", "upgrade")
    script = ("from marketplace import create_app\nfrom marketplace.models import Clinic, db\n"
              "from sqlalchemy import func, select\napp = create_app()\nwith app.app_context():"
              "\n    print(db.session.scalar(select(func.count(Clinic.id))))")
    have = int(subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=True).stdout.split()[-1])
    if have >= clinics:
        print(f"database already holds {have} clinics")
        return
    started = time.perf_counter()
    print(flask(env, "seed").splitlines()[0])
    print(flask(env, "seed", "--synthetic", str(clinics)))
    print(f"prepared in {time.perf_counter() - started:.0f} s")


def profile_slugs(env: dict, n: int = 200) -> list[str]:
    script = ("from marketplace import create_app\nfrom marketplace.models import Clinic, db\n"
              "from sqlalchemy import select\napp = create_app()\nwith app.app_context():\n"
              "    rows = db.session.scalars(select(Clinic.slug).where(Clinic.status == "
              "'published', Clinic.description.like('Generated%')).order_by(Clinic.id))\n"
              "    print(' '.join(rows))")
    slugs = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                           capture_output=True, text=True, check=True).stdout.split()
    return random.Random(3).sample(slugs, min(n, len(slugs)))


class Server:
    def __init__(self, env: dict) -> None:
        self.port = free_port()
        self.process = popen_server(
            [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
             "--workers", "1", "--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, timeout=60)

    def stop(self) -> None:
        stop_process(self.process, grace=30)


def get(port: int, path: str, headers: dict) -> float:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return (time.perf_counter() - started) * 1000


def paths(kind: str, slugs: list[str], n: int) -> list[str]:
    rng = random.Random(kind)
    out = []
    for i in range(n):
        technique, place = TECHNIQUES[i % len(TECHNIQUES)], rng.choice(PLACES)
        query = f"technique={technique}&near={place}&radius_mi=25&sort=distance"
        out.append({"api": f"/api/v1/clinics?{query}", "fragment": f"/search?{query}",
                    "profile": f"/clinics/{rng.choice(slugs)}", "healthz": "/healthz"}[kind])
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


KINDS = (("api", "search API"), ("fragment", "search HTML fragment"),
         ("profile", "profile page"), ("healthz", "/healthz"))


def warm_up(port: int, slugs: list[str]) -> None:
    """Every technique and place once, for every kind, before anything is measured."""
    for kind, _ in KINDS:
        headers = {"HX-Request": "true"} if kind == "fragment" else {}
        for path in paths(kind, slugs, 60):
            get(port, path, headers)


def measure(port: int, kind: str, slugs: list[str], n: int) -> dict:
    headers = {"HX-Request": "true"} if kind == "fragment" else {}
    latencies = [get(port, path, headers) for path in paths(kind, slugs, n)]
    queue = paths(kind, slugs, n)
    lock = threading.Lock()

    def client():
        while True:
            with lock:
                if not queue:
                    return
                path = queue.pop()
            get(port, path, headers)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rate = n / (time.perf_counter() - started)
    return {"p50": statistics.median(latencies), "p95": percentile(latencies, 95),
            "p99": percentile(latencies, 99), "rps": rate}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="SQLite file to use (kept); default a temp file")
    parser.add_argument("--clinics", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=400, help="per kind and phase")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    tmp = tempfile.mkdtemp(prefix="bench-discover-")
    if not url.startswith("postgres"):
        url = f"sqlite:///{args.db or Path(tmp) / 'bench.db'}"
    env = environment(url)
    prepare(env, args.clinics)
    slugs = profile_slugs(env)
    server = Server(env)
    try:
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"\n{url.split('://')[0]}, {args.clinics} synthetic clinics, one gunicorn "
              f"worker, {args.requests} requests per kind and phase; load average {load}\n")
        print(f"{'request':<22}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>9}")
        warm_up(server.port, slugs)
        for kind, label in KINDS:
            r = measure(server.port, kind, slugs, args.requests)
            print(f"{label:<22}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}{r['rps']:>9.0f}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
