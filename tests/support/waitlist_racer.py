"""One run of the waitlist job, as its own process, started on a signal.

    python waitlist_racer.py <database url> <outbox dir> <start file>

Builds the app (as ``flask waitlist offer`` does), says "ready" on stdout, waits
until <start file> exists, runs the job once and prints its report as one JSON line.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from marketplace import create_app  # noqa: E402
from marketplace.models import utcnow  # noqa: E402
from marketplace.services import waitlist  # noqa: E402
from marketplace.services.common.rules import BookingRules  # noqa: E402


def main() -> None:
    url, outbox, start_file = sys.argv[1:4]
    app = create_app({"APP_ENV": "testing", "SECRET_KEY": "race", "SQLALCHEMY_DATABASE_URI": url,
                      "MAIL_BACKEND": "file", "MAIL_OUTBOX_DIR": outbox,
                      "RATE_LIMITS": False})
    with app.app_context():
        rules = BookingRules.from_config(app.config)
        print("ready", flush=True)
        go = Path(start_file)
        while not go.exists():
            time.sleep(0.001)
        report = waitlist.run(now=utcnow(), rules=rules)
        print(json.dumps({"offered": report.offered}), flush=True)


if __name__ == "__main__":
    main()
