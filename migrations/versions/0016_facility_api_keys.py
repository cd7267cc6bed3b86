"""Keys of the card-check API, one or more per health facility.

Revision ID: 0016_facility_api_keys
Revises: 0015_family
Create Date: 2026-12-03 06:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_facility_api_keys"
down_revision = "0015_family"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "facility_api_key",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("facility_id", sa.Integer(), sa.ForeignKey("facility.id"), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("label", sa.String(60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("officer.id"), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("prefix", name="uq_facility_api_key_prefix"),
    )
    op.create_index("ix_facility_api_key_facility_id", "facility_api_key", ["facility_id"])


def downgrade():
    op.drop_index("ix_facility_api_key_facility_id", table_name="facility_api_key")
    op.drop_table("facility_api_key")
