"""health profile

Revision ID: 0011_health_profile
Revises: 0010_photos

The client's health profile (health_profiles: one sealed copy of their intake
answers per client, kept in their account), and the client's consent to share each
booking's answers with its clinic (intake_records.consent_given_at and
consent_withdrawn_at). Answers saved before consent was asked for were given under
the earlier notice ("only you and the clinic treating you"), so they count as shared
from the moment they were saved. Read by marketplace/services/intake/.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011_health_profile'
down_revision = '0010_photos'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('health_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('key_id', sa.String(length=20), nullable=False),
    sa.Column('ciphertext', sa.LargeBinary(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['users.id'], name=op.f('fk_health_profiles_client_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_health_profiles')),
    sa.UniqueConstraint('client_id', name=op.f('uq_health_profiles_client_id'))
    )
    with op.batch_alter_table('intake_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_given_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('consent_withdrawn_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE intake_records SET consent_given_at = created_at")


def downgrade():
    with op.batch_alter_table('intake_records', schema=None) as batch_op:
        batch_op.drop_column('consent_withdrawn_at')
        batch_op.drop_column('consent_given_at')

    op.drop_table('health_profiles')
