"""single sign-on: accounts linked to the council's identity provider, and its group-to-role mapping

Revision ID: 0013_single_sign_on
Revises: 0012_calibration_rounds
"""

# revision identifiers, used by Alembic.
revision = "0013_single_sign_on"
down_revision = "0012_calibration_rounds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
