"""languages therapists speak, amenities clinics offer

Revision ID: 0007_languages_amenities
Revises: 0006_gift_cards

Two association tables of codes from the fixed vocabularies in
marketplace/services/common/features.py: each pair once (the primary key), and an
index from the code for search's EXISTS filters.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007_languages_amenities'
down_revision = '0006_gift_cards'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('therapist_languages',
    sa.Column('therapist_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['therapist_id'], ['therapists.id'], name=op.f('fk_therapist_languages_therapist_id_therapists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('therapist_id', 'code', name=op.f('pk_therapist_languages'))
    )
    with op.batch_alter_table('therapist_languages', schema=None) as batch_op:
        batch_op.create_index('ix_therapist_languages_code', ['code', 'therapist_id'], unique=False)
    op.create_table('clinic_amenities',
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_clinic_amenities_clinic_id_clinics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('clinic_id', 'code', name=op.f('pk_clinic_amenities'))
    )
    with op.batch_alter_table('clinic_amenities', schema=None) as batch_op:
        batch_op.create_index('ix_clinic_amenities_code', ['code', 'clinic_id'], unique=False)


def downgrade():
    with op.batch_alter_table('clinic_amenities', schema=None) as batch_op:
        batch_op.drop_index('ix_clinic_amenities_code')
    op.drop_table('clinic_amenities')
    with op.batch_alter_table('therapist_languages', schema=None) as batch_op:
        batch_op.drop_index('ix_therapist_languages_code')
    op.drop_table('therapist_languages')
