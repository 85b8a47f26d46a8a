"""Mixed traffic against the production shape, then the invariants.

    .venv/bin/python benchmarks/load/run.py                 # 60 s, 10,000 clinics, PostgreSQL
    .venv/bin/python benchmarks/load/run.py --reuse         # keep an already seeded database
    .venv/bin/python benchmarks/load/run.py --short         # 15 s, 300 clinics (what CI runs)
    .venv/bin/python benchmarks/load/run.py --database sqlite:////tmp/load.db --short

1. builds the database (``--database``, default ``kneaded_load`` on the local
   PostgreSQL): migrated, with ``seed --synthetic N`` clinics;
2. starts localstripe and gunicorn (``--workers`` 4, the repository's gunicorn.conf.py,
   APP_ENV=production);
3. drives it for ``--duration`` seconds from ``--clients`` separate processes with the
   mix in ``workload.py`` (70% search, 20% profiles and availability, 10% bookings
   racing for the same slots);
4. prints requests per second, p50/p95/p99 per kind, errors, booking outcomes;
5. checks the invariants (``checks.py``) and that every request was logged as one
   JSON line with its request id and duration.

Exit status 1 on any error or invariant break, or (full run) a search p99 over 250 ms.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.load import checks, stack, workload  # noqa: E402

SEARCH_P99_TARGET_MS = 250
DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/kneaded_load"


def load_targets(database_url: str) -> workload.Targets:
    """ZIPs with clinics, techniques offered, clinics to open, and three busy clinics."""
    engine = sa.create_engine(stack._sqlalchemy(database_url))
    with engine.connect() as conn:
        q = lambda sql: conn.execute(sa.text(sql)).all()  # noqa: E731
        zips = [r[0] for r in q(
            "SELECT l.zip_code FROM locations l JOIN clinics c ON c.id = l.clinic_id "
            "WHERE c.status = 'published' GROUP BY l.zip_code ORDER BY count(*) DESC, "
            "l.zip_code LIMIT 40")]
        techniques = [r[0] for r in q(
            "SELECT m.slug FROM modalities m JOIN services s ON s.modality_id = m.id "
            "GROUP BY m.slug ORDER BY count(*) DESC, m.slug LIMIT 8")]
        clinics = [(r[0], r[1]) for r in q(
            "SELECT c.slug, min(s.id) FROM clinics c JOIN services s ON s.clinic_id = c.id "
            "WHERE c.status = 'published' AND s.active GROUP BY c.slug ORDER BY c.slug "
            "LIMIT 400")]
        # Three busy clinics, each with a service with a deposit and the therapist who
        # works most days, so that every client aims at the same few open times.
        candidates = q(
            "SELECT c.slug, s.id, t.id FROM clinics c "
            "JOIN services s ON s.clinic_id = c.id "
            "JOIN service_therapists st ON st.service_id = s.id "
            "JOIN therapists t ON t.id = st.therapist_id "
            "JOIN working_hours w ON w.therapist_id = t.id "
            "WHERE c.status = 'published' AND c.deposit_value > 0 AND s.active AND t.active "
            "GROUP BY c.slug, s.id, t.id ORDER BY count(DISTINCT w.weekday) DESC, c.slug, s.id, "
            "t.id LIMIT 200")
        hot = []
        for slug, service, therapist in candidates:
            if len(hot) < 3 and slug not in {h[0] for h in hot}:
                hot.append((slug, service, therapist))
        clients = [r[0] for r in q(
            "SELECT email FROM users WHERE email LIKE 'synthetic.client%' ORDER BY id")]
    engine.dispose()
    return workload.Targets(zips=zips, techniques=techniques, clinics=clinics, hot=hot,
                            clients=clients, first_day=workload.first_booking_day())


def drive(base: str, targets: workload.Targets, seconds: float, clients: int) -> dict:
    """Run the client processes; merge what they measured."""
    spawn = mp.get_context("spawn")  # fresh interpreters: safe from a threaded parent
    queue = spawn.Queue()
    procs = [spawn.Process(target=workload.client_process,
                           args=(base, targets, seconds, i, queue)) for i in range(clients)]
    for proc in procs:
        proc.start()
    tallies = [queue.get(timeout=seconds + 300) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    merged = workload.Tally()
    merged.started = min(t.started for t in tallies)
    merged.finished = max(t.finished for t in tallies)
    for tally in tallies:
        for step, values in tally.ms.items():
            merged.ms.setdefault(step, []).extend(values)
        for step, counts in tally.statuses.items():
            mine = merged.statuses.setdefault(step, {})
            for status, n in counts.items():
                mine[status] = mine.get(status, 0) + n
        for step, n in tally.errors.items():
            merged.errors[step] = merged.errors.get(step, 0) + n
        for outcome, n in tally.outcomes.items():
            merged.outcomes[outcome] = merged.outcomes.get(outcome, 0) + n
        merged.examples += tally.examples
    return {"tally": merged}


def _pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return round(values[0], 1) if values else 0.0
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 1)


def summarise(tally: workload.Tally, seconds: float) -> dict:
    """Requests per second; p50/p95/p99, counts and errors per kind and per step."""
    def row(values, errors, statuses=None):
        out = {"count": len(values), "p50": _pct(values, 50), "p95": _pct(values, 95),
               "p99": _pct(values, 99), "errors": errors}
        if statuses is not None:
            out["statuses"] = {str(k): v for k, v in sorted(statuses.items())}
        return out

    kinds, steps = {}, {}
    for step, values in tally.ms.items():
        steps[step] = row(values, tally.errors.get(step, 0), tally.statuses.get(step, {}))
        kind = workload.KIND_OF[step]
        merged = kinds.setdefault(kind, {"ms": [], "errors": 0})
        merged["ms"] += values
        merged["errors"] += tally.errors.get(step, 0)
    measured = {k: row(v["ms"], v["errors"]) for k, v in kinds.items() if k != "setup"}
    total = sum(r["count"] for r in measured.values())
    return {"requests": total, "rps": round(total / seconds, 1), "kinds": measured,
            "steps": steps, "errors": sum(tally.errors.values()),
            "error_examples": tally.examples[:10], "bookings": dict(tally.outcomes)}


def request_log_lines(path: Path) -> dict:
    """Every request of the run as one JSON line with a request id and a duration."""
    lines = good = 0
    for raw in path.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(raw)
        except ValueError:
            continue
        if entry.get("logger") != "marketplace.request":
            continue
        lines += 1
        if len(entry.get("request_id") or "") >= 8 and entry.get("duration_ms", -1) >= 0:
            good += 1
    return {"lines": lines, "with_id_and_duration": good}


def run(*, database: str, clinics: int, seconds: float, clients: int, workers: int,
        reuse: bool = False, work_dir: Path | None = None) -> dict:
    """The whole benchmark; returns the report (see ``summarise`` and ``checks``)."""
    work_dir = work_dir or Path(tempfile.mkdtemp(prefix="kneaded-load-"))
    seeded = None
    if not (reuse and stack.database_exists(database)):
        stack.reset_database(database)
        seeded = round(stack.seed(database, clinics), 1)
    targets = load_targets(database)
    since = datetime.now(UTC)
    with stack.running(database, workers=workers, work_dir=work_dir) as running:
        tally = drive(running.base, targets, seconds, clients)["tally"]
        elapsed = tally.finished - tally.started  # first request sent to last answer
        env = stack.app_env(database, stripe_url=running.stripe_url,
                            outbox=work_dir / "outbox", workers=workers)
        invariants = checks.check(database, stripe_url=running.stripe_url, since=since,
                                  env=env)
    report = summarise(tally, elapsed)
    report.update(clinics=clinics, seconds=round(elapsed, 1), clients=clients,
                  workers=workers, database="postgresql" if stack.is_postgres(database)
                  else "sqlite", seeded_in_s=seeded, invariants=invariants,
                  request_log=request_log_lines(running.log_path))
    return report


def failures(report: dict, *, full: bool) -> list[str]:
    """What makes the run fail."""
    found = []
    if report["errors"]:
        found.append(f"{report['errors']} errors: {report['error_examples']}")
    for name, count in report["invariants"].items():
        if name != "charges" and count:
            found.append(f"invariant broken: {name} = {count}")
    if full and report["kinds"].get("search", {}).get("p99", 0) > SEARCH_P99_TARGET_MS:
        found.append(f"search p99 {report['kinds']['search']['p99']} ms > "
                     f"{SEARCH_P99_TARGET_MS} ms")
    return found


def print_report(report: dict) -> None:
    print(f"\n{report['requests']} requests in {report['seconds']} s = {report['rps']} req/s "
          f"({report['clients']} client processes, gunicorn -w {report['workers']}, "
          f"{report['database']}, {report['clinics']} clinics)")
    print(f"{'kind':<18}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, row in [*report["kinds"].items(), *report["steps"].items()]:
        print(f"{name:<18}{row['count']:>8}{row['p50']:>9}{row['p95']:>9}{row['p99']:>9}"
              f"{row['errors']:>8}  {row.get('statuses', '')}")
    print("bookings:", report["bookings"])
    print("invariants:", report["invariants"])
    print("request log:", report["request_log"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--clinics", type=int, default=10_000)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    parser.add_argument("--short", action="store_true", help="300 clinics, 15 s, 4 clients")
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args()
    if args.short:
        args.clinics, args.duration, args.clients = 300, 15, 4
    report = run(database=args.database, clinics=args.clinics, seconds=args.duration,
                 clients=args.clients, workers=args.workers, reuse=args.reuse)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    problems = failures(report, full=not args.short)
    for problem in problems:
        print("FAILED:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
