"""safer rota: the bulk allotment an allocation came from, the reason for a due date past the
month's window, and why a dip sample's missing cases could not be reviewed

Revision ID: 0009_safer_rota
Revises: 0008_closing_the_loop_decisions
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009_safer_rota"
down_revision = "0008_closing_the_loop_decisions"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("batch_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("due_on_reason", sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f("ix_allocation_batch_id"), ["batch_id"], unique=False)
    with op.batch_alter_table("dip_sample", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cases_not_reviewed_reason", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("dip_sample", schema=None) as batch_op:
        batch_op.drop_column("cases_not_reviewed_reason")
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allocation_batch_id"))
        batch_op.drop_column("due_on_reason")
        batch_op.drop_column("batch_id")
