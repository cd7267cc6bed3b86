"""The public directories are searched by search words: a row's `name_folded` becomes its name
folded, without punctuation and with abbreviations written out ("BV Bạch Mai" → "benh vien bach
mai", `webapp.services.text.search_text`), so that a query typed with or without abbreviations
finds it. No table changes: every row's `name_folded` is computed again.

Revision ID: 0010_directory_search_words
Revises: 0009_faq_content
Create Date: 2026-12-02 17:00:00
"""

import sqlalchemy as sa
from alembic import op

from webapp.services.text import fold, search_text

revision = "0010_directory_search_words"
down_revision = "0009_faq_content"
branch_labels = None
depends_on = None

TABLES = ("bhxh_office", "facility", "employer", "collection_point")
BATCH = 1000


def _reindex(index) -> None:
    connection = op.get_bind()
    for name in TABLES:
        table = sa.table(name, sa.column("id"), sa.column("name"), sa.column("name_folded"))
        last = 0
        while True:
            rows = connection.execute(
                sa.select(table.c.id, table.c.name)
                .where(table.c.id > last)
                .order_by(table.c.id)
                .limit(BATCH)
            ).all()
            if not rows:
                break
            connection.execute(
                table.update()
                .where(table.c.id == sa.bindparam("row_id"))
                .values(name_folded=sa.bindparam("folded")),
                [{"row_id": row.id, "folded": index(row.name)[:200]} for row in rows],
            )
            last = rows[-1].id


def upgrade():
    _reindex(search_text)


def downgrade():
    _reindex(fold)
