"""The availability API's fast writer (``slot_times``: runs straight to local ISO strings)
gives exactly what the straightforward one gives (a ``Slot`` per start, each converted
through its zone and written by ``isoformat``), in zones whose offset changes, on and
around their change days, and for runs that cross a change."""

from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import NamedTuple

from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st

from marketplace.services.availability.openings import _decoded
from marketplace.services.availability.slot_times import (
    _exact,
    from_slots,
    offset_text,
    slot_times,
)
from marketplace.services.common.local_time import local_midnight, zone
from marketplace.web.api import serialize


class Run(NamedTuple):
    therapist_id: int
    location_id: int
    first_s: int
    last_s: int
    step_s: int
    duration_s: int
    timezone: str


# zone -> days on and next to which its offset changes (2031)
CHANGES = {
    "America/Denver": [date(2031, 3, 9), date(2031, 11, 2)],  # spring forward, fall back
    "Australia/Lord_Howe": [date(2031, 4, 6), date(2031, 10, 5)],  # 30-minute shift
    "Europe/London": [date(2031, 3, 30), date(2031, 10, 26)],
    "America/St_Johns": [date(2031, 3, 9), date(2031, 11, 2)],  # a half-hour zone
    "Asia/Kolkata": [date(2031, 3, 9)],  # no changes
    "UTC": [date(2031, 3, 9)],
}
EPOCH = datetime(1970, 1, 1, tzinfo=zone("UTC"))


@st.composite
def runs(draw):
    tz = draw(st.sampled_from(sorted(CHANGES)))
    day = draw(st.sampled_from(CHANGES[tz])) + timedelta(days=draw(st.integers(-1, 1)))
    midnight = int((local_midnight(day, tz) - EPOCH).total_seconds())
    found = []
    for _ in range(draw(st.integers(1, 4))):
        step = draw(st.sampled_from([300, 900, 1800, 3600]))
        first = midnight + draw(st.integers(0, 24 * 60 - 1)) * 60
        first += draw(st.sampled_from([0, 0, 0, 7]))  # now and then off the minute
        count = draw(st.integers(1, 100))
        duration = draw(st.sampled_from([15, 30, 60, 90, 120, 600])) * 60
        found.append(Run(draw(st.integers(1, 3)), draw(st.integers(1, 2)), first,
                         first + (count - 1) * step, step, duration, tz))
    return found


def _bounds(draw_runs, cut_lo, cut_hi):
    lo = min(r.first_s for r in draw_runs) + cut_lo
    hi = max(r.last_s for r in draw_runs) + 1 - cut_hi
    return lo, hi


@settings(max_examples=400, deadline=None)
@given(runs=runs(), cut_lo=st.integers(0, 4 * 3600), cut_hi=st.integers(0, 4 * 3600))
def test_runs_are_written_as_the_engines_slots_are(runs, cut_lo, cut_hi):
    lo, hi = _bounds(runs, cut_lo, cut_hi)
    fast = slot_times(runs, lo=lo, hi=hi)
    straightforward = from_slots(_decoded(runs, lo=lo, hi=hi))
    assert fast == straightforward


@settings(max_examples=100, deadline=None)
@given(runs=runs())
def test_the_api_body_is_byte_for_byte_the_one_jsonify_gives(runs):
    lo, hi = _bounds(runs, 0, 0)
    names = {1: ("ada-lovelace", "Ada Lovelace"), 2: ("jos\u00e9-\"q\"", "Jos\u00e9 \"Q\" \u2764"),
             3: ("b", "B </script>")}
    found = SimpleNamespace(
        clinic=SimpleNamespace(slug="pier", name="Pier"), day=date(2031, 3, 9),
        until=date(2031, 3, 15), timezone=runs[0].timezone,
        service=SimpleNamespace(id=7, name="Deep \u00e9 tissue", duration_min=60),
        times=slot_times(runs, lo=lo, hi=hi), therapists=names)
    slots = _decoded(runs, lo=lo, hi=hi)
    reference = {  # the straightforward body: a dict per slot, through Flask's jsonify
        "clinic": "pier", "service": {"id": 7, "name": "Deep \u00e9 tissue", "duration_min": 60},
        "date": "2031-03-09", "from": "2031-03-09", "to": "2031-03-15",
        "timezone": runs[0].timezone,
        "slots": [{"starts_at": s.starts_at.astimezone(zone(s.timezone)).isoformat(),
                   "ends_at": s.ends_at.astimezone(zone(s.timezone)).isoformat(),
                   "therapist": names[s.therapist_id][0],
                   "therapist_name": names[s.therapist_id][1]} for s in slots],
    }
    app = Flask(__name__)
    with app.app_context():
        expected = app.json.response(reference).get_data(as_text=True)
    assert serialize.day_slots_body(found) == expected


def test_a_denver_run_across_spring_forward_is_exact():
    # 2031-03-09: 1:00, 1:15 ... 1:45 MST then 3:00 MDT, one 15-minute UTC grid
    first = int((local_midnight(date(2031, 3, 9), "America/Denver") - EPOCH).total_seconds())
    run = Run(1, 1, first + 3600, first + 3 * 3600, 900, 3600, "America/Denver")
    written = slot_times([run], lo=0, hi=2**40)
    assert [t[4] for t in written][3:6] == [
        "2031-03-09T01:45:00-07:00", "2031-03-09T03:00:00-06:00", "2031-03-09T03:15:00-06:00"]
    assert written[0][5] == "2031-03-09T03:00:00-06:00"
    assert written == from_slots(_decoded([run], lo=0, hi=2**40))


def test_offsets_are_written_as_isoformat_writes_them():
    assert [offset_text(s) for s in (-21600, 37800, 0, -12600, 3661)] == [
        "-06:00", "+10:30", "+00:00", "-03:30", "+01:01:01"]
    assert _exact(zone("Australia/Lord_Howe"), 0) == "1970-01-01T10:00:00+10:00"
