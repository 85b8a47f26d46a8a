"""One racer for the course race test, run as its own process.

    python course_racer.py <base url> <e-mail> <password> <series reference> <start file>
                           <form json>

Signs in, loads its series' page (a session and its CSRF token), says "ready" on
stdout, waits until <start file> exists, then posts "Hold all visits" for its course
and prints the outcome as one JSON line: the status, where it redirects, and whether
the page says nothing was held.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import requests

TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')


def main() -> None:
    base, email, password, reference, start_file, form = sys.argv[1:7]
    session = requests.Session()
    page = session.get(base + "/login", timeout=30)
    session.post(base + "/login", data={"email": email, "password": password,
                                        "csrf_token": TOKEN.search(page.text).group(1)},
                 allow_redirects=False, timeout=30)
    page = session.get(f"{base}/series/{reference}", timeout=30)
    data = {**json.loads(form), "csrf_token": TOKEN.search(page.text).group(1)}
    print("ready", flush=True)
    go = Path(start_file)
    while not go.exists():
        time.sleep(0.001)
    answer = session.post(f"{base}/series/{reference}/course", data=data,
                          allow_redirects=False, timeout=90)
    print(json.dumps({
        "status": answer.status_code,
        "location": answer.headers.get("Location", ""),
        "nothing_held": "nothing was held" in answer.text,
    }), flush=True)


if __name__ == "__main__":
    main()
