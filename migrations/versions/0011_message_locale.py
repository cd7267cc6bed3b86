"""A registration dossier and a feedback keep the language their writer used (`locale`, vi or
en), so that the officer's answer (approval, refusal, the feedback's answer) is sent by SMS and
email in that language. Older rows have none: Vietnamese.

Revision ID: 0011_message_locale
Revises: 0010_directory_search_words
Create Date: 2026-12-02 17:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_message_locale"
down_revision = "0010_directory_search_words"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registration_dossier") as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=5), nullable=True))
    with op.batch_alter_table("feedback") as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=5), nullable=True))


def downgrade():
    with op.batch_alter_table("feedback") as batch_op:
        batch_op.drop_column("locale")
    with op.batch_alter_table("registration_dossier") as batch_op:
        batch_op.drop_column("locale")
