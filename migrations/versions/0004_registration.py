"""Registration and the officer queue: the queue reads dossiers newest first by declared_at.

Revision ID: 0004_registration
Revises: 0003_otp_pending_password
Create Date: 2026-11-25 14:00:00
"""

from alembic import op

revision = "0004_registration"
down_revision = "0003_otp_pending_password"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registration_dossier", schema=None) as batch_op:
        batch_op.create_index("ix_dossier_declared", ["declared_at"], unique=False)


def downgrade():
    with op.batch_alter_table("registration_dossier", schema=None) as batch_op:
        batch_op.drop_index("ix_dossier_declared")
