"""treatment series

Revision ID: 0012_series
Revises: 0011_health_profile

Treatment series: a clinic's offers of N sessions of a service at a price
(series_offers), the clients' purchases of them with the offer's rules and the
clinic's cancellation window copied on (series_purchases), and the booking a
session of a series pays for (bookings.series_purchase_id). The sessions left are
counted from those bookings. Read by marketplace/services/series/.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_series'
down_revision = '0011_health_profile'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('series_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('sessions', sa.Integer(), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.Column('validity_days', sa.Integer(), nullable=False),
    sa.Column('refund_rule', sa.Enum('none', 'per_session', 'per_session_fee', name='series_refund_rule', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('refund_fee_cents', sa.Integer(), nullable=False),
    sa.Column('late_rule', sa.Enum('used', 'returned', name='series_late_rule', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('price_cents > 0', name=op.f('ck_series_offers_price_positive')),
    sa.CheckConstraint('refund_fee_cents >= 0', name=op.f('ck_series_offers_fee_nonnegative')),
    sa.CheckConstraint('sessions BETWEEN 2 AND 20', name=op.f('ck_series_offers_sessions_range')),
    sa.CheckConstraint('validity_days BETWEEN 7 AND 1095', name=op.f('ck_series_offers_validity_range')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_series_offers_clinic_id_clinics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_series_offers_service_id_services')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_series_offers'))
    )
    with op.batch_alter_table('series_offers', schema=None) as batch_op:
        batch_op.create_index('ix_series_offers_clinic_active', ['clinic_id', 'active'], unique=False)
        batch_op.create_index(batch_op.f('ix_series_offers_service_id'), ['service_id'], unique=False)

    op.create_table('series_purchases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=12), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('sessions_total', sa.Integer(), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('validity_days', sa.Integer(), nullable=False),
    sa.Column('refund_rule', sa.Enum('none', 'per_session', 'per_session_fee', name='series_purchase_refund_rule', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('refund_fee_cents', sa.Integer(), nullable=False),
    sa.Column('late_rule', sa.Enum('used', 'returned', name='series_purchase_late_rule', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('cancellation_hours', sa.Integer(), nullable=False),
    sa.Column('policy_text', sa.Text(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('pending', 'declined', 'paid', 'closed', name='series_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('idempotency_key', sa.String(length=80), nullable=False),
    sa.Column('intent_id', sa.String(length=80), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('attempt_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failure_message', sa.String(length=500), nullable=True),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('refunded_sessions', sa.Integer(), nullable=False),
    sa.Column('refund_cents', sa.Integer(), nullable=False),
    sa.Column('refund_id', sa.String(length=80), nullable=True),
    sa.Column('refund_requested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('refunded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('price_cents > 0', name=op.f('ck_series_purchases_price_positive')),
    sa.CheckConstraint('refund_cents >= 0 AND refund_cents <= price_cents', name=op.f('ck_series_purchases_refund_within_price')),
    sa.CheckConstraint('refunded_sessions >= 0 AND refunded_sessions <= sessions_total', name=op.f('ck_series_purchases_refunded_within_total')),
    sa.CheckConstraint('sessions_total BETWEEN 2 AND 20', name=op.f('ck_series_purchases_sessions_range')),
    sa.ForeignKeyConstraint(['client_id'], ['users.id'], name=op.f('fk_series_purchases_client_id_users')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_series_purchases_clinic_id_clinics')),
    sa.ForeignKeyConstraint(['offer_id'], ['series_offers.id'], name=op.f('fk_series_purchases_offer_id_series_offers')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_series_purchases_service_id_services')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_series_purchases')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_series_purchases_idempotency_key')),
    sa.UniqueConstraint('intent_id', name=op.f('uq_series_purchases_intent_id')),
    sa.UniqueConstraint('reference', name=op.f('uq_series_purchases_reference'))
    )
    with op.batch_alter_table('series_purchases', schema=None) as batch_op:
        batch_op.create_index('ix_series_purchases_client', ['client_id', 'status'], unique=False)
        batch_op.create_index('ix_series_purchases_clinic_paid', ['clinic_id', 'paid_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_series_purchases_offer_id'), ['offer_id'], unique=False)

    # A plain ADD COLUMN: a batch (copy) of bookings would lose SQLite's overlap trigger.
    fk = op.f('fk_bookings_series_purchase_id_series_purchases')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f"ALTER TABLE bookings ADD COLUMN series_purchase_id INTEGER "
                   f"CONSTRAINT {fk} REFERENCES series_purchases (id)")
    else:
        op.add_column('bookings', sa.Column('series_purchase_id', sa.Integer(), nullable=True))
        op.create_foreign_key(fk, 'bookings', 'series_purchases', ['series_purchase_id'], ['id'])
    op.create_index(op.f('ix_bookings_series_purchase_id'), 'bookings', ['series_purchase_id'],
                    unique=False)



def downgrade():
    op.drop_index(op.f('ix_bookings_series_purchase_id'), table_name='bookings')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(op.f('fk_bookings_series_purchase_id_series_purchases'), 'bookings',
                           type_='foreignkey')
    op.drop_column('bookings', 'series_purchase_id')

    with op.batch_alter_table('series_purchases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_series_purchases_offer_id'))
        batch_op.drop_index('ix_series_purchases_clinic_paid')
        batch_op.drop_index('ix_series_purchases_client')

    op.drop_table('series_purchases')
    with op.batch_alter_table('series_offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_series_offers_service_id'))
        batch_op.drop_index('ix_series_offers_clinic_active')

    op.drop_table('series_offers')
