"""data version: one number that every transaction changing records moves on (data_version)

What is worked out from the records (the period report, its charts) is reused until the
number moves: qa_audit/core/data_version.py, qa_audit/reports/cache.py.

Revision ID: 0005_data_version
Revises: 0004_bench_indexes
Create Date: 2026-11-23 04:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005_data_version"
down_revision = "0004_bench_indexes"
branch_labels = None
depends_on = None


def upgrade():
    data_version = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_data_version_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.bulk_insert(data_version, [{"id": 1, "n": 1}])


def downgrade():
    op.drop_table("data_version")
