"""Messages between a client and a clinic's team.

threads    asking a clinic (from its profile or about a booking), replying, read marks,
           unread counts, the inbox lists and the loaders that keep threads private
notices    the e-mail telling the other side (a link, never the text; once until read)
reports    reporting a message to the admins, their queue, hiding or dismissing
retention  deleting conversations with no activity for ``RETENTION_DAYS``
"""

from .threads import BODY_MAX, SUBJECT_MAX, Side

__all__ = ["BODY_MAX", "SUBJECT_MAX", "Side"]
