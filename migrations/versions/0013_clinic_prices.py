"""clinic prices

Revision ID: 0013_clinic_prices
Revises: 0012_series

Each clinic's lowest prices kept as data (clinic_prices): per technique it offers and
for any technique (modality_id 0), the lowest price per 60 minutes and the lowest
session price among its active services. Search reads them by key instead of grouping
services on every request; marketplace/services/discovery/prices.py keeps them in the
same transaction as every service change. Filled here from the services.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013_clinic_prices'
down_revision = '0012_series'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('clinic_prices',
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('modality_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('per_60_cents', sa.Integer(), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_clinic_prices_clinic_id_clinics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('clinic_id', 'modality_id', name=op.f('pk_clinic_prices'))
    )
    op.create_index('ix_clinic_prices_modality_per_60', 'clinic_prices', ['modality_id', 'per_60_cents', 'clinic_id'], unique=False)
    op.execute(
        "INSERT INTO clinic_prices (clinic_id, modality_id, per_60_cents, price_cents) "
        "SELECT clinic_id, modality_id, min(price_per_60_cents), min(price_cents) "
        "FROM services WHERE active GROUP BY clinic_id, modality_id "
        "UNION ALL "
        "SELECT clinic_id, 0, min(price_per_60_cents), min(price_cents) "
        "FROM services WHERE active GROUP BY clinic_id")


def downgrade():
    op.drop_index('ix_clinic_prices_modality_per_60', table_name='clinic_prices')
    op.drop_table('clinic_prices')
