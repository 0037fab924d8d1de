"""tamper-evident logs and import attribution

Revision ID: 0004_log_chain
Revises: 0003_sessions
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import qa_audit.core.db  # noqa: F401

# revision identifiers, used by Alembic.
revision = "0004_log_chain"
down_revision = "0003_sessions"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
