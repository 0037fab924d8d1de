"""report indexes: covering indexes for the report's feedback, actions, reflective
conversations and rota

Found by `make bench` (docs/benchmark.md): each of these parts of the period report reads the
rows of the period's audits (or the period's rota allocations) for two or three columns. With
only an index on audit_id, PostgreSQL judged a look-up of each row dearer than reading the
whole table, and read all 800,000 actions and 108,000 reflective conversations of the
1,000,000-audit database for a one-month report (60-150 ms). With these, every step is an
index-only read whose cost follows the audits of the period.

Revision ID: 0006_report_indexes
Revises: 0005_data_version
Create Date: 2026-11-23 04:05:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0006_report_indexes"
down_revision = "0005_data_version"
branch_labels = None
depends_on = None

INDEXES = (
    ("action", "ix_action_report", ["audit_id", "status", "due_on"]),
    (
        "feedback_conversation",
        "ix_feedback_conversation_report",
        ["audit_id", "who", "tone", "consent_to_quote"],
    ),
    (
        "reflective_conversation",
        "ix_reflective_conversation_report",
        ["audit_id", "status", "due_on"],
    ),
    (
        "allocation",
        "ix_allocation_report",
        ["month", "service_area_id", "team_id", "auditor_id", "status"],
    ),
)


def upgrade():
    for table, name, columns in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, columns, unique=False)


def downgrade():
    for table, name, _ in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
