"""Sending paid cards on their day, and expiring cards past their date.

``deliver`` claims the card with a conditional UPDATE (``paid`` -> ``active``): of
several hosts running ``flask deliver-gift-cards`` at once, or the job and a payment
confirmed at the same moment, exactly one wins and makes and e-mails the code. The
code is made at that moment and only its hash is kept. ``expire_due`` writes the
expiry entry for what is left on a card whose date has passed, once (the card row is
locked and its status checked).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from ...models import EntryKind, GiftCard, GiftCardStatus, db
from .. import audit
from ..common.local_time import local_today
from . import ledger, notices
from .codes import code_hash, new_code


def deliver(card: GiftCard, *, now: datetime) -> bool:
    """Make the card's code and e-mail it to the recipient, if nobody has. Does not commit."""
    code = new_code()
    claimed = db.session.execute(
        update(GiftCard)
        .where(GiftCard.id == card.id, GiftCard.status == GiftCardStatus.PAID)
        .values(status=GiftCardStatus.ACTIVE, delivered_at=now, code_hash=code_hash(code),
                code_last4=code[-4:])
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return False
    db.session.refresh(card)
    notices.code(card, code)
    audit.record(actor=None, action="gift_card.delivered", obj=card, clinic_id=card.clinic_id,
                 now=now)
    return True


def deliver_due(*, now: datetime) -> int:
    """Send every paid card whose delivery day has come in its clinic's zone. Commits each."""
    horizon = now.date() + timedelta(days=1)  # no zone is more than a day ahead of UTC
    due = db.session.scalars(
        select(GiftCard).where(GiftCard.status == GiftCardStatus.PAID,
                               GiftCard.deliver_on <= horizon).order_by(GiftCard.id)
    ).all()
    sent = 0
    for card in due:
        if card.deliver_on <= local_today(card.timezone, now) and deliver(card, now=now):
            sent += 1
        db.session.commit()
    return sent


def expire_due(*, now: datetime) -> int:
    """Expire every card past its date, writing off what was left. Commits each."""
    ids = db.session.scalars(
        select(GiftCard.id).where(
            GiftCard.status.in_((GiftCardStatus.PAID, GiftCardStatus.ACTIVE)),
            GiftCard.expires_at <= now).order_by(GiftCard.id)
    ).all()
    expired = 0
    for card_id in ids:
        card = ledger.lock(db.session.get(GiftCard, card_id))
        if card.status in (GiftCardStatus.PAID, GiftCardStatus.ACTIVE) and card.expires_at <= now:
            left = card.balance_cents
            if left > 0:
                ledger.post(card, kind=EntryKind.EXPIRY, amount_cents=left, now=now)
            card.status = GiftCardStatus.EXPIRED
            audit.record(actor=None, action="gift_card.expired", obj=card,
                         clinic_id=card.clinic_id, now=now, detail={"written_off_cents": left})
            expired += 1
        db.session.commit()
    return expired
