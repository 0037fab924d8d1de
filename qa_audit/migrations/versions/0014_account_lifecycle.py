"""account lifecycle: dormant accounts and SCIM provisioning

Revision ID: 0014_account_lifecycle
Revises: 0013_single_sign_on
"""

# revision identifiers, used by Alembic.
revision = "0014_account_lifecycle"
down_revision = "0013_single_sign_on"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
