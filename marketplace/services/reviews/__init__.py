"""Reviews: clients writing them and clinics replying (``posting``), and the
admins' moderation queue (``moderation``). README.md beside this file has the rules."""
