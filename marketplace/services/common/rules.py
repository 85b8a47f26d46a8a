"""The site's booking rules: how long a hold lasts, how far ahead and how soon a
slot may be booked, the grid slots start on, and how long a visit may be reviewed.

They live in ``common`` because availability, discovery, booking and reviews all
read them (and booking already depends on availability). Services take a
``BookingRules``, never the settings mapping; the web layer and the commands
build one from the settings with ``BookingRules.from_config``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


class BookingRulesError(ValueError):
    """A booking rule in the settings is not a whole number in its allowed range."""


#: Each rule's setting name and the smallest value that makes sense.
SETTINGS = {
    "hold_minutes": ("HOLD_MINUTES", 1),
    "min_notice_minutes": ("MIN_NOTICE_MINUTES", 0),
    "horizon_days": ("BOOKING_HORIZON_DAYS", 1),
    "slot_step_minutes": ("SLOT_STEP_MINUTES", 1),
    "review_window_days": ("REVIEW_WINDOW_DAYS", 1),
    "waitlist_offer_minutes": ("WAITLIST_OFFER_MINUTES", 1),
    "intake_access_days": ("INTAKE_CLINIC_ACCESS_DAYS", 1),
}


@dataclass(frozen=True)
class BookingRules:
    hold_minutes: int = 10
    min_notice_minutes: int = 120
    horizon_days: int = 60
    slot_step_minutes: int = 15
    review_window_days: int = 90
    waitlist_offer_minutes: int = 30
    intake_access_days: int = 90  # a clinic reads shared answers until this long after the visit

    @classmethod
    def from_config(cls, config) -> BookingRules:
        """The rules named in ``config`` (a mapping such as ``app.config``); raises
        BookingRulesError for a value that is missing, not a whole number, or too small."""
        return cls(**{field: _whole(config, name, least)
                      for field, (name, least) in SETTINGS.items()})

    @property
    def hold(self) -> timedelta:
        return timedelta(minutes=self.hold_minutes)

    @property
    def min_notice(self) -> timedelta:
        return timedelta(minutes=self.min_notice_minutes)

    @property
    def horizon(self) -> timedelta:
        return timedelta(days=self.horizon_days)

    @property
    def intake_access(self) -> timedelta:
        return timedelta(days=self.intake_access_days)

    @property
    def slot_step(self) -> timedelta:
        return timedelta(minutes=self.slot_step_minutes)


def _whole(config, name: str, least: int) -> int:
    raw = config.get(name)
    if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        raw = int(raw)
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise BookingRulesError(f"{name} must be a whole number, got {raw!r}")
    if raw < least:
        raise BookingRulesError(f"{name} must be at least {least}, got {raw}")
    return raw
