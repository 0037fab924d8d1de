"""retention schedule: when an audit or a dip sample was anonymised

Revision ID: 0005_retention
Revises: 0004_log_chain
"""

import sqlalchemy as sa
from alembic import op

import qa_audit.core.db

# revision identifiers, used by Alembic.
revision = "0005_retention"
down_revision = "0004_log_chain"
branch_labels = None
depends_on = None

ANONYMISED = ("audit", "dip_sample")


def upgrade():
    for table in ANONYMISED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "anonymised_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=True
                )
            )


def downgrade():
    # A plain DROP COLUMN (SQLite 3.35 and later, PostgreSQL): a batch rebuild of 'audit' is
    # refused once other tables' foreign keys point at its rows, which broke rollback.
    for table in reversed(ANONYMISED):
        op.drop_column(table, "anonymised_at")
