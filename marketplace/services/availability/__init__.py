"""When a therapist can see a client.

- ``engine``: the pure engine: weekly hours minus time off and bookings, as open slots
- ``schedules``: loading schedules from the database; ``service_slots``; schedule locks
- ``day_slots``: the open times of a day or a range, for the API (two statements)
- ``slot_times``: kept runs written straight to local ISO times, one zone lookup a run
- ``kept``: the open time kept as rows, true in the same transaction as every change
- ``openings``: next openings and "open on a date" for search, profiles and compare

The slot picker's days are the booking flow's (``booking/picker``). README.md has more."""
