"""The officer's queue searched by assessment ("Tình trạng") reads the newest dossiers of that
assessment in index order: (assessment, declared_at) replaces the index on assessment alone, with
which the database sorted every dossier of the assessment (a tenth of them for "invalid") to
show twenty.

Revision ID: 0008_dossier_assessment_index
Revises: 0007_audit_request_id
Create Date: 2026-12-02 12:20:00
"""

from alembic import op

revision = "0008_dossier_assessment_index"
down_revision = "0007_audit_request_id"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registration_dossier") as batch_op:
        batch_op.drop_index("ix_registration_dossier_assessment")
        batch_op.create_index("ix_dossier_assessment_declared", ["assessment", "declared_at"])


def downgrade():
    with op.batch_alter_table("registration_dossier") as batch_op:
        batch_op.drop_index("ix_dossier_assessment_declared")
        batch_op.create_index("ix_registration_dossier_assessment", ["assessment"])
