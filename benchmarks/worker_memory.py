"""How a gunicorn worker's memory grows with the requests it serves: the curve that
``max_requests`` in gunicorn.conf.py is chosen from.

    .venv/bin/python benchmarks/worker_memory.py                       # SQLite, 10,000 clinics
    .venv/bin/python benchmarks/worker_memory.py --requests 20000 --clinics 10000 \\
        --database postgresql://postgres@127.0.0.1:5432/kneaded_memory

Starts the production stack (``load/stack.py``: gunicorn with ``--workers`` workers and
``max_requests`` switched off, so no worker is recycled while measured), sends
``--requests`` GETs from 4 threads (60% searches, HTML and API, over the busiest ZIP
codes, techniques, sorts and pages; 25% clinic profiles; 15% a day of availability), and
prints each worker's resident memory (VmRSS) every tenth of the way.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
from datetime import date, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.load import stack  # noqa: E402
from benchmarks.load.run import load_targets  # noqa: E402

SORTS = ("relevance", "distance", "price", "rating", "soonest")


def workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def urls(targets, rng: random.Random):
    day = (date.today() + timedelta(days=rng.randint(1, 20))).isoformat()
    kind = rng.random()
    if kind < 0.6:
        zip_code, technique = rng.choice(targets.zips), rng.choice(targets.techniques)
        base = "/api/v1/clinics" if rng.random() < 0.5 else "/search"
        sort = rng.choice(SORTS)
        return (f"{base}?technique={technique}&near={zip_code}&radius_mi=25&sort={sort}"
                f"&page={rng.randint(1, 3)}")
    slug, service = rng.choice(targets.clinics)
    if kind < 0.85:
        return f"/clinics/{slug}"
    return f"/api/v1/clinics/{slug}/availability?service={service}&date={day}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=None)
    parser.add_argument("--clinics", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    work_dir = Path(tempfile.mkdtemp(prefix="kneaded-memory-"))
    database = args.database or f"sqlite:///{work_dir / 'memory.db'}"
    if not stack.database_exists(database):
        stack.reset_database(database)
        print(f"seeded {args.clinics} clinics in {stack.seed(database, args.clinics):.0f} s")
    targets = load_targets(database)
    with stack.running(database, workers=args.workers, work_dir=work_dir,
                       extra_env={"GUNICORN_MAX_REQUESTS": "0"}) as running:
        pids = workers_of(running.pid)
        print(f"{'requests':>9} " + " ".join(f"{'worker ' + str(i + 1):>10}"
                                            for i in range(len(pids))) + "   (MB RSS)")
        print(f"{0:>9} " + " ".join(f"{rss_mb(p):>10.1f}" for p in pids))
        done, errors, lock = [0], [0], threading.Lock()
        step = max(1, args.requests // 10)

        def client(seed: int) -> None:
            rng, session = random.Random(seed), requests.Session()
            while True:
                with lock:
                    if done[0] >= args.requests:
                        return
                    done[0] += 1
                    n = done[0]
                response = session.get(running.base + urls(targets, rng), timeout=60)
                if response.status_code >= 500:
                    errors[0] += 1
                if n % step == 0:
                    print(f"{n:>9} " + " ".join(f"{rss_mb(p):>10.1f}" for p in pids),
                          flush=True)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        same = workers_of(running.pid) == pids
        print(f"{errors[0]} server errors; the same {len(pids)} workers throughout: {same}")


if __name__ == "__main__":
    main()
