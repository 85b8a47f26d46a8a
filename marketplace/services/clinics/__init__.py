"""The owner console's domain: a clinic's listing, team, services, hours,
promotions and policy, its bookings, schedule, money and exports.
Changes that would strand a booked client are refused (``stranding``).

- ``onboarding``, ``listings``, ``therapists``, ``offerings``, ``hours``, ``promotions``:
  the listing, edited by its owners (every change audited)
- ``policy``: the deposit and cancellation policy in plain words
- ``schedule``, ``bookings``: the day and week, one booking and its marks
- ``money``, ``exports``: deposits taken, refunded, kept and open; CSV exports
- ``calendar_feeds``: private iCalendar subscriptions of the clinic or one therapist

README.md beside this file has the console's rules."""
