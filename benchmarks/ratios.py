"""What a request costs compared with a bare one, for every kind of discovery request,
as a ratio to ``/healthz``, at several catalogue sizes, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/ratios.py                    # SQLite, 1,000 and 10,000
    .venv/bin/python benchmarks/ratios.py --sizes 1000,10000,50000,200000 \\
        --databases sqlite,postgresql                        # both, four sizes
    .venv/bin/python benchmarks/ratios.py --http             # over HTTP, gunicorn (2 workers)

For each database and size it reuses the database named ``--name`` (a SQLite file under
``--dir``, or a database on the ``--postgresql`` server) when it holds exactly that many
clinics at the current schema, and otherwise makes it afresh (``flask db upgrade`` and
``flask seed --synthetic N``, which prints how long it took). Queries rotate through
techniques, places, sorts and clinics.

In process (the default), a production-configured app in this process answers through
the WSGI test client, each request timed with ``time.process_time`` (this process's
CPU: Flask, SQLAlchemy, templates, and on SQLite the database too; PostgreSQL's own CPU
is not counted). The table gives the median CPU per request and ``healthz / kind``: the
share of ``/healthz``'s rate the kind can reach when CPU is what limits it (the targets:
search API >= 50%, HTML page >= 30%, htmx fragment >= 35%).

With ``--http``, gunicorn serves with the repository's ``gunicorn.conf.py`` and 2
workers (production settings, on a port in 5700-5799) and the client measures each kind
over HTTP: p50/p95 latency one request at a time, then requests per second with
``--clients`` requests in flight, as a share of ``/healthz``'s rate in the same run.
The client shares the machine's two cores with the server. An answer other than 200
(a 503 when SQLite's write lock, which every transaction takes, is not free within
the busy timeout) is counted and shown, not fatal.

Last comes the growth curve: each kind's throughput at each size as a share of its
throughput at the smallest (100% = flat). Every kind is bounded by ``--budget`` seconds
of measuring (the slow filters take seconds a request at the larger sizes); the number
of requests behind each median is printed beside it when it is short of the plan.

The machine's load average is printed with the figures: on a shared machine, read the
ratios (taken in the same run), not the absolute times.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.load import stack  # noqa: E402
from tests.support.servers import popen_server, stop_process, wait_for_port  # noqa: E402

TECHNIQUES = ("neuromuscular-therapy", "myofascial-release", "deep-tissue", "swedish-massage",
              "sports-massage")
PLACES = ("33701", "80210", "33602", "80206", "33756", "80401", "10001", "60614", "94110")
SORTS = ("distance", "price", "rating", "relevance")
# kind -> (label, requests planned); the slow filters get few (they take seconds today)
KINDS = {
    "healthz": ("/healthz", 300),
    "api": ("search API (technique + 25 mi)", 150),
    "page": ("search HTML page", 100),
    "fragment": ("search htmx fragment", 100),
    "profile": ("clinic profile", 100),
    "availability": ("availability, one day", 150),
    "open_on": ("search API, available_on alone", 3),
    "soonest": ("search API, sort=soonest + 25 mi", 3),
    "price_wide": ("search API, price, condition or cap", 30),
    "words": ("search API, words + 25 mi", 100),
}
# Price order with no place: a condition's several techniques, a cap, or both.
WIDE = ("condition={condition}", "max_price={price}", "condition={condition}&max_price={price}")
CONDITIONS = ("low-back-pain", "neck-shoulder-pain", "sciatica", "plantar-fasciitis")
# Free text that names no technique, so it is matched in the full-text index.
WORDS = ("therap", "massag", "point", "release", "wellness")
PORTS = range(5700, 5800)


# --- the databases ----------------------------------------------------------------------


def short(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def database_url(kind: str, size: int, args) -> str:
    name = args.name.format(size=size, short=short(size))
    if kind == "sqlite":
        return f"sqlite:///{Path(args.dir) / f'{name}.db'}"
    return f"{args.postgresql.rstrip('/')}/{name}"


def schema_head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(ROOT / "migrations")).get_current_head()


def holds(url: str) -> tuple[int, str] | None:
    """(clinics, schema version) of the database at ``url``, or None if it is not there."""
    query = "SELECT (SELECT count(*) FROM clinics), (SELECT version_num FROM alembic_version)"
    if not stack.is_postgres(url):
        path = Path(make_url(url).database)
        if not path.exists():
            return None
        with contextlib.closing(sqlite3.connect(path)) as conn:
            try:
                return conn.execute(query).fetchone()
            except sqlite3.Error:
                return None
    if not stack.database_exists(url):
        return None
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain) as conn:
        try:
            return conn.execute(query).fetchone()
        except psycopg.Error:
            return None


def ensure(url: str, size: int) -> None:
    """A database at ``url`` with exactly ``size`` synthetic clinics at the current schema."""
    found = holds(url)
    if found == (size, schema_head()):
        print(f"  reusing {url} ({size:,} clinics)", flush=True)
        return
    state = f"holds {found[0]:,} clinics at schema {found[1]}" if found else "absent"
    print(f"  {url}: {state}; seeding {size:,} clinics ...", flush=True)
    stack.reset_database(url)
    print(f"  seeded in {stack.seed(url, size):.0f} s", flush=True)


# --- what is asked ----------------------------------------------------------------------


def targets(url: str) -> tuple[list[tuple[str, int]], str]:
    """300 published clinics (slug, a service) and the day availability is asked for."""
    query = ("SELECT c.slug, min(s.id) FROM clinics c JOIN services s ON s.clinic_id = c.id "
             "WHERE c.status = 'published' AND s.active GROUP BY c.slug ORDER BY c.slug")
    if stack.is_postgres(url):
        plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(plain) as conn:
            rows = conn.execute(query).fetchall()
    else:
        with contextlib.closing(sqlite3.connect(make_url(url).database)) as conn:
            rows = conn.execute(query).fetchall()
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
            "price_wide": ("/api/v1/clinics?sort=price&" + WIDE[i % 3].format(
                condition=CONDITIONS[i % 4], price=rng.choice((90, 110, 140))), {}),
            "words": (f"/api/v1/clinics?q={WORDS[i % 5]}&near={place}&radius_mi=25", {}),
        }[kind])
    return out


def within(requests: list, budget: float) -> Iterator:
    """The requests in turn, stopping early (never before the first) once ``budget``
    seconds have gone."""
    deadline = time.monotonic() + budget
    for i, request in enumerate(requests):
        if i and time.monotonic() > deadline:
            return
        yield request


# --- in process: CPU per request --------------------------------------------------------


def app_for(url: str):
    """A production-configured app in this process (the load stack's settings)."""
    os.environ.update(stack.app_env(url, stripe_url="http://127.0.0.1:9",
                                    outbox=Path(tempfile.mkdtemp()), workers=1))
    from marketplace import create_app

    return create_app()


def cpu_per_request(client, requests: list[tuple[str, dict]], budget: float) -> list[float]:
    costs = []
    for path, headers in within(requests, budget):
        started = time.process_time()
        response = client.get(path, headers=headers)
        response.get_data()
        costs.append((time.process_time() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")
    return costs


def measure_cpu(url: str, kinds: list[str], budget: float) -> dict[str, dict]:
    from marketplace.models import db

    app = app_for(url)
    clinics, day = targets(url)
    client = app.test_client()
    result = {}
    try:
        for kind in kinds:
            n = KINDS[kind][1]
            cpu_per_request(client, paths(kind, clinics, day, min(n, 20)), budget / 4)  # warm
            costs = cpu_per_request(client, paths(kind, clinics, day, n), budget)
            result[kind] = {"ms": statistics.median(costs), "n": len(costs), "planned": n}
    finally:
        with app.app_context():
            db.engine.dispose()
    return result


# --- over HTTP: gunicorn with 2 workers --------------------------------------------------


def free_port_in(ports: range) -> int:
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


@contextlib.contextmanager
def gunicorn(url: str, workers: int) -> Iterator[int]:
    """The production server on ``url``; stopped, and waited for, whatever happens."""
    work = Path(tempfile.mkdtemp(prefix="ratios-http-"))
    port = free_port_in(PORTS)
    env = stack.app_env(url, stripe_url="http://127.0.0.1:9", outbox=work / "outbox",
                        workers=workers)
    env["BIND"] = f"127.0.0.1:{port}"
    with (work / "gunicorn.log").open("wb") as log:
        server = popen_server([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                               "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=log)
    try:
        wait_for_port(port, timeout=120)
        deadline = time.monotonic() + 120
        while True:
            try:
                if get(port, "/healthz", {})[1] == 200:
                    break
            except OSError as exc:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"gunicorn never answered; see {work / 'gunicorn.log'}"
                                       ) from exc
                time.sleep(0.3)
        yield port
    finally:
        stop_process(server, grace=30)


def get(port: int, path: str, headers: dict) -> tuple[float, int]:
    """Milliseconds and the status (a refused or broken connection raises)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    return (time.perf_counter() - started) * 1000, response.status


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def rate(port: int, requests: list[tuple[str, dict]], clients: int, budget: float) -> tuple:
    """Requests per second with ``clients`` requests always in flight (until the list or
    the budget runs out), how many were made, and the statuses of those that were not a
    200 (counted in the rate all the same)."""
    queue = list(reversed(requests))
    lock, done, failures, errors = threading.Lock(), [0], [], []
    deadline = time.monotonic() + budget

    def client() -> None:
        while True:
            with lock:
                if not queue or (done[0] and time.monotonic() > deadline) or failures:
                    return
                path, headers = queue.pop()
            try:
                _, status = get(port, path, headers)
            except Exception as exc:  # noqa: BLE001 - reported after the threads end
                failures.append(exc)
                return
            with lock:
                done[0] += 1
                if status != 200:
                    errors.append(status)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return done[0] / (time.perf_counter() - started), done[0], errors


def measure_http(url: str, kinds: list[str], budget: float, clients: int) -> dict[str, dict]:
    clinics, day = targets(url)
    result = {}
    with gunicorn(url, workers=2) as port:
        for kind in kinds:  # warm both workers on every kind first
            for path, headers in within(paths(kind, clinics, day, 20), budget / 4):
                get(port, path, headers)
        for kind in kinds:
            n = KINDS[kind][1]
            answers = [get(port, path, headers)
                       for path, headers in within(paths(kind, clinics, day, n), budget / 2)]
            per_second, made, errors = rate(
                port, paths(kind, clinics, day, max(n, 2 * clients)), clients, budget / 2)
            errors += [status for _, status in answers if status != 200]
            latencies = [ms for ms, _ in answers]
            result[kind] = {"rps": per_second, "p50": statistics.median(latencies),
                            "p95": percentile(latencies, 95), "n": len(latencies),
                            "planned": n, "made": made, "errors": errors}
    return result


# --- the tables -------------------------------------------------------------------------


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def note(figure: dict) -> str:
    return f" ({figure['n']})" if figure["n"] < figure["planned"] else ""


def print_cpu(database: str, sizes: list[int], kinds: list[str], figures: dict) -> None:
    print(f"\n{database}: CPU ms per request in process (median; requests measured in "
          f"brackets when fewer than planned) and the share of /healthz's rate; "
          f"load average {load_average()}")
    print(f"{'kind':<36}" + "".join(f"{f'{size:,} clinics':>26}" for size in sizes))
    for kind in kinds:
        row = f"{KINDS[kind][0]:<36}"
        for size in sizes:
            figure = figures[size][kind]
            cell = f"{figure['ms']:,.1f}{note(figure)}"
            row += f"{cell:>18} {figures[size]['healthz']['ms'] / figure['ms']:>7.0%}"
        print(row)


def print_http(database: str, sizes: list[int], kinds: list[str], figures: dict,
               clients: int) -> None:
    print(f"\n{database} over HTTP: gunicorn, 2 workers; requests/s with {clients} in "
          f"flight and the share of /healthz's; p50/p95 ms one at a time; "
          f"load average {load_average()}")
    for size in sizes:
        print(f"\n{size:,} clinics")
        print(f"{'kind':<36}{'req/s':>9}{'share':>8}{'p50 ms':>10}{'p95 ms':>10}")
        for kind in kinds:
            figure = figures[size][kind]
            share = figure["rps"] / figures[size]["healthz"]["rps"]
            errors = figure["errors"]
            failed = (f"  not 200: {len(errors)} ({', '.join(map(str, sorted(set(errors))))})"
                      if errors else "")
            print(f"{KINDS[kind][0]:<36}{figure['rps']:>9.1f}{share:>8.0%}"
                  f"{figure['p50']:>10.1f}{figure['p95']:>10.1f}{note(figure)}{failed}")


def print_growth(database: str, sizes: list[int], kinds: list[str], figures: dict,
                 http_mode: bool) -> None:
    if len(sizes) < 2:
        return
    print(f"\n{database}: growth, each kind's throughput at each size as a share of its "
          f"throughput at {sizes[0]:,} clinics (100% = flat)")
    print(f"{'kind':<36}" + "".join(f"{size:>12,}" for size in sizes))

    def throughput(size: int, kind: str) -> float:
        figure = figures[size][kind]
        return figure["rps"] if http_mode else 1 / figure["ms"]

    for kind in kinds:
        print(f"{KINDS[kind][0]:<36}" + "".join(
            f"{throughput(size, kind) / throughput(sizes[0], kind):>12.0%}" for size in sizes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--databases", default="sqlite",
                        help="sqlite, postgresql or both, comma-separated")
    parser.add_argument("--dir", default=tempfile.gettempdir(), help="where SQLite files go")
    parser.add_argument("--postgresql", default="postgresql://postgres@127.0.0.1",
                        help="the PostgreSQL server (its databases are made and dropped)")
    parser.add_argument("--name", default="kneaded_ratios_{short}",
                        help="each database's name: {size} 200000, {short} 200k")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--budget", type=float, default=60.0,
                        help="seconds of measuring per kind and size, at most")
    parser.add_argument("--http", action="store_true",
                        help="measure over HTTP against gunicorn with 2 workers")
    parser.add_argument("--clients", type=int, default=4,
                        help="requests in flight for --http's requests per second")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    kinds = args.kinds.split(",")
    if "healthz" not in kinds:
        kinds.insert(0, "healthz")
    databases = args.databases.split(",")
    if unknown := set(databases) - {"sqlite", "postgresql"}:
        parser.error(f"unknown database {', '.join(unknown)}")
    print(f"load average at the start {load_average()}")
    for database in databases:
        figures = {}
        for size in sizes:
            url = database_url(database, size, args)
            print(f"{database}, {size:,} clinics:", flush=True)
            ensure(url, size)
            figures[size] = (measure_http(url, kinds, args.budget, args.clients) if args.http
                             else measure_cpu(url, kinds, args.budget))
        if args.http:
            print_http(database, sizes, kinds, figures, args.clients)
        else:
            print_cpu(database, sizes, kinds, figures)
        print_growth(database, sizes, kinds, figures, args.http)
        print(flush=True)


if __name__ == "__main__":
    main()
