"""Pure parts of series: a course's times keep their wall-clock hour across a
daylight-saving change, and the rules read in plain words."""

from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from marketplace.models import LateRule, RefundRule
from marketplace.services.series import offers
from marketplace.services.series.course import wanted_times

NY = "America/New_York"


@pytest.mark.parametrize("first_local", [
    datetime(2026, 10, 20, 10, tzinfo=ZoneInfo(NY)),  # across the autumn change (Nov 1)
    datetime(2027, 3, 2, 10, tzinfo=ZoneInfo(NY)),  # across the spring change (Mar 14)
])
def test_a_weekly_course_keeps_its_hour_across_a_daylight_saving_change(first_local):
    times = wanted_times(first_local.astimezone(UTC), count=4, every_days=7, tz=NY)
    local = [t.astimezone(ZoneInfo(NY)) for t in times]
    assert [(t.hour, t.minute) for t in local] == [(10, 0)] * 4
    assert [(b.date() - a.date()).days for a, b in zip(local, local[1:], strict=False)] == [7] * 3
    assert len({t.utcoffset() for t in local}) == 2  # the offset did change
    assert all(t.tzinfo is UTC for t in times)


def test_every_three_days():
    first = datetime(2026, 12, 1, 15, tzinfo=UTC)
    times = wanted_times(first, count=3, every_days=3, tz="America/Denver")
    assert [t.day for t in times] == [1, 4, 7]


def _offer(**kw):
    values = {"sessions": 4, "price_cents": 40000, "refund_rule": RefundRule.PER_SESSION,
                  "refund_fee_cents": 0, "late_rule": LateRule.USED, "validity_days": 84,
                  "service": SimpleNamespace(price_cents=11500)}
    values.update(kw)
    return SimpleNamespace(**values)


def test_the_rules_in_words():
    assert offers.per_session_cents(_offer(price_cents=40001)) == 10000  # rounded down
    assert offers.saving_cents(_offer()) == 6000
    assert offers.validity_text(84) == "12 weeks"
    assert offers.validity_text(10) == "10 days"
    assert offers.validity_text(7) == "1 week"
    assert offers.refund_text(_offer(refund_rule=RefundRule.NONE)) == \
        "Unused sessions are not refunded."
    assert "less a $15 fee" in offers.refund_text(
        _offer(refund_rule=RefundRule.PER_SESSION_LESS_FEE, refund_fee_cents=1500))
    assert "uses the session up" in offers.late_text(_offer(), 24)
    assert "also gives the session back" in offers.late_text(
        _offer(late_rule=LateRule.RETURNED), 24)
    assert "at least 24 hours ahead" in offers.late_text(_offer(), 24)
