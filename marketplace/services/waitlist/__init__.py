"""The waitlist: clients waiting for a clinic's service on some days and parts of the
day, offered freed time first come, first served, each offer kept by a hold.

- ``entries``: joining (the window checked), leaving, the client's and the clinic's lists
- ``matching``: whether a slot suits an entry (its days and parts of the day in the
  clinic's zone), and how long an offer of it is held
- ``offers``: the job (``flask waitlist offer``): settle offers, expire entries, offer
  open slots; the client's accept and decline
- ``notifications``: the offer's e-mail

README.md beside this file has the rules and the job's timing.
"""

from .entries import (
    MAX_DAYS_AHEAD,
    Window,
    check_window,
    client_entries,
    client_entry,
    clinic_waitlist,
    join,
    last_day_allowed,
    leave,
    live_offer,
)
from .offers import Report, accept, decline, offer_for, require_open, run

__all__ = [
    "MAX_DAYS_AHEAD", "Report", "Window", "accept", "check_window", "client_entries",
    "client_entry", "clinic_waitlist", "decline", "join", "last_day_allowed", "leave",
    "live_offer", "offer_for", "require_open", "run",
]
