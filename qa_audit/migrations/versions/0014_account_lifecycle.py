"""account lifecycle: dormant accounts and SCIM provisioning

Revision ID: 0014_account_lifecycle
Revises: 0013_single_sign_on
"""

import sqlalchemy as sa
from alembic import op

import qa_audit.core.db

# revision identifiers, used by Alembic.
revision = "0014_account_lifecycle"
down_revision = "0013_single_sign_on"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Dormant accounts need nothing new: user_account.last_sign_in_at and created_at.
    op.create_table(
        "scim_identity",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=255), nullable=True),
        sa.Column("created_by_scim", sa.Boolean(), nullable=False),
        sa.Column("provisioned_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_scim_identity_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_scim_identity")),
    )
    with op.batch_alter_table("scim_identity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scim_identity_external_id"), ["external_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("scim_identity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scim_identity_external_id"))
    op.drop_table("scim_identity")
