"""Officers' passkeys (their second factor, which an admin can require): a passkey belongs to an
account or to an officer, a ceremony's challenge too.

Revision ID: 0014_officer_passkeys
Revises: 0013_passkeys
Create Date: 2026-12-02 23:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_officer_passkeys"
down_revision = "0013_passkeys"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("passkey") as batch_op:
        batch_op.alter_column("account_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("officer_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_passkey_officer_id_officer"), "officer", ["officer_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_passkey_officer_id"), ["officer_id"])
    with op.batch_alter_table("webauthn_challenge") as batch_op:
        batch_op.add_column(sa.Column("officer_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_webauthn_challenge_officer_id_officer"), "officer", ["officer_id"], ["id"]
        )
    with op.batch_alter_table("officer") as batch_op:
        batch_op.add_column(
            sa.Column("passkey_required", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("officer") as batch_op:
        batch_op.drop_column("passkey_required")
    with op.batch_alter_table("webauthn_challenge") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_webauthn_challenge_officer_id_officer"), type_="foreignkey"
        )
        batch_op.drop_column("officer_id")
    op.execute(sa.text("DELETE FROM passkey WHERE account_id IS NULL"))
    with op.batch_alter_table("passkey") as batch_op:
        batch_op.drop_index(batch_op.f("ix_passkey_officer_id"))
        batch_op.drop_constraint(batch_op.f("fk_passkey_officer_id_officer"), type_="foreignkey")
        batch_op.drop_column("officer_id")
        batch_op.alter_column("account_id", existing_type=sa.Integer(), nullable=False)
