"""blind moderation (the moderator's grades before the auditor's are shown) and the audit-quality checklist

Revision ID: 0011_blind_moderation
Revises: 0010_safeguarding_workflow
"""

# revision identifiers, used by Alembic.
revision = "0011_blind_moderation"
down_revision = "0010_safeguarding_workflow"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
