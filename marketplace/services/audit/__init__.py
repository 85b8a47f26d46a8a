"""The audit log: who changed what, when.

- ``entries``: ``record()``, called in the same transaction as the change it describes
  (``audit.record(...)`` after ``from marketplace.services import audit``)
- ``diff``: apply an owner's edits to a row and describe them for the log
- ``query``: the admin's filtered view of the log and its CSV export

README.md beside this file has more.
"""

from .entries import record

__all__ = ["record"]
