"""BookingRules: the booking settings services take, checked when the app starts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace import config as config_module
from marketplace import create_app
from marketplace.services.common.rules import BookingRules, BookingRulesError

SETTINGS = {"HOLD_MINUTES": 10, "MIN_NOTICE_MINUTES": 120, "BOOKING_HORIZON_DAYS": 60,
            "SLOT_STEP_MINUTES": 15, "REVIEW_WINDOW_DAYS": 90, "WAITLIST_OFFER_MINUTES": 30,
            "INTAKE_CLINIC_ACCESS_DAYS": 90}


def test_the_rules_read_every_setting():
    rules = BookingRules.from_config({**SETTINGS, "HOLD_MINUTES": "12", "MIN_NOTICE_MINUTES": 0})
    assert rules == BookingRules(hold_minutes=12, min_notice_minutes=0, horizon_days=60,
                                 slot_step_minutes=15, review_window_days=90)
    assert (rules.hold, rules.min_notice, rules.horizon, rules.slot_step) == (
        timedelta(minutes=12), timedelta(0), timedelta(days=60), timedelta(minutes=15))


def test_the_defaults_are_the_sites():
    assert BookingRules.from_config(config_module.from_env("testing")) == BookingRules()


@pytest.mark.parametrize(("name", "value"), [
    ("HOLD_MINUTES", 0), ("HOLD_MINUTES", "ten"), ("HOLD_MINUTES", 2.5), ("HOLD_MINUTES", True),
    ("MIN_NOTICE_MINUTES", -1), ("BOOKING_HORIZON_DAYS", 0), ("SLOT_STEP_MINUTES", None),
    ("REVIEW_WINDOW_DAYS", ""), ("WAITLIST_OFFER_MINUTES", 0),
])
def test_a_bad_value_is_refused_by_name(name, value):
    with pytest.raises(BookingRulesError, match=name):
        BookingRules.from_config({**SETTINGS, name: value})


def test_a_missing_rule_is_refused():
    settings = dict(SETTINGS)
    del settings["SLOT_STEP_MINUTES"]
    with pytest.raises(BookingRulesError, match="SLOT_STEP_MINUTES"):
        BookingRules.from_config(settings)


def test_the_rules_are_frozen():
    with pytest.raises(AttributeError):
        BookingRules().hold_minutes = 1  # type: ignore[misc]


def test_the_app_refuses_to_start_with_a_bad_rule():
    with pytest.raises(config_module.ConfigError, match="SLOT_STEP_MINUTES must be at least 1"):
        create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                    "SLOT_STEP_MINUTES": 0})
