"""The admin console's operations: ``clinics`` (verification, claims, suspension,
search) and ``users`` (suspend, restore, search accounts)."""
