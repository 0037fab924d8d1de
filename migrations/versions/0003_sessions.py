"""server-side sign-in sessions

Revision ID: 0003_sessions
Revises: 0002_accounts
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import qa_audit.core.db  # noqa: F401

# revision identifiers, used by Alembic.
revision = "0003_sessions"
down_revision = "0002_accounts"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
