"""series paid by gift card

Revision ID: 0014_series_gift_cards
Revises: 0013_clinic_prices

A gift card of the clinic may pay a treatment series, in whole or in part:
series_purchases.gift_card_cents is the part the card paid (the card payment is for
the rest), and gift_card_entries.series_purchase_id ties the card's redemption, and
what goes back to it (a payment for the rest that failed, the code removed, a refund
of unused sessions), to that series.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0014_series_gift_cards'
down_revision = '0013_clinic_prices'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('series_purchases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gift_card_cents', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.create_check_constraint(
            op.f('ck_series_purchases_gift_card_within_price'),
            'gift_card_cents >= 0 AND gift_card_cents <= price_cents')
    with op.batch_alter_table('gift_card_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('series_purchase_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_gift_card_entries_series_purchase_id'),
                              ['series_purchase_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_gift_card_entries_series_purchase_id_series_purchases'),
            'series_purchases', ['series_purchase_id'], ['id'])


def downgrade():
    with op.batch_alter_table('gift_card_entries', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_gift_card_entries_series_purchase_id_series_purchases'),
            type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_gift_card_entries_series_purchase_id'))
        batch_op.drop_column('series_purchase_id')
    with op.batch_alter_table('series_purchases', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_series_purchases_gift_card_within_price'),
                                 type_='check')
        batch_op.drop_column('gift_card_cents')
