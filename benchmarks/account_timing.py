"""Does the time of an answer tell whether an address has an account? Times
forgot-password and registration for a known and an unknown address through the
whole app (form, CSRF off, database, outbox, file mail delivery), alternating the
two so that drift hits both alike.

    .venv/bin/python benchmarks/account_timing.py          # SQLite in a temp dir
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import flask_migrate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from marketplace import create_app  # noqa: E402
from marketplace.models import db  # noqa: E402
from tests.support import factories  # noqa: E402

ROUNDS = 40


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    app = create_app({
        "APP_ENV": "testing", "TESTING": True, "SECRET_KEY": "bench-" * 8,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'timing.db'}",
        "RATE_LIMITS": False, "WTF_CSRF_ENABLED": False, "MAIL_BACKEND": "file",
        "MAIL_OUTBOX_DIR": str(tmp / "outbox"),
    })
    with app.app_context():
        flask_migrate.upgrade()
        known = factories.create_user(email="known@example.com")
        db.session.commit()
        known_email = known.email
        db.session.remove()
    client = app.test_client()
    password = "seventeen blue lanterns"  # noqa: S105 - a throwaway account's password

    def forgot(address: str) -> None:
        assert client.post("/password/forgot", data={"email": address}).status_code == 303

    def register(address: str) -> None:
        answer = client.post("/register", data={
            "name": "Timing Person", "email": address, "password": password,
            "confirm": password, "account_type": "client"})
        assert answer.status_code == 303, answer.status_code

    times: dict[str, list[float]] = {k: [] for k in (
        "forgot known", "forgot unknown", "register known", "register new")}
    for i in range(ROUNDS + 3):  # the first rounds warm up
        for label, call, address in (("forgot known", forgot, known_email),
                                     ("forgot unknown", forgot, f"nobody-{i}@example.com"),
                                     ("register known", register, known_email),
                                     ("register new", register, f"new-{i}@example.com")):
            start = time.perf_counter()
            call(address)
            if i >= 3:
                times[label].append((time.perf_counter() - start) * 1000)
    for label, values in times.items():
        print(f"{label:16} median {statistics.median(values):6.1f} ms  "
              f"p90 {sorted(values)[int(len(values) * 0.9)]:6.1f} ms  (n={len(values)})")


if __name__ == "__main__":
    main()
