"""One racer for the concurrency test, run as its own process.

    python race_client.py <base url> <picker path> <hold path> <start file> <form json>

Loads the picker page (a session and its CSRF token), says "ready" on stdout,
waits until <start file> exists, then posts the hold and prints the outcome as
one JSON line: the status, where it redirects, whether it says "just taken",
and how many other times it offers.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import requests


def main() -> None:
    base, picker, hold_path, start_file, form = sys.argv[1:6]
    session = requests.Session()
    page = session.get(base + picker, timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    data = {**json.loads(form), "csrf_token": token}
    print("ready", flush=True)
    go = Path(start_file)
    while not go.exists():
        time.sleep(0.001)
    answer = session.post(base + hold_path, data=data, allow_redirects=False, timeout=60)
    print(json.dumps({
        "status": answer.status_code,
        "location": answer.headers.get("Location", ""),
        "just_taken": "just taken" in answer.text,
        "offers": answer.text.count('name="start"'),
    }), flush=True)


if __name__ == "__main__":
    main()
