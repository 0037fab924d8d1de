"""calibration rounds: a case graded independently by a group, with reference grades and discussion notes

Revision ID: 0012_calibration_rounds
Revises: 0011_blind_moderation
"""

# revision identifiers, used by Alembic.
revision = "0012_calibration_rounds"
down_revision = "0011_blind_moderation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
