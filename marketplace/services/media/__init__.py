"""Photos of clinics and therapists, and where their files are kept.

- ``images``: an upload checked by its content and made into clean WebP variants
- ``storage``: the files behind put/delete/url (a local folder, or S3-compatible)
- ``photos``: add, replace, describe, reorder and remove photos (every change audited)

README.md beside this file has the rules.
"""
