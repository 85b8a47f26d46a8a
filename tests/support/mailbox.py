"""Reading what the site queued in its outbox, as the recipient would."""

from __future__ import annotations

import email
import email.policy
import re

from sqlalchemy import func, select

from marketplace.models import OutboxEmail, db


def mails_to(address: str) -> int:
    """How many e-mails the site queued for ``address``."""
    return db.session.scalar(select(func.count(OutboxEmail.id))
                             .where(OutboxEmail.to_addr == address))


def last_mail_to(address: str) -> str:
    """The plain text of the newest e-mail queued for ``address``."""
    row = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_addr == address)
                             .order_by(OutboxEmail.id.desc())).first()
    assert row is not None, f"no e-mail to {address}"
    parsed = email.message_from_bytes(row.message, policy=email.policy.default)
    return parsed.get_body(preferencelist=("plain",)).get_content()


def welcome_path(address: str) -> str:
    """The path of the sign-in link that finishes the registration of ``address``."""
    found = re.search(r"https?://[^/\s]+(/register/welcome/\S+)", last_mail_to(address))
    assert found, f"no registration link in the last e-mail to {address}"
    return found.group(1)
