"""The family's data: the household relation of each person, delegations between adults, and
the append-only access log.

Revision ID: 0015_family
Revises: 0014_officer_passkeys
Create Date: 2026-12-03 06:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_family"
down_revision = "0014_officer_passkeys"
branch_labels = None
depends_on = None

OPEN = sa.text("state IN ('offered', 'active')")


def upgrade():
    with op.batch_alter_table("person") as batch_op:
        batch_op.add_column(sa.Column("household_relation", sa.String(10), nullable=True))
    # What the registry's rows already say: a minor with a guardian is a child of the household,
    # and the member named as its head is its head. Spouses and other members stay unknown
    # (no guardian's rights) until the registry sends their relation.
    op.execute(
        sa.text(
            "UPDATE person SET household_relation = 'child' "
            "WHERE guardian_name IS NOT NULL AND household_id IS NOT NULL"
        )
    )
    op.execute(
        sa.text(
            "UPDATE person SET household_relation = 'head' "
            "WHERE guardian_name IS NULL AND household_id IS NOT NULL AND full_name = "
            "(SELECT head_name FROM household WHERE household.id = person.household_id)"
        )
    )
    op.create_table(
        "delegation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("grantor_id", sa.Integer(), sa.ForeignKey("account.id"), nullable=False),
        sa.Column("delegate_id", sa.Integer(), sa.ForeignKey("account.id"), nullable=False),
        sa.Column("parts", sa.String(40), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(10), nullable=True),
    )
    op.create_index("ix_delegation_grantor_id", "delegation", ["grantor_id"])
    op.create_index("ix_delegation_delegate_id", "delegation", ["delegate_id"])
    op.create_index(
        "ux_delegation_open_pair",
        "delegation",
        ["grantor_id", "delegate_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("viewer_type", sa.String(10), nullable=False),
        sa.Column("viewer_account_id", sa.Integer(), sa.ForeignKey("account.id"), nullable=True),
        sa.Column("viewer_officer_id", sa.Integer(), sa.ForeignKey("officer.id"), nullable=True),
        sa.Column("viewer_name", sa.String(200), nullable=True),
        sa.Column("request_id", sa.String(128), nullable=True),
    )
    op.create_index("ix_access_log_person_at", "access_log", ["person_id", "at"])
    op.create_index("ix_access_log_at", "access_log", ["at"])
    # Append-only: the database itself refuses to change a row. (Written out here, as a
    # migration must stay as it ran; webapp.models.family says the same for the tests' schema.)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            sa.text(
                "CREATE FUNCTION access_log_append_only() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'access_log is append-only'; END; $$ LANGUAGE plpgsql"
            )
        )
        op.execute(
            sa.text(
                "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log "
                "FOR EACH ROW EXECUTE FUNCTION access_log_append_only()"
            )
        )
    else:
        op.execute(
            sa.text(
                "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log "
                "BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END"
            )
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text("DROP TRIGGER access_log_no_update ON access_log"))
        op.execute(sa.text("DROP FUNCTION access_log_append_only()"))
    else:
        op.execute(sa.text("DROP TRIGGER access_log_no_update"))
    op.drop_index("ix_access_log_at", table_name="access_log")
    op.drop_index("ix_access_log_person_at", table_name="access_log")
    op.drop_table("access_log")
    op.drop_index("ux_delegation_open_pair", table_name="delegation")
    op.drop_index("ix_delegation_delegate_id", table_name="delegation")
    op.drop_index("ix_delegation_grantor_id", table_name="delegation")
    op.drop_table("delegation")
    with op.batch_alter_table("person") as batch_op:
        batch_op.drop_column("household_relation")
