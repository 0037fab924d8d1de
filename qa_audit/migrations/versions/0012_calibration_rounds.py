"""calibration rounds: a case graded independently by a group, with reference grades and discussion notes

Revision ID: 0012_calibration_rounds
Revises: 0011_blind_moderation
"""

import sqlalchemy as sa
from alembic import op

import qa_audit.core.db

# revision identifiers, used by Alembic.
revision = "0012_calibration_rounds"
down_revision = "0011_blind_moderation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calibration_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=True),
        sa.Column("case_ref", sa.String(length=30), nullable=True),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("tool_id", sa.Integer(), nullable=False),
        sa.Column("domain_keys", sa.JSON(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("closed_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("discussion_notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status != 'closed' OR (closed_at IS NOT NULL AND closed_by_id IS NOT NULL)",
            name=op.f("ck_calibration_round_closed_has_who"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'closed')", name=op.f("ck_calibration_round_status_known")
        ),
        sa.CheckConstraint(
            "(audit_id IS NOT NULL AND case_ref IS NULL) OR (audit_id IS NULL AND case_ref IS NOT NULL)",
            name=op.f("ck_calibration_round_an_audit_or_a_case"),
        ),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["audit.id"], name=op.f("fk_calibration_round_audit_id_audit")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["user_account.id"],
            name=op.f("fk_calibration_round_closed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_calibration_round_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["tool_id"], ["audit_tool.id"], name=op.f("fk_calibration_round_tool_id_audit_tool")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_round")),
    )
    with op.batch_alter_table("calibration_round", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calibration_round_audit_id"), ["audit_id"], unique=False
        )
        batch_op.create_index(
            "ix_calibration_round_status_deadline", ["status", "deadline"], unique=False
        )

    op.create_table(
        "calibration_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("submitted_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["user_account.id"],
            name=op.f("fk_calibration_invitation_person_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["calibration_round.id"],
            name=op.f("fk_calibration_invitation_round_id_calibration_round"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_invitation")),
        sa.UniqueConstraint("round_id", "person_id", name="calibration_invitation_person"),
    )
    with op.batch_alter_table("calibration_invitation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calibration_invitation_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_calibration_invitation_round_id"), ["round_id"], unique=False
        )

    op.create_table(
        "calibration_reference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("domain_key", sa.String(length=80), nullable=False),
        sa.Column("grade", sa.String(length=30), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "grade IN ('outstanding', 'good', 'requires_improvement', 'inadequate', 'not_applicable')",
            name=op.f("ck_calibration_reference_grade_known"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["calibration_round.id"],
            name=op.f("fk_calibration_reference_round_id_calibration_round"),
        ),
        sa.ForeignKeyConstraint(
            ["set_by_id"],
            ["user_account.id"],
            name=op.f("fk_calibration_reference_set_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_reference")),
        sa.UniqueConstraint("round_id", "domain_key", name="calibration_reference_domain"),
    )
    with op.batch_alter_table("calibration_reference", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calibration_reference_round_id"), ["round_id"], unique=False
        )

    op.create_table(
        "calibration_grade",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("domain_key", sa.String(length=80), nullable=False),
        sa.Column("grade", sa.String(length=30), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "grade IN ('outstanding', 'good', 'requires_improvement', 'inadequate', 'not_applicable')",
            name=op.f("ck_calibration_grade_grade_known"),
        ),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["calibration_invitation.id"],
            name=op.f("fk_calibration_grade_invitation_id_calibration_invitation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_grade")),
        sa.UniqueConstraint("invitation_id", "domain_key", name="calibration_grade_domain"),
    )
    with op.batch_alter_table("calibration_grade", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calibration_grade_invitation_id"), ["invitation_id"], unique=False
        )


def downgrade():
    # Children first: grades point at invitations, invitations and references at rounds.
    op.drop_table("calibration_grade")
    op.drop_table("calibration_reference")
    op.drop_table("calibration_invitation")
    op.drop_table("calibration_round")
