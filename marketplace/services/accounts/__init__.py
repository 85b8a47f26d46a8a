"""People: registration, sign-in and passwords (``users``), the signed links in
e-mails (``tokens``: registration, password reset, e-mail change) and which clinics a
user may act for (``tenancy``). README.md beside this file lists their guarantees."""
