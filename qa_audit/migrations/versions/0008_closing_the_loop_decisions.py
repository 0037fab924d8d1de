"""closing-the-loop decisions: a prompt scheduled on the rota or dismissed with a reason

Revision ID: 0008_closing_the_loop_decisions
Revises: 0007_evidence_search
"""

import sqlalchemy as sa
from alembic import op

import qa_audit.core.db

# revision identifiers, used by Alembic.
revision = "0008_closing_the_loop_decisions"
down_revision = "0007_evidence_search"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "closing_the_loop_decision",
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("allocation_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(decision != 'dismissed') OR (reason IS NOT NULL)",
            name=op.f("ck_closing_the_loop_decision_dismissal_explained"),
        ),
        sa.CheckConstraint(
            "(decision != 'scheduled') OR (allocation_id IS NOT NULL)",
            name=op.f("ck_closing_the_loop_decision_schedule_allotted"),
        ),
        sa.CheckConstraint(
            "decision IN ('scheduled', 'dismissed')",
            name=op.f("ck_closing_the_loop_decision_decision_known"),
        ),
        sa.ForeignKeyConstraint(
            ["allocation_id"],
            ["allocation.id"],
            name=op.f("fk_closing_the_loop_decision_allocation_id_allocation"),
        ),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["audit.id"], name=op.f("fk_closing_the_loop_decision_audit_id_audit")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_closing_the_loop_decision_decided_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("audit_id", name=op.f("pk_closing_the_loop_decision")),
    )


def downgrade():
    op.drop_table("closing_the_loop_decision")
