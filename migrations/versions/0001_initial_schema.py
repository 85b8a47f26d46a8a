"""initial schema

Revision ID: 0001_initial
Revises: 
Create Date: 2026-11-22 00:52:57.115109

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None


NO_OVERLAP_SQLITE = """
CREATE TRIGGER trg_bookings_no_overlap_{event} BEFORE {event_sql} ON bookings
WHEN NEW.status IN ('held', 'confirmed')
BEGIN
    SELECT RAISE(ABORT, 'ex_bookings_therapist_no_overlap')
    WHERE EXISTS (
        SELECT 1 FROM bookings AS b
        WHERE b.therapist_id = NEW.therapist_id
          AND b.id IS NOT NEW.id
          AND b.status IN ('held', 'confirmed')
          AND b.blocked_from < NEW.blocked_until
          AND NEW.blocked_from < b.blocked_until
    );
END
"""


def _no_overlap_rule():
    """Two held/confirmed bookings of one therapist never overlap.

    PostgreSQL: an exclusion constraint over a time range (btree_gist).
    SQLite: triggers; SQLite has one writer at a time, so check and write are
    atomic.
    """
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            "ALTER TABLE bookings ADD CONSTRAINT ex_bookings_therapist_no_overlap "
            "EXCLUDE USING gist (therapist_id WITH =, "
            "tstzrange(blocked_from, blocked_until, '[)') WITH &&) "
            "WHERE (status IN ('held', 'confirmed'))"
        )
    elif dialect == "sqlite":
        op.execute(NO_OVERLAP_SQLITE.format(event="insert", event_sql="INSERT"))
        op.execute(
            NO_OVERLAP_SQLITE.format(
                event="update",
                event_sql="UPDATE OF status, therapist_id, blocked_from, blocked_until",
            )
        )


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.create_table('conditions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conditions')),
    sa.UniqueConstraint('name', name=op.f('uq_conditions_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_conditions_slug'))
    )
    op.create_table('modalities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('short_name', sa.String(length=20), nullable=True),
    sa.Column('intensity', sa.Enum('gentle', 'moderate', 'deep', name='intensity', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_modalities')),
    sa.UniqueConstraint('name', name=op.f('uq_modalities_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_modalities_slug'))
    )
    op.create_table('outbox_emails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=120), nullable=True),
    sa.Column('to_addr', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('message', sa.LargeBinary(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', name='outbox_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_emails')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_emails_dedupe_key'))
    )
    op.create_index('ix_outbox_emails_status_next', 'outbox_emails', ['status', 'next_attempt_at'], unique=False)
    op.create_table('payment_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_event_id', sa.String(length=80), nullable=False),
    sa.Column('type', sa.String(length=80), nullable=False),
    sa.Column('intent_id', sa.String(length=80), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('result', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_events')),
    sa.UniqueConstraint('provider_event_id', name=op.f('uq_payment_events_provider_event_id'))
    )
    op.create_index(op.f('ix_payment_events_intent_id'), 'payment_events', ['intent_id'], unique=False)
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('client', 'owner', 'admin', name='user_role', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('status', sa.Enum('active', 'suspended', name='user_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('suspended_reason', sa.String(length=500), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('clinics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('tagline', sa.String(length=200), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('status', sa.Enum('pending', 'published', 'suspended', name='clinic_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('status_reason', sa.String(length=500), nullable=True),
    sa.Column('deposit_kind', sa.Enum('percent', 'fixed', name='deposit_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('deposit_value', sa.Integer(), nullable=False),
    sa.Column('cancellation_window_hours', sa.Integer(), nullable=False),
    sa.Column('policy_text', sa.Text(), nullable=False),
    sa.Column('intake_note', sa.Text(), nullable=True),
    sa.Column('is_illustrative', sa.Boolean(), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('rating_avg', sa.Float(), nullable=True),
    sa.Column('review_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("deposit_kind != 'percent' OR deposit_value <= 100", name=op.f('ck_clinics_deposit_percent_max_100')),
    sa.CheckConstraint('cancellation_window_hours >= 0 AND cancellation_window_hours <= 720', name=op.f('ck_clinics_cancellation_window_range')),
    sa.CheckConstraint('deposit_value >= 0', name=op.f('ck_clinics_deposit_value_nonnegative')),
    sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'], name=op.f('fk_clinics_verified_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinics')),
    sa.UniqueConstraint('slug', name=op.f('uq_clinics_slug'))
    )
    op.create_index(op.f('ix_clinics_status'), 'clinics', ['status'], unique=False)
    op.create_index('ix_clinics_status_rating', 'clinics', ['status', 'rating_avg'], unique=False)
    op.create_table('condition_modalities',
    sa.Column('condition_id', sa.Integer(), nullable=False),
    sa.Column('modality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['condition_id'], ['conditions.id'], name=op.f('fk_condition_modalities_condition_id_conditions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['modality_id'], ['modalities.id'], name=op.f('fk_condition_modalities_modality_id_modalities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('condition_id', 'modality_id', name=op.f('pk_condition_modalities'))
    )
    op.create_index(op.f('ix_condition_modalities_modality_id'), 'condition_modalities', ['modality_id'], unique=False)
    op.create_table('modality_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('modality_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['modality_id'], ['modalities.id'], name=op.f('fk_modality_aliases_modality_id_modalities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_modality_aliases')),
    sa.UniqueConstraint('alias', name=op.f('uq_modality_aliases_alias'))
    )
    op.create_index(op.f('ix_modality_aliases_modality_id'), 'modality_aliases', ['modality_id'], unique=False)
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('clinic_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('ip_address', sa.String(length=45), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_log_actor_id_users')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_audit_log_clinic_id_clinics')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index('ix_audit_log_action_created', 'audit_log', ['action', 'created_at'], unique=False)
    op.create_index(op.f('ix_audit_log_actor_id'), 'audit_log', ['actor_id'], unique=False)
    op.create_index(op.f('ix_audit_log_clinic_id'), 'audit_log', ['clinic_id'], unique=False)
    op.create_index('ix_audit_log_created', 'audit_log', ['created_at'], unique=False)
    op.create_index('ix_audit_log_object', 'audit_log', ['object_type', 'object_id'], unique=False)
    op.create_table('clinic_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', name='claim_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_clinic_claims_clinic_id_clinics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_clinic_claims_decided_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_clinic_claims_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinic_claims'))
    )
    op.create_index(op.f('ix_clinic_claims_clinic_id'), 'clinic_claims', ['clinic_id'], unique=False)
    op.create_index(op.f('ix_clinic_claims_user_id'), 'clinic_claims', ['user_id'], unique=False)
    op.create_table('clinic_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('owner', 'staff', name='member_role', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_clinic_members_clinic_id_clinics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_clinic_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinic_members')),
    sa.UniqueConstraint('clinic_id', 'user_id', name=op.f('uq_clinic_members_clinic_id_user_id'))
    )
    op.create_index(op.f('ix_clinic_members_user_id'), 'clinic_members', ['user_id'], unique=False)
    op.create_table('locations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('address_line1', sa.String(length=200), nullable=False),
    sa.Column('address_line2', sa.String(length=200), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=2), nullable=False),
    sa.Column('zip_code', sa.String(length=10), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('is_illustrative', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('latitude BETWEEN -90 AND 90', name=op.f('ck_locations_latitude_range')),
    sa.CheckConstraint('longitude BETWEEN -180 AND 180', name=op.f('ck_locations_longitude_range')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_locations_clinic_id_clinics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_locations'))
    )
    op.create_index(op.f('ix_locations_clinic_id'), 'locations', ['clinic_id'], unique=False)
    op.create_index('ix_locations_lat_lng', 'locations', ['latitude', 'longitude'], unique=False)
    op.create_index(op.f('ix_locations_zip_code'), 'locations', ['zip_code'], unique=False)
    op.create_table('partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('specialty', sa.String(length=120), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_partners_clinic_id_clinics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partners'))
    )
    op.create_index(op.f('ix_partners_clinic_id'), 'partners', ['clinic_id'], unique=False)
    op.create_table('promotions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('kind', sa.Enum('amount', 'percent', name='promotion_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('modality_id', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('max_redemptions', sa.Integer(), nullable=True),
    sa.Column('per_client_limit', sa.Integer(), nullable=True),
    sa.Column('redemptions_count', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind != 'percent' OR value <= 100", name=op.f('ck_promotions_percent_max_100')),
    sa.CheckConstraint('value > 0', name=op.f('ck_promotions_value_positive')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_promotions_clinic_id_clinics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['modality_id'], ['modalities.id'], name=op.f('fk_promotions_modality_id_modalities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promotions')),
    sa.UniqueConstraint('clinic_id', 'code', name=op.f('uq_promotions_clinic_id_code'))
    )
    op.create_table('services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('modality_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('duration_min', sa.Integer(), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.Column('price_per_60_cents', sa.Integer(), nullable=False),
    sa.Column('buffer_before_min', sa.Integer(), nullable=False),
    sa.Column('buffer_after_min', sa.Integer(), nullable=False),
    sa.Column('includes_consultation', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('buffer_before_min >= 0 AND buffer_after_min >= 0', name=op.f('ck_services_buffers_nonnegative')),
    sa.CheckConstraint('duration_min BETWEEN 10 AND 480', name=op.f('ck_services_duration_range')),
    sa.CheckConstraint('price_cents >= 0', name=op.f('ck_services_price_nonnegative')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_services_clinic_id_clinics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['modality_id'], ['modalities.id'], name=op.f('fk_services_modality_id_modalities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services'))
    )
    op.create_index('ix_services_clinic_active', 'services', ['clinic_id', 'active'], unique=False)
    op.create_index('ix_services_modality_price', 'services', ['modality_id', 'price_per_60_cents'], unique=False)
    op.create_table('therapists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('credentials', sa.String(length=120), nullable=False),
    sa.Column('licence_number', sa.String(length=40), nullable=True),
    sa.Column('licence_state', sa.String(length=2), nullable=True),
    sa.Column('licence_checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('practicing_since', sa.Integer(), nullable=True),
    sa.Column('bio', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('practicing_since IS NULL OR practicing_since >= 1950', name=op.f('ck_therapists_practicing_since_range')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_therapists_clinic_id_clinics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_therapists')),
    sa.UniqueConstraint('slug', name=op.f('uq_therapists_slug'))
    )
    op.create_index(op.f('ix_therapists_clinic_id'), 'therapists', ['clinic_id'], unique=False)
    op.create_table('bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=12), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('therapist_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('hold_token', sa.String(length=64), nullable=True),
    sa.Column('status', sa.Enum('held', 'confirmed', 'cancelled', 'completed', 'no_show', 'expired', name='booking_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('blocked_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('hold_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.Column('discount_cents', sa.Integer(), nullable=False),
    sa.Column('deposit_cents', sa.Integer(), nullable=False),
    sa.Column('promotion_id', sa.Integer(), nullable=True),
    sa.Column('policy_deposit_kind', sa.Enum('percent', 'fixed', name='booking_deposit_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('policy_deposit_value', sa.Integer(), nullable=False),
    sa.Column('policy_cancellation_hours', sa.Integer(), nullable=False),
    sa.Column('policy_text', sa.Text(), nullable=False),
    sa.Column('screening_outcome', sa.Enum('proceed', 'gentle_only', 'clearance', 'not_now', name='screening_outcome', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('clearance_confirmed', sa.Boolean(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by', sa.Enum('client', 'clinic', 'admin', 'system', name='party', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('cancel_reason', sa.String(length=500), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rescheduled_from_id', sa.Integer(), nullable=True),
    sa.Column('reschedule_count', sa.Integer(), nullable=False),
    sa.Column('reminder_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('blocked_from <= starts_at AND blocked_until >= ends_at', name=op.f('ck_bookings_block_covers_visit')),
    sa.CheckConstraint('deposit_cents >= 0', name=op.f('ck_bookings_deposit_nonnegative')),
    sa.CheckConstraint('discount_cents >= 0', name=op.f('ck_bookings_discount_nonnegative')),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_bookings_starts_before_ends')),
    sa.ForeignKeyConstraint(['client_id'], ['users.id'], name=op.f('fk_bookings_client_id_users')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_bookings_clinic_id_clinics')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_bookings_location_id_locations')),
    sa.ForeignKeyConstraint(['promotion_id'], ['promotions.id'], name=op.f('fk_bookings_promotion_id_promotions')),
    sa.ForeignKeyConstraint(['rescheduled_from_id'], ['bookings.id'], name=op.f('fk_bookings_rescheduled_from_id_bookings')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_bookings_service_id_services')),
    sa.ForeignKeyConstraint(['therapist_id'], ['therapists.id'], name=op.f('fk_bookings_therapist_id_therapists')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings')),
    sa.UniqueConstraint('reference', name=op.f('uq_bookings_reference'))
    )
    op.create_index('ix_bookings_client_starts', 'bookings', ['client_id', 'starts_at'], unique=False)
    op.create_index('ix_bookings_clinic_starts', 'bookings', ['clinic_id', 'starts_at'], unique=False)
    op.create_index(op.f('ix_bookings_hold_token'), 'bookings', ['hold_token'], unique=False)
    op.create_index(op.f('ix_bookings_service_id'), 'bookings', ['service_id'], unique=False)
    op.create_index('ix_bookings_status_hold', 'bookings', ['status', 'hold_expires_at'], unique=False)
    _no_overlap_rule()
    op.create_index('ix_bookings_therapist_blocked', 'bookings', ['therapist_id', 'blocked_from', 'blocked_until'], unique=False)
    op.create_table('service_therapists',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('therapist_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_service_therapists_service_id_services'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['therapist_id'], ['therapists.id'], name=op.f('fk_service_therapists_therapist_id_therapists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('service_id', 'therapist_id', name=op.f('pk_service_therapists'))
    )
    op.create_index(op.f('ix_service_therapists_therapist_id'), 'service_therapists', ['therapist_id'], unique=False)
    op.create_table('therapist_modalities',
    sa.Column('therapist_id', sa.Integer(), nullable=False),
    sa.Column('modality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['modality_id'], ['modalities.id'], name=op.f('fk_therapist_modalities_modality_id_modalities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['therapist_id'], ['therapists.id'], name=op.f('fk_therapist_modalities_therapist_id_therapists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('therapist_id', 'modality_id', name=op.f('pk_therapist_modalities'))
    )
    op.create_index(op.f('ix_therapist_modalities_modality_id'), 'therapist_modalities', ['modality_id'], unique=False)
    op.create_table('time_off',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('therapist_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_time_off_starts_before_ends')),
    sa.ForeignKeyConstraint(['therapist_id'], ['therapists.id'], name=op.f('fk_time_off_therapist_id_therapists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_off'))
    )
    op.create_index('ix_time_off_therapist_starts', 'time_off', ['therapist_id', 'starts_at'], unique=False)
    op.create_table('working_hours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('therapist_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('starts', sa.Time(), nullable=False),
    sa.Column('ends', sa.Time(), nullable=False),
    sa.CheckConstraint('starts < ends', name=op.f('ck_working_hours_starts_before_ends')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_working_hours_weekday_range')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_working_hours_location_id_locations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['therapist_id'], ['therapists.id'], name=op.f('fk_working_hours_therapist_id_therapists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_hours'))
    )
    op.create_index(op.f('ix_working_hours_location_id'), 'working_hours', ['location_id'], unique=False)
    op.create_index('ix_working_hours_therapist_weekday', 'working_hours', ['therapist_id', 'weekday'], unique=False)
    op.create_table('intake_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('key_id', sa.String(length=20), nullable=False),
    sa.Column('ciphertext', sa.LargeBinary(), nullable=False),
    sa.Column('outcome', sa.Enum('proceed', 'gentle_only', 'clearance', 'not_now', name='intake_outcome', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('clearance_confirmed', sa.Boolean(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_intake_records_booking_id_bookings')),
    sa.ForeignKeyConstraint(['client_id'], ['users.id'], name=op.f('fk_intake_records_client_id_users')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_intake_records_clinic_id_clinics')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_records')),
    sa.UniqueConstraint('booking_id', name=op.f('uq_intake_records_booking_id'))
    )
    op.create_index('ix_intake_records_client_created', 'intake_records', ['client_id', 'created_at'], unique=False)
    op.create_index(op.f('ix_intake_records_clinic_id'), 'intake_records', ['clinic_id'], unique=False)
    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('idempotency_key', sa.String(length=80), nullable=False),
    sa.Column('intent_id', sa.String(length=80), nullable=True),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.Enum('created', 'requires_action', 'processing', 'succeeded', 'failed', 'canceled', 'refunded', 'partially_refunded', name='payment_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('refunded_cents', sa.Integer(), nullable=False),
    sa.Column('refund_id', sa.String(length=80), nullable=True),
    sa.Column('failure_code', sa.String(length=80), nullable=True),
    sa.Column('failure_message', sa.String(length=500), nullable=True),
    sa.Column('succeeded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_payments_amount_positive')),
    sa.CheckConstraint('refunded_cents >= 0 AND refunded_cents <= amount_cents', name=op.f('ck_payments_refund_within_amount')),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_payments_booking_id_bookings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_payments_idempotency_key')),
    sa.UniqueConstraint('intent_id', name=op.f('uq_payments_intent_id'))
    )
    op.create_index(op.f('ix_payments_booking_id'), 'payments', ['booking_id'], unique=False)
    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('therapist_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('rating_pressure', sa.Integer(), nullable=True),
    sa.Column('rating_communication', sa.Integer(), nullable=True),
    sa.Column('rating_cleanliness', sa.Integer(), nullable=True),
    sa.Column('rating_value', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'published', 'rejected', 'hidden', name='review_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('rejection_reason', sa.String(length=500), nullable=True),
    sa.Column('moderated_by_id', sa.Integer(), nullable=True),
    sa.Column('moderated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('response_body', sa.Text(), nullable=True),
    sa.Column('response_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('response_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_reviews_rating_range')),
    sa.CheckConstraint('rating_cleanliness IS NULL OR (rating_cleanliness BETWEEN 1 AND 5)', name=op.f('ck_reviews_cleanliness_range')),
    sa.CheckConstraint('rating_communication IS NULL OR (rating_communication BETWEEN 1 AND 5)', name=op.f('ck_reviews_communication_range')),
    sa.CheckConstraint('rating_pressure IS NULL OR (rating_pressure BETWEEN 1 AND 5)', name=op.f('ck_reviews_pressure_range')),
    sa.CheckConstraint('rating_value IS NULL OR (rating_value BETWEEN 1 AND 5)', name=op.f('ck_reviews_value_range')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_reviews_author_id_users')),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_reviews_booking_id_bookings')),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_reviews_clinic_id_clinics')),
    sa.ForeignKeyConstraint(['moderated_by_id'], ['users.id'], name=op.f('fk_reviews_moderated_by_id_users')),
    sa.ForeignKeyConstraint(['response_by_id'], ['users.id'], name=op.f('fk_reviews_response_by_id_users')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_reviews_service_id_services')),
    sa.ForeignKeyConstraint(['therapist_id'], ['therapists.id'], name=op.f('fk_reviews_therapist_id_therapists')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    sa.UniqueConstraint('booking_id', name=op.f('uq_reviews_booking_id'))
    )
    op.create_index(op.f('ix_reviews_author_id'), 'reviews', ['author_id'], unique=False)
    op.create_index('ix_reviews_clinic_status', 'reviews', ['clinic_id', 'status'], unique=False)
    op.create_index('ix_reviews_status_created', 'reviews', ['status', 'created_at'], unique=False)
    op.create_index(op.f('ix_reviews_therapist_id'), 'reviews', ['therapist_id'], unique=False)
    op.create_table('visit_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'upheld', 'dismissed', name='visit_report_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('resolution_note', sa.String(length=1000), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_visit_reports_booking_id_bookings')),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_visit_reports_reporter_id_users')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_visit_reports_resolved_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_reports'))
    )
    op.create_index(op.f('ix_visit_reports_booking_id'), 'visit_reports', ['booking_id'], unique=False)
    op.create_index('ix_visit_reports_status_created', 'visit_reports', ['status', 'created_at'], unique=False)
    op.create_table('review_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Enum('spam', 'offensive', 'fake', 'private_info', 'conflict_of_interest', 'other', name='report_reason', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'upheld', 'dismissed', name='report_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_review_reports_reporter_id_users')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_review_reports_resolved_by_id_users')),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_reports_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_reports')),
    sa.UniqueConstraint('review_id', 'reporter_id', name=op.f('uq_review_reports_review_id_reporter_id'))
    )
    op.create_index('ix_review_reports_status_created', 'review_reports', ['status', 'created_at'], unique=False)
    # ### end Alembic commands ###


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_index('ix_review_reports_status_created', table_name='review_reports')
    op.drop_table('review_reports')
    op.drop_index('ix_visit_reports_status_created', table_name='visit_reports')
    op.drop_index(op.f('ix_visit_reports_booking_id'), table_name='visit_reports')
    op.drop_table('visit_reports')
    op.drop_index(op.f('ix_reviews_therapist_id'), table_name='reviews')
    op.drop_index('ix_reviews_status_created', table_name='reviews')
    op.drop_index('ix_reviews_clinic_status', table_name='reviews')
    op.drop_index(op.f('ix_reviews_author_id'), table_name='reviews')
    op.drop_table('reviews')
    op.drop_index(op.f('ix_payments_booking_id'), table_name='payments')
    op.drop_table('payments')
    op.drop_index(op.f('ix_intake_records_clinic_id'), table_name='intake_records')
    op.drop_index('ix_intake_records_client_created', table_name='intake_records')
    op.drop_table('intake_records')
    op.drop_index('ix_working_hours_therapist_weekday', table_name='working_hours')
    op.drop_index(op.f('ix_working_hours_location_id'), table_name='working_hours')
    op.drop_table('working_hours')
    op.drop_index('ix_time_off_therapist_starts', table_name='time_off')
    op.drop_table('time_off')
    op.drop_index(op.f('ix_therapist_modalities_modality_id'), table_name='therapist_modalities')
    op.drop_table('therapist_modalities')
    op.drop_index(op.f('ix_service_therapists_therapist_id'), table_name='service_therapists')
    op.drop_table('service_therapists')
    op.drop_index('ix_bookings_therapist_blocked', table_name='bookings')
    op.drop_index('ix_bookings_status_hold', table_name='bookings')
    op.drop_index(op.f('ix_bookings_service_id'), table_name='bookings')
    op.drop_index(op.f('ix_bookings_hold_token'), table_name='bookings')
    op.drop_index('ix_bookings_clinic_starts', table_name='bookings')
    op.drop_index('ix_bookings_client_starts', table_name='bookings')
    op.drop_table('bookings')
    op.drop_index(op.f('ix_therapists_clinic_id'), table_name='therapists')
    op.drop_table('therapists')
    op.drop_index('ix_services_modality_price', table_name='services')
    op.drop_index('ix_services_clinic_active', table_name='services')
    op.drop_table('services')
    op.drop_table('promotions')
    op.drop_index(op.f('ix_partners_clinic_id'), table_name='partners')
    op.drop_table('partners')
    op.drop_index(op.f('ix_locations_zip_code'), table_name='locations')
    op.drop_index('ix_locations_lat_lng', table_name='locations')
    op.drop_index(op.f('ix_locations_clinic_id'), table_name='locations')
    op.drop_table('locations')
    op.drop_index(op.f('ix_clinic_members_user_id'), table_name='clinic_members')
    op.drop_table('clinic_members')
    op.drop_index(op.f('ix_clinic_claims_user_id'), table_name='clinic_claims')
    op.drop_index(op.f('ix_clinic_claims_clinic_id'), table_name='clinic_claims')
    op.drop_table('clinic_claims')
    op.drop_index('ix_audit_log_object', table_name='audit_log')
    op.drop_index('ix_audit_log_created', table_name='audit_log')
    op.drop_index(op.f('ix_audit_log_clinic_id'), table_name='audit_log')
    op.drop_index(op.f('ix_audit_log_actor_id'), table_name='audit_log')
    op.drop_index('ix_audit_log_action_created', table_name='audit_log')
    op.drop_table('audit_log')
    op.drop_index(op.f('ix_modality_aliases_modality_id'), table_name='modality_aliases')
    op.drop_table('modality_aliases')
    op.drop_index(op.f('ix_condition_modalities_modality_id'), table_name='condition_modalities')
    op.drop_table('condition_modalities')
    op.drop_index('ix_clinics_status_rating', table_name='clinics')
    op.drop_index(op.f('ix_clinics_status'), table_name='clinics')
    op.drop_table('clinics')
    op.drop_table('users')
    op.drop_index(op.f('ix_payment_events_intent_id'), table_name='payment_events')
    op.drop_table('payment_events')
    op.drop_index('ix_outbox_emails_status_next', table_name='outbox_emails')
    op.drop_table('outbox_emails')
    op.drop_table('modalities')
    op.drop_table('conditions')
    # ### end Alembic commands ###
