"""The availability engine: hours, busy intervals, notice, horizon, and DST."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from marketplace.services.availability.engine import (
    Interval,
    SlotRules,
    TherapistSchedule,
    WeeklySpan,
    any_therapist,
    first_open,
    open_slots,
    therapist_slots,
)

NY = "America/New_York"
DENVER = "America/Denver"
HOUR = timedelta(hours=1)
FAR_PAST = datetime(2020, 1, 1, tzinfo=UTC)


def weekdays(tz, starts=time(9), ends=time(17), days=range(7), location_id=1):
    return [WeeklySpan(d, starts, ends, location_id, tz) for d in days]


def local(tz, y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def day_window(tz, y, m, d):
    start = local(tz, y, m, d, 0)
    nxt = date(y, m, d) + timedelta(days=1)
    return Interval(start, local(tz, nxt.year, nxt.month, nxt.day, 0))


def rules(minutes=60, **kw):
    kw.setdefault("min_notice", timedelta(0))
    kw.setdefault("horizon", timedelta(days=20000))
    return SlotRules(duration=timedelta(minutes=minutes), **kw)


def starts_local(slots, tz):
    return [s.starts_at.astimezone(ZoneInfo(tz)).strftime("%H:%M") for s in slots]


def test_a_plain_day_offers_every_quarter_hour_that_fits():
    schedule = TherapistSchedule(1, weekdays(NY))
    slots = therapist_slots(schedule, rules(), window=day_window(NY, 2031, 6, 10), now=FAR_PAST)
    labels = starts_local(slots, NY)
    assert labels[0] == "09:00"
    assert labels[-1] == "16:00"  # a 60-minute visit must end by 17:00
    assert len(labels) == 29


def test_busy_intervals_and_buffers_block_slots():
    busy = [Interval(local(NY, 2031, 6, 10, 10), local(NY, 2031, 6, 10, 11))]
    schedule = TherapistSchedule(1, weekdays(NY), busy)
    r = rules(buffer_before=timedelta(minutes=15), buffer_after=timedelta(minutes=15))
    labels = starts_local(therapist_slots(schedule, r, window=day_window(NY, 2031, 6, 10),
                                          now=FAR_PAST), NY)
    # 8:45 would need prep before opening: allowed (buffers may fall outside hours),
    # but 9:00 ends at 10:00 + 15 min clean-up, which overlaps the 10:00 booking.
    assert "09:00" not in labels
    assert "08:45" not in labels  # outside working hours
    assert "11:00" not in labels  # needs 15 minutes of prep after the 11:00 end
    assert labels[0] == "11:15"


def test_time_off_blocks_slots():
    off = [Interval(local(NY, 2031, 6, 10, 12), local(NY, 2031, 6, 10, 17))]
    schedule = TherapistSchedule(1, weekdays(NY), off)
    labels = starts_local(therapist_slots(schedule, rules(), window=day_window(NY, 2031, 6, 10),
                                          now=FAR_PAST), NY)
    assert labels[-1] == "11:00"


def test_minimum_notice_and_horizon():
    schedule = TherapistSchedule(1, weekdays(NY))
    now = local(NY, 2031, 6, 10, 9, 50)
    r = rules(min_notice=timedelta(hours=2), horizon=timedelta(hours=5))
    labels = starts_local(therapist_slots(schedule, r, window=day_window(NY, 2031, 6, 10),
                                          now=now), NY)
    assert labels[0] == "12:00"  # 11:50 is the earliest; the grid's next start is 12:00
    assert labels[-1] == "14:45"  # 14:50 is the horizon


def test_closed_days_have_no_slots():
    schedule = TherapistSchedule(1, weekdays(NY, days=[0, 1, 2, 3, 4]))
    saturday = day_window(NY, 2031, 6, 14)
    assert therapist_slots(schedule, rules(), window=saturday, now=FAR_PAST) == []


def test_any_therapist_groups_by_start():
    a = TherapistSchedule(1, weekdays(NY))
    b = TherapistSchedule(2, weekdays(NY), [Interval(local(NY, 2031, 6, 10, 9),
                                                      local(NY, 2031, 6, 10, 12))])
    slots = open_slots([a, b], rules(), window=day_window(NY, 2031, 6, 10), now=FAR_PAST)
    grouped = any_therapist(slots)
    assert [s.therapist_id for s in grouped[local(NY, 2031, 6, 10, 9)]] == [1]
    assert [s.therapist_id for s in grouped[local(NY, 2031, 6, 10, 13)]] == [1, 2]


def test_first_open_finds_the_earliest_across_therapists():
    a = TherapistSchedule(1, weekdays(NY, starts=time(13)))
    b = TherapistSchedule(2, weekdays(NY, starts=time(10)))
    slot = first_open([a, b], rules(), window=day_window(NY, 2031, 6, 10), now=FAR_PAST)
    assert slot.therapist_id == 2
    assert starts_local([slot], NY) == ["10:00"]


# --- daylight-saving changes (2026: spring forward 8 March, fall back 1 November) ---


def test_st_petersburg_spring_forward_keeps_wall_clock_hours():
    schedule = TherapistSchedule(1, weekdays(NY))
    slots = therapist_slots(schedule, rules(), window=day_window(NY, 2026, 3, 8), now=FAR_PAST)
    assert starts_local(slots, NY)[0] == "09:00"
    assert slots[0].starts_at == datetime(2026, 3, 8, 13, 0, tzinfo=UTC)  # 9:00 EDT = UTC-4
    day_before = therapist_slots(schedule, rules(), window=day_window(NY, 2026, 3, 7),
                                 now=FAR_PAST)
    assert day_before[0].starts_at == datetime(2026, 3, 7, 14, 0, tzinfo=UTC)  # 9:00 EST
    assert len(slots) == len(day_before) == 29


def test_st_petersburg_fall_back_keeps_wall_clock_hours():
    schedule = TherapistSchedule(1, weekdays(NY))
    slots = therapist_slots(schedule, rules(), window=day_window(NY, 2026, 11, 1), now=FAR_PAST)
    assert slots[0].starts_at == datetime(2026, 11, 1, 14, 0, tzinfo=UTC)  # 9:00 EST
    assert starts_local(slots, NY)[-1] == "16:00"


def test_denver_spring_forward_and_fall_back():
    schedule = TherapistSchedule(1, weekdays(DENVER))
    spring = therapist_slots(schedule, rules(), window=day_window(DENVER, 2026, 3, 8),
                             now=FAR_PAST)
    assert spring[0].starts_at == datetime(2026, 3, 8, 15, 0, tzinfo=UTC)  # 9:00 MDT
    fall = therapist_slots(schedule, rules(), window=day_window(DENVER, 2026, 11, 1),
                           now=FAR_PAST)
    assert fall[0].starts_at == datetime(2026, 11, 1, 16, 0, tzinfo=UTC)  # 9:00 MST
    assert starts_local(spring, DENVER) == starts_local(fall, DENVER)


def test_night_span_across_the_spring_gap_skips_times_that_do_not_exist():
    schedule = TherapistSchedule(1, weekdays(NY, starts=time(1), ends=time(5)))
    slots = therapist_slots(schedule, rules(30), window=day_window(NY, 2026, 3, 8), now=FAR_PAST)
    labels = starts_local(slots, NY)
    assert "02:30" not in labels  # 2:00-3:00 does not exist that night
    assert len({s.starts_at for s in slots}) == len(slots)
    for slot in slots:  # every slot lasts 30 real minutes and ends by 5:00 EDT
        assert slot.ends_at - slot.starts_at == timedelta(minutes=30)
        assert slot.ends_at <= local(NY, 2026, 3, 8, 5)


def test_night_span_across_the_fall_repeat_stays_inside_hours():
    schedule = TherapistSchedule(1, weekdays(DENVER, starts=time(0), ends=time(3)))
    slots = therapist_slots(schedule, rules(60), window=day_window(DENVER, 2026, 11, 1),
                            now=FAR_PAST)
    closes = datetime(2026, 11, 1, 3, 0, tzinfo=ZoneInfo(DENVER)).astimezone(UTC)
    assert all(s.ends_at <= closes for s in slots)
    assert len({s.starts_at for s in slots}) == len(slots)


def test_a_week_across_a_dst_change_has_the_same_local_grid_every_day():
    schedule = TherapistSchedule(1, weekdays(DENVER))
    window = Interval(local(DENVER, 2026, 3, 5, 0), local(DENVER, 2026, 3, 12, 0))
    slots = therapist_slots(schedule, rules(), window=window, now=FAR_PAST)
    by_day: dict[date, list[str]] = {}
    for s in slots:
        ld = s.local_start()
        by_day.setdefault(ld.date(), []).append(ld.strftime("%H:%M"))
    assert len(by_day) == 7
    assert len({tuple(v) for v in by_day.values()}) == 1


# --- properties ---------------------------------------------------------------

ZONES = st.sampled_from([NY, DENVER, "UTC", "Europe/London", "Australia/Lord_Howe"])


@st.composite
def scenarios(draw):
    tz = draw(ZONES)
    spans = []
    for _ in range(draw(st.integers(1, 6))):
        start_min = draw(st.integers(0, 23 * 60 - 15))
        end_min = draw(st.integers(start_min + 15, 24 * 60 - 1))
        spans.append(WeeklySpan(draw(st.integers(0, 6)), time(start_min // 60, start_min % 60),
                                time(end_min // 60, end_min % 60), 1, tz))
    base = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=draw(st.integers(0, 700)))
    busy = []
    for _ in range(draw(st.integers(0, 15))):
        s = base + timedelta(minutes=draw(st.integers(-1440, 8 * 1440)))
        busy.append(Interval(s, s + timedelta(minutes=draw(st.integers(1, 600)))))
    r = SlotRules(
        duration=timedelta(minutes=draw(st.sampled_from([30, 45, 60, 75, 90, 120]))),
        buffer_before=timedelta(minutes=draw(st.sampled_from([0, 5, 15]))),
        buffer_after=timedelta(minutes=draw(st.sampled_from([0, 10, 15, 30]))),
        step=timedelta(minutes=draw(st.sampled_from([5, 15, 30]))),
        min_notice=timedelta(minutes=draw(st.integers(0, 3000))),
        horizon=timedelta(days=draw(st.integers(1, 10))),
    )
    now = base + timedelta(minutes=draw(st.integers(-3000, 3000)))
    window = Interval(base, base + timedelta(days=draw(st.integers(1, 8))))
    return TherapistSchedule(1, spans, busy), r, window, now


def inside_some_span(slot, spans):
    tz = ZoneInfo(slot.timezone)
    start_local = slot.starts_at.astimezone(tz)
    for span in spans:
        for day in (start_local.date(), start_local.date() - timedelta(days=1)):
            if day.weekday() != span.weekday:
                continue
            opens = datetime.combine(day, span.starts, tzinfo=tz).astimezone(UTC)
            closes = datetime.combine(day, span.ends, tzinfo=tz).astimezone(UTC)
            if opens <= slot.starts_at and slot.ends_at <= closes:
                return True
    return False


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_no_slot_overlaps_busy_time_or_leaves_working_hours(scenario):
    schedule, r, window, now = scenario
    slots = therapist_slots(schedule, r, window=window, now=now)
    for slot in slots:
        blocked = Interval(slot.starts_at - r.buffer_before, slot.ends_at + r.buffer_after)
        assert not any(blocked.overlaps(b) for b in schedule.busy)
        assert inside_some_span(slot, schedule.weekly)
        assert slot.ends_at - slot.starts_at == r.duration
        assert window.start <= slot.starts_at < window.end
        assert now + r.min_notice <= slot.starts_at <= now + r.horizon
    assert slots == sorted(slots)
    assert len({s.starts_at for s in slots}) == len(slots)


@settings(max_examples=100, deadline=None)
@given(scenarios())
def test_lifting_busy_time_only_adds_slots(scenario):
    schedule, r, window, now = scenario
    free = TherapistSchedule(1, schedule.weekly, [])
    with_busy = {s.starts_at for s in therapist_slots(schedule, r, window=window, now=now)}
    without = {s.starts_at for s in therapist_slots(free, r, window=window, now=now)}
    assert with_busy <= without
