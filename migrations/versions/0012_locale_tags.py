"""Languages are named by their catalogue (vi, en, ko, ja, zh_Hans): the columns that keep an
account's, a dossier's or a feedback's language take names longer than five letters.

Revision ID: 0012_locale_tags
Revises: 0011_message_locale
Create Date: 2026-12-02 22:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_locale_tags"
down_revision = "0011_message_locale"
branch_labels = None
depends_on = None

TABLES = ("account", "registration_dossier", "feedback")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(
                "locale", existing_type=sa.String(length=5), type_=sa.String(length=16)
            )


def downgrade():
    for table in TABLES:
        # A language named longer than five letters cannot be kept: its readers get Vietnamese.
        op.execute(sa.text(f"UPDATE {table} SET locale = NULL WHERE length(locale) > 5"))  # noqa: S608
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(
                "locale", existing_type=sa.String(length=16), type_=sa.String(length=5)
            )
