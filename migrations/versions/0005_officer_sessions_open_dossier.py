"""Officer sessions on the server, the officer sign-in lock, one open dossier per code and kind.

- `officer_session`: an officer's signed-in browser, revocable (sign-out, new password,
  deactivation, end of the working day).
- `officer.failed_logins` / `officer.locked_until`: the sign-in lock, as citizens have.
- `ux_dossier_open_per_code`: at most one undecided ("declared") dossier of each kind per BHXH
  code. Duplicates already recorded (the race this index closes) are resolved first: the
  earliest stays open, each later one is closed as refused with a reason and an audit row,
  so that the index can be built and no dossier disappears.

Revision ID: 0005_officer_sessions_dossier
Revises: 0004_registration
Create Date: 2026-11-26 09:00:00
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0005_officer_sessions_dossier"
down_revision = "0004_registration"
branch_labels = None
depends_on = None

OPEN = sa.text("state = 'declared'")
DUPLICATE_REASON = (
    "Trùng với tờ khai {number} đang chờ xử lý cho cùng mã số BHXH: "
    "đóng tự động khi nâng cấp hệ thống."
)


def _close_duplicate_open_dossiers() -> None:
    bind = op.get_bind()
    dossier = sa.table(
        "registration_dossier",
        sa.column("id", sa.Integer),
        sa.column("number", sa.String),
        sa.column("kind", sa.String),
        sa.column("bhxh_code", sa.String),
        sa.column("declared_at", sa.DateTime(timezone=True)),
        sa.column("state", sa.String),
        sa.column("assessment", sa.String),
        sa.column("reason", sa.Text),
        sa.column("decided_at", sa.DateTime(timezone=True)),
        sa.column("version", sa.Integer),
    )
    audit = sa.table(
        "audit_event",
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("actor_type", sa.String),
        sa.column("event", sa.String),
        sa.column("subject_type", sa.String),
        sa.column("subject_id", sa.Integer),
        sa.column("detail", sa.JSON),
    )
    rows = bind.execute(
        sa.select(dossier.c.id, dossier.c.number, dossier.c.kind, dossier.c.bhxh_code)
        .where(dossier.c.state == "declared")
        .order_by(dossier.c.kind, dossier.c.bhxh_code, dossier.c.declared_at, dossier.c.id)
    ).all()
    now = dt.datetime.now(dt.UTC)
    kept: dict[tuple[str, str], str] = {}
    for row in rows:
        first = kept.setdefault((row.kind, row.bhxh_code), row.number)
        if first == row.number:
            continue
        bind.execute(
            sa.update(dossier)
            .where(dossier.c.id == row.id)
            .values(
                state="rejected",
                assessment="invalid",
                reason=DUPLICATE_REASON.format(number=first),
                decided_at=now,
                version=dossier.c.version + 1,
            )
        )
        bind.execute(
            sa.insert(audit).values(
                at=now,
                actor_type="system",
                event="dossier_closed_duplicate",
                subject_type="dossier",
                subject_id=row.id,
                detail={"number": row.number, "kept": first},
            )
        )


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

    _close_duplicate_open_dossiers()
    with op.batch_alter_table("registration_dossier", schema=None) as batch_op:
        batch_op.create_index(
            "ux_dossier_open_per_code",
            ["kind", "bhxh_code"],
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        )


def downgrade():
    with op.batch_alter_table("registration_dossier", schema=None) as batch_op:
        batch_op.drop_index("ux_dossier_open_per_code")
    with op.batch_alter_table("officer", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")
    with op.batch_alter_table("officer_session", schema=None) as batch_op:
        batch_op.drop_index("ix_officer_session_officer_active")
    op.drop_table("officer_session")
