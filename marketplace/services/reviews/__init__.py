"""Reviews: clients writing them and clinics replying (``posting``), and the
admins' moderation queue (``moderation``)."""
