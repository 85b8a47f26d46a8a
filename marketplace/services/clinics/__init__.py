"""The owner console's domain: a clinic's listing, team, services, hours,
promotions and policy, its bookings, schedule, money and exports.
Changes that would strand a booked client are refused (``stranding``)."""
