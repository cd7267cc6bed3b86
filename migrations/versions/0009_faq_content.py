"""FAQ entries get a stable key (the content file's, so `flask content load` upserts instead of
duplicating), the page that does what they explain (`link`), a switch that hides them from the
FAQ and the assistant, and who last edited them in the back office (an entry an admin edited is
not overwritten by the content file unless forced).

Revision ID: 0009_faq_content
Revises: 0008_dossier_assessment_index
Create Date: 2026-12-02 16:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_faq_content"
down_revision = "0008_dossier_assessment_index"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("faq_entry") as batch_op:
        batch_op.add_column(sa.Column("key", sa.String(80), nullable=True))
        batch_op.add_column(sa.Column("link", sa.String(40), nullable=True))
        batch_op.add_column(
            sa.Column("hidden", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("edited_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_faq_entry_edited_by_id_officer", "officer", ["edited_by_id"], ["id"]
        )
    # Rows written before keys existed (demo data) get one from their id.
    op.execute("UPDATE faq_entry SET key = 'faq-' || CAST(id AS VARCHAR(20)) WHERE key IS NULL")
    with op.batch_alter_table("faq_entry") as batch_op:
        batch_op.alter_column("key", existing_type=sa.String(80), nullable=False)
        batch_op.create_index("ux_faq_entry_key", ["key"], unique=True)


def downgrade():
    with op.batch_alter_table("faq_entry") as batch_op:
        batch_op.drop_index("ux_faq_entry_key")
        batch_op.drop_constraint("fk_faq_entry_edited_by_id_officer", type_="foreignkey")
        batch_op.drop_column("edited_by_id")
        batch_op.drop_column("edited_at")
        batch_op.drop_column("hidden")
        batch_op.drop_column("link")
        batch_op.drop_column("key")
