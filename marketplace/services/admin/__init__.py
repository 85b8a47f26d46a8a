"""The admin console's operations on clinics, claims and users."""
