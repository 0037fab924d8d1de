"""committee report: where its direction of travel starts

Existing reports keep the twelve months to their last month (NULL).

Revision ID: 0015_committee_report_trend
Revises: 0014_account_lifecycle
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015_committee_report_trend"
down_revision = "0014_account_lifecycle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("committee_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("trend_from", sa.String(length=7), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("committee_report", schema=None) as batch_op:
        batch_op.drop_column("trend_from")
