"""The request id on audit rows: the X-Request-Id of the request that wrote the row (none from a
command or the worker), to read a row beside the log lines of its request.

Revision ID: 0007_audit_request_id
Revises: 0006_one_otp_step
Create Date: 2026-12-10 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_audit_request_id"
down_revision = "0006_one_otp_step"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_id", sa.String(length=128), nullable=True))


def downgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_column("request_id")
