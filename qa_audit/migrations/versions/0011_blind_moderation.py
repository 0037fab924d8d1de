"""blind moderation (the moderator's grades before the auditor's are shown) and the audit-quality checklist

Existing moderations are not blind; the sampling rules start with blind moderation off for
every grade. Each tool's checklist is filled in when the tools are next loaded.

Revision ID: 0011_blind_moderation
Revises: 0010_safeguarding_workflow
"""

import sqlalchemy as sa
from alembic import op

import qa_audit.core.db

# revision identifiers, used by Alembic.
revision = "0011_blind_moderation"
down_revision = "0010_safeguarding_workflow"
branch_labels = None
depends_on = None

GRADES = "'outstanding', 'good', 'requires_improvement', 'inadequate', 'not_applicable'"
SETTINGS_FLAGS = (
    "blind_outstanding",
    "blind_good",
    "blind_requires_improvement",
    "blind_inadequate",
)


def upgrade():
    utc = qa_audit.core.db.UTCDateTime(timezone=True)
    with op.batch_alter_table("moderation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("blind", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("blind_overall_grade", sa.String(length=30), nullable=True))
        batch_op.add_column(
            sa.Column("blind_overall_rationale", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("blind_graded_at", utc, nullable=True))
        batch_op.create_check_constraint(
            batch_op.f("ck_moderation_blind_overall_known"),
            f"blind_overall_grade IS NULL OR blind_overall_grade IN ({GRADES})",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_moderation_blind_graded_before_completed"),
            "status != 'completed' OR blind = false OR blind_overall_grade IS NOT NULL",
        )
    with op.batch_alter_table("moderation_grade", schema=None) as batch_op:
        batch_op.add_column(sa.Column("blind_grade", sa.String(length=30), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f("ck_moderation_grade_blind_grade_known"),
            f"blind_grade IS NULL OR blind_grade IN ({GRADES})",
        )
    with op.batch_alter_table("moderation_sampling_settings", schema=None) as batch_op:
        for flag in SETTINGS_FLAGS:
            batch_op.add_column(
                sa.Column(flag, sa.Boolean(), nullable=False, server_default=sa.false())
            )
    with op.batch_alter_table("audit_tool", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quality_checklist", sa.JSON(), nullable=True))

    op.create_table(
        "audit_quality_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("moderation_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=80), nullable=False),
        sa.Column("item_text", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("rating", sa.String(length=10), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "rating IN ('yes', 'partly', 'no')", name=op.f("ck_audit_quality_rating_rating_known")
        ),
        sa.ForeignKeyConstraint(
            ["moderation_id"],
            ["moderation.id"],
            name=op.f("fk_audit_quality_rating_moderation_id_moderation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_quality_rating")),
        sa.UniqueConstraint("moderation_id", "item_key", name="moderation_item"),
    )
    with op.batch_alter_table("audit_quality_rating", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_quality_rating_moderation_id"), ["moderation_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("audit_quality_rating", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_quality_rating_moderation_id"))
    op.drop_table("audit_quality_rating")
    with op.batch_alter_table("audit_tool", schema=None) as batch_op:
        batch_op.drop_column("quality_checklist")
    with op.batch_alter_table("moderation_sampling_settings", schema=None) as batch_op:
        for flag in reversed(SETTINGS_FLAGS):
            batch_op.drop_column(flag)
    with op.batch_alter_table("moderation_grade", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_moderation_grade_blind_grade_known"), type_="check")
        batch_op.drop_column("blind_grade")
    with op.batch_alter_table("moderation", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_moderation_blind_graded_before_completed"), type_="check"
        )
        batch_op.drop_constraint(batch_op.f("ck_moderation_blind_overall_known"), type_="check")
        batch_op.drop_column("blind_graded_at")
        batch_op.drop_column("blind_overall_rationale")
        batch_op.drop_column("blind_overall_grade")
        batch_op.drop_column("blind")
