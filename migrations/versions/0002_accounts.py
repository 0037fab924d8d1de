"""accounts: forced password change, API token expiry

Revision ID: 0002_accounts
Revises: 0001_initial
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import qa_audit.core.db  # noqa: F401

# revision identifiers, used by Alembic.
revision = "0002_accounts"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
