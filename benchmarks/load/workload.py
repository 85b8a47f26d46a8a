"""The mixed workload: what each client process does, and what it may expect back.

Every action is one of (by weight) 70% search, 20% a clinic profile or a day's
availability, 10% a booking attempt. A booking attempt is a signed-in client
opening a busy clinic's booking page for a therapist and a day, taking one of the
first open times (so clients race for the same slots; half the time acting on the
page as they saw it earlier, when others may have taken those times meanwhile),
answering the health questions and paying the deposit with the test card; a few
walk away holding their time.

An answer is an error when it is a 5xx, a timeout or a refused connection, or any
status the step does not expect (a 404 on a page that exists, a 400 from a stale
token). A 409 "just taken" on a hold is an answer, not an error: it is the race.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import requests

from marketplace.demo.seed import DEMO_PASSWORD as PASSWORD  # every synthetic client's

MIX = (("search", 70), ("profile", 20), ("booking", 10))
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SLOT = re.compile(r'name="start" value="([^"]+)"')
REFERENCE = re.compile(r"/book/([A-Z0-9]{8})")
TIMEOUT = 30

# What each step may answer (anything else counts as an error).
EXPECTED = {
    "search_page": {200}, "search_api": {200}, "profile_page": {200},
    "availability_api": {200}, "booking_page": {200}, "hold": {303, 409},
    "intake": {303}, "pay": {303}, "sign_in": {303},
}
KIND_OF = {"search_page": "search", "search_api": "search", "profile_page": "profile",
           "availability_api": "profile", "booking_page": "booking", "hold": "booking",
           "intake": "booking", "pay": "booking", "sign_in": "setup"}


@dataclass
class Targets:
    """Real values to ask for, read from the seeded database."""

    zips: list[str]
    techniques: list[str]
    clinics: list[tuple[str, int]]  # (slug, a service id)
    hot: list[tuple[str, int, int]]  # (slug, service id, therapist id): the raced clinics
    clients: list[str]  # e-mail addresses of synthetic clients
    first_day: str  # the first day the booking attempts aim at (ISO date)


@dataclass
class Tally:
    """One client process's measurements."""

    ms: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    started: float = 0.0  # wall-clock time of the first request, and of the last answer
    finished: float = 0.0

    def record(self, step: str, started: float, response) -> bool:
        elapsed = (time.perf_counter() - started) * 1000
        status = response.status_code if response is not None else 0
        self.ms.setdefault(step, []).append(elapsed)
        counts = self.statuses.setdefault(step, {})
        counts[status] = counts.get(status, 0) + 1
        ok = status in EXPECTED[step]
        if not ok:
            self.errors[step] = self.errors.get(step, 0) + 1
            if len(self.examples) < 10:
                url = response.request.url if response is not None else "?"
                self.examples.append(f"{step} {status} {url}")
        return ok

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


class Client:
    """One simulated visitor, signed in as a synthetic client, in its own process."""

    def __init__(self, base: str, targets: Targets, seed: int, tally: Tally) -> None:
        self.base, self.targets, self.tally = base, targets, tally
        self.rnd = random.Random(seed)
        self.email = targets.clients[seed % len(targets.clients)]
        self.http = requests.Session()
        self.seen: dict[tuple, tuple[str, list[str]]] = {}  # booking pages as last seen

    def call(self, step: str, method: str, path: str, **kwargs):
        started = time.perf_counter()
        try:
            response = self.http.request(method, self.base + path, timeout=TIMEOUT,
                                         allow_redirects=False, **kwargs)
        except requests.RequestException:
            response = None
        return response if self.tally.record(step, started, response) else None

    def sign_in(self) -> None:
        page = self.http.get(f"{self.base}/login", timeout=TIMEOUT)
        token = CSRF.search(page.text).group(1)
        self.call("sign_in", "POST", "/login",
                  data={"csrf_token": token, "email": self.email, "password": PASSWORD})

    # --- the three kinds of action ------------------------------------------------------

    def search(self) -> None:
        t, rnd = self.targets, self.rnd
        params = {"near": rnd.choice(t.zips), "radius_mi": rnd.choice((10, 25, 50))}
        if rnd.random() < 0.6:
            params["technique"] = rnd.choice(t.techniques)
        if rnd.random() < 0.5:
            self.call("search_api", "GET", "/api/v1/clinics", params=params)
        else:
            self.call("search_page", "GET", "/search", params=params,
                      headers={"HX-Request": "true"} if rnd.random() < 0.5 else {})

    def profile(self) -> None:
        slug, service = self.rnd.choice(self.targets.clinics)
        if self.rnd.random() < 0.5:
            self.call("profile_page", "GET", f"/clinics/{slug}")
            return
        day = date.fromisoformat(self.targets.first_day) + timedelta(days=self.rnd.randint(0, 6))
        self.call("availability_api", "GET", f"/api/v1/clinics/{slug}/availability",
                  params={"service": service, "date": day.isoformat()})

    def book(self) -> None:
        """Race for one of the first open times of a busy clinic, then pay (mostly)."""
        self.tally.count("attempts")
        slug, service, therapist = self.rnd.choice(self.targets.hot)
        key = (slug, service, therapist)
        # Half the time the client acts on the page as it saw it a little earlier: the
        # times others have taken meanwhile are still on it, so holds collide for real.
        found = self.seen.get(key) if self.rnd.random() < 0.5 else None
        found = found or self._open_times(slug, service, therapist)
        if found is None:
            return
        self.seen[key] = found
        token, starts = found
        start = starts[0] if self.rnd.random() < 0.8 else self.rnd.choice(starts[:3])
        held = self.call("hold", "POST", f"/clinics/{slug}/book/hold", data={
            "csrf_token": token, "service": service, "therapist": therapist, "start": start})
        if held is None:
            return
        if held.status_code == 409:
            self.tally.count("just_taken")
            return
        self.tally.count("held")
        reference = REFERENCE.search(held.headers["Location"]).group(1)
        if self.rnd.random() < 0.15:  # walks away; the hold lapses on its own
            self.tally.count("walked_away")
            return
        # Nothing to report; a returning client also confirms last visit's answers.
        if self.call("intake", "POST", f"/book/{reference}/intake",
                     data={"csrf_token": token, "answers_confirmed": "y",
                           "share_consent": "y"}) is None:
            return
        paid = self.call("pay", "POST", f"/book/{reference}/pay",
                         data={"csrf_token": token, "card": "pm_card_visa", "agree": "y"})
        if paid is not None:
            self.tally.count("paid")

    def _open_times(self, slug: str, service: int, therapist: int):
        """The booking page for the first day with open times; its token and times."""
        first = date.fromisoformat(self.targets.first_day)
        for offset in range(21):
            day = (first + timedelta(days=offset)).isoformat()
            page = self.call("booking_page", "GET", f"/clinics/{slug}/book", params={
                "service": service, "therapist": therapist, "date": day})
            if page is None:
                return None
            starts = SLOT.findall(page.text)
            if starts:
                return CSRF.search(page.text).group(1), starts
        self.tally.count("no_open_day")
        return None


ACTIONS = {"search": Client.search, "profile": Client.profile, "booking": Client.book}


def client_process(base: str, targets: Targets, seconds: float, seed: int, queue) -> None:
    """Run actions until ``seconds`` have passed (finishing the one under way)."""
    tally = Tally()
    client = Client(base, targets, seed, tally)
    client.sign_in()
    kinds, weights = zip(*MIX, strict=True)
    tally.started = time.time()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ACTIONS[client.rnd.choices(kinds, weights)[0]](client)
    tally.finished = time.time()
    queue.put(tally)


def first_booking_day(now: datetime | None = None) -> str:
    """Two days ahead: clear of the booking notice, inside the horizon."""
    return ((now or datetime.now(UTC)) + timedelta(days=2)).date().isoformat()
