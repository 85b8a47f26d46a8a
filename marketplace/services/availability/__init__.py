"""When a therapist can see a client.

- ``engine``: the pure engine: weekly hours minus time off and bookings, as open slots
- ``schedules``: loading schedules from the database; ``service_slots``; schedule locks
- ``day_slots``: the open times of a day or a range, for pages and the API
- ``picker``: the slot picker's days and times (first open day, nearby times)"""
