"""gift cards

Revision ID: 0006_gift_cards
Revises: 0005_calendar_feeds

Gift cards for a clinic (bought and paid through the payment provider, delivered by
e-mail on a chosen day) and their ledger, one row per change of value; the part of a
booking's deposit paid from a gift card. Used by marketplace/services/giftcards/.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006_gift_cards'
down_revision = '0005_calendar_feeds'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('gift_cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=12), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('recipient_name', sa.String(length=100), nullable=False),
    sa.Column('recipient_email', sa.String(length=254), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.Column('deliver_on', sa.Date(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('pending', 'declined', 'paid', 'active', 'expired', name='gift_card_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('balance_cents', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=True),
    sa.Column('code_last4', sa.String(length=4), nullable=True),
    sa.Column('idempotency_key', sa.String(length=80), nullable=False),
    sa.Column('intent_id', sa.String(length=80), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('attempt_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failure_message', sa.String(length=500), nullable=True),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_gift_cards_amount_positive')),
    sa.CheckConstraint('balance_cents >= 0 AND balance_cents <= amount_cents', name=op.f('ck_gift_cards_balance_within_amount')),
    sa.ForeignKeyConstraint(['buyer_id'], ['users.id'], name=op.f('fk_gift_cards_buyer_id_users')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_gift_cards_clinic_id_clinics')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gift_cards')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_gift_cards_code_hash')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_gift_cards_idempotency_key')),
    sa.UniqueConstraint('intent_id', name=op.f('uq_gift_cards_intent_id')),
    sa.UniqueConstraint('reference', name=op.f('uq_gift_cards_reference'))
    )
    with op.batch_alter_table('gift_cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gift_cards_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index('ix_gift_cards_clinic_paid', ['clinic_id', 'paid_at'], unique=False)
        batch_op.create_index('ix_gift_cards_status_deliver', ['status', 'deliver_on'], unique=False)

    op.create_table('gift_card_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gift_card_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('purchase', 'redemption', 'return', 'expiry', name='gift_card_entry_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('balance_after_cents', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_cents <> 0', name=op.f('ck_gift_card_entries_amount_nonzero')),
    sa.CheckConstraint('balance_after_cents >= 0', name=op.f('ck_gift_card_entries_balance_after_nonnegative')),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_gift_card_entries_booking_id_bookings')),
    sa.ForeignKeyConstraint(['gift_card_id'], ['gift_cards.id'], name=op.f('fk_gift_card_entries_gift_card_id_gift_cards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gift_card_entries'))
    )
    with op.batch_alter_table('gift_card_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gift_card_entries_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_gift_card_entries_gift_card_id'), ['gift_card_id'], unique=False)

    # A plain ADD COLUMN: a batch (copy) of bookings would lose SQLite's overlap trigger.
    op.add_column('bookings', sa.Column('gift_card_cents', sa.Integer(), server_default='0',
                                        nullable=False))



def downgrade():
    op.drop_column('bookings', 'gift_card_cents')

    with op.batch_alter_table('gift_card_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gift_card_entries_gift_card_id'))
        batch_op.drop_index(batch_op.f('ix_gift_card_entries_booking_id'))

    op.drop_table('gift_card_entries')
    with op.batch_alter_table('gift_cards', schema=None) as batch_op:
        batch_op.drop_index('ix_gift_cards_status_deliver')
        batch_op.drop_index('ix_gift_cards_clinic_paid')
        batch_op.drop_index(batch_op.f('ix_gift_cards_buyer_id'))

    op.drop_table('gift_cards')
