"""Officer sessions on the server and the officer sign-in lock.

- `officer_session`: an officer's signed-in browser, revocable (sign-out, new password,
  deactivation, end of the working day).
- `officer.failed_logins` / `officer.locked_until`: the sign-in lock, as citizens have.

Revision ID: 0005_officer_sessions_dossier
Revises: 0004_registration
Create Date: 2026-11-26 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_officer_sessions_dossier"
down_revision = "0004_registration"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "officer_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=30), nullable=True),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officer.id"], name=op.f("fk_officer_session_officer_id_officer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officer_session")),
        sa.UniqueConstraint("token", name=op.f("uq_officer_session_token")),
    )
    with op.batch_alter_table("officer_session", schema=None) as batch_op:
        batch_op.create_index(
            "ix_officer_session_officer_active", ["officer_id", "revoked_at"], unique=False
        )

    with op.batch_alter_table("officer", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_logins", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("officer", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")
    with op.batch_alter_table("officer_session", schema=None) as batch_op:
        batch_op.drop_index("ix_officer_session_officer_active")
    op.drop_table("officer_session")
