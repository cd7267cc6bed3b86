"""One OTP step for every flow: a code's subject (account, person or contact), and the send
throttle claimed by one conditional UPDATE; the sign-in lock of identifiers without an account.

Revision ID: 0006_one_otp_step
Revises: 0005_officer_sessions_dossier
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_one_otp_step"
down_revision = "0005_officer_sessions_dossier"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "identifier_lock",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_identifier_lock")),
    )
    op.create_table(
        "otp_throttle",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_in_window", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_otp_throttle")),
    )
    with op.batch_alter_table("otp_challenge", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject", sa.String(length=80), nullable=True))
    op.execute("UPDATE otp_challenge SET subject = 'account:' || account_id")
    with op.batch_alter_table("otp_challenge", schema=None) as batch_op:
        batch_op.alter_column("subject", existing_type=sa.String(length=80), nullable=False)
        batch_op.alter_column("account_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(
            "ix_otp_challenge_subject", ["subject", "purpose", "created_at"], unique=False
        )


def downgrade():
    op.execute("DELETE FROM otp_challenge WHERE account_id IS NULL")
    with op.batch_alter_table("otp_challenge", schema=None) as batch_op:
        batch_op.drop_index("ix_otp_challenge_subject")
        batch_op.alter_column("account_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("subject")
    op.drop_table("otp_throttle")
    op.drop_table("identifier_lock")
