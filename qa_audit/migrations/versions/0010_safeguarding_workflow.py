"""safeguarding as a workflow (raised, acknowledged with interim notes, resolved with an
outcome; escalated when not acknowledged in time), and an action's named practitioner who is
not a user

Concerns already answered become resolved with the outcome "other": the answer they were
given is kept as the response, and they count as acknowledged when they were answered.

Revision ID: 0010_safeguarding_workflow
Revises: 0009_safer_rota
"""

import sqlalchemy as sa
from alembic import op

import qa_audit.core.db

# revision identifiers, used by Alembic.
revision = "0010_safeguarding_workflow"
down_revision = "0009_safer_rota"
branch_labels = None
depends_on = None

STATUSES = "'raised', 'acknowledged', 'resolved'"
OUTCOMES = (
    "'referred', 'strategy_discussion', 'plan_updated', 'management_direction', "
    "'already_known', 'not_a_concern', 'other'"
)
PRACTITIONERS = (
    "'social_worker', 'team_manager', 'reviewing_officer', 'child_protection_chair', "
    "'personal_adviser', 'other'"
)
ANSWERED_BEFORE = "Answered before outcomes were recorded"


def upgrade():
    utc = qa_audit.core.db.UTCDateTime(timezone=True)
    with op.batch_alter_table("safeguarding_concern", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_at", utc, nullable=True))
        batch_op.add_column(sa.Column("acknowledged_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("escalated_at", utc, nullable=True))
        batch_op.add_column(sa.Column("outcome", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("outcome_detail", sa.Text(), nullable=True))
    concern = sa.table(
        "safeguarding_concern",
        sa.column("status", sa.String),
        sa.column("responded_at", utc),
        sa.column("responded_by_id", sa.Integer),
        sa.column("acknowledged_at", utc),
        sa.column("acknowledged_by_id", sa.Integer),
        sa.column("outcome", sa.String),
        sa.column("outcome_detail", sa.Text),
    )
    op.execute(
        concern.update()
        .where(concern.c.responded_at.is_not(None))
        .values(
            status="resolved",
            acknowledged_at=concern.c.responded_at,
            acknowledged_by_id=concern.c.responded_by_id,
            outcome="other",
            outcome_detail=ANSWERED_BEFORE,
        )
    )
    op.execute(concern.update().where(concern.c.status.is_(None)).values(status="raised"))
    with op.batch_alter_table("safeguarding_concern", schema=None) as batch_op:
        batch_op.alter_column("status", existing_type=sa.String(length=20), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_safeguarding_concern_acknowledged_by_id_user_account"),
            "user_account",
            ["acknowledged_by_id"],
            ["id"],
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_safeguarding_concern_status_known"), f"status IN ({STATUSES})"
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_safeguarding_concern_outcome_known"),
            f"outcome IS NULL OR outcome IN ({OUTCOMES})",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_safeguarding_concern_acknowledged_has_time"),
            "status = 'raised' OR acknowledged_at IS NOT NULL",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_safeguarding_concern_resolved_has_outcome"),
            "status != 'resolved' OR (responded_at IS NOT NULL AND outcome IS NOT NULL)",
        )
        batch_op.create_index(
            batch_op.f("ix_safeguarding_concern_waiting"),
            ["status", "escalated_at"],
            unique=False,
        )

    op.create_table(
        "safeguarding_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concern_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("written_at", utc, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("updated_at", utc, nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_safeguarding_note_author_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["concern_id"],
            ["safeguarding_concern.id"],
            name=op.f("fk_safeguarding_note_concern_id_safeguarding_concern"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safeguarding_note")),
    )
    with op.batch_alter_table("safeguarding_note", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safeguarding_note_concern_id"), ["concern_id"], unique=False
        )

    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("practitioner_role", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("practitioner_name", sa.String(length=120), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f("ck_action_practitioner_role_known"),
            f"practitioner_role IS NULL OR practitioner_role IN ({PRACTITIONERS})",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_action_practitioner_has_role"),
            "practitioner_name IS NULL OR practitioner_role IS NOT NULL",
        )


def downgrade():
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_action_practitioner_has_role"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_action_practitioner_role_known"), type_="check")
        batch_op.drop_column("practitioner_name")
        batch_op.drop_column("practitioner_role")

    with op.batch_alter_table("safeguarding_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safeguarding_note_concern_id"))
    op.drop_table("safeguarding_note")

    with op.batch_alter_table("safeguarding_concern", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safeguarding_concern_waiting"))
        for name in ("resolved_has_outcome", "acknowledged_has_time", "outcome_known"):
            batch_op.drop_constraint(batch_op.f(f"ck_safeguarding_concern_{name}"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_safeguarding_concern_status_known"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_safeguarding_concern_acknowledged_by_id_user_account"),
            type_="foreignkey",
        )
        batch_op.drop_column("outcome_detail")
        batch_op.drop_column("outcome")
        batch_op.drop_column("escalated_at")
        batch_op.drop_column("acknowledged_by_id")
        batch_op.drop_column("acknowledged_at")
        batch_op.drop_column("status")
