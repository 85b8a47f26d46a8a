"""The admin console's operations on clinics, claims and users (``clinics``: verify
clinics and licences, decide claims, suspend and restore users and clinics, search).
README.md beside this file describes the console."""
