"""The new password waits, hashed, beside the OTP that confirms it.

Revision ID: 0003_otp_pending_password
Revises: 91445e086df6
Create Date: 2026-11-25 10:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_otp_pending_password"
down_revision = "91445e086df6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("otp_challenge", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pending_password_hash", sa.String(length=255), nullable=True))


def downgrade():
    with op.batch_alter_table("otp_challenge", schema=None) as batch_op:
        batch_op.drop_column("pending_password_hash")
