"""single sign-on: accounts linked to the council's identity provider, and its group-to-role mapping

Revision ID: 0013_single_sign_on
Revises: 0012_calibration_rounds
"""

import sqlalchemy as sa
from alembic import op

import qa_audit.core.db

# revision identifiers, used by Alembic.
revision = "0013_single_sign_on"
down_revision = "0012_calibration_rounds"
branch_labels = None
depends_on = None

ROLES = "'auditor', 'moderator', 'service_manager', 'qa_lead', 'viewer', 'admin'"


def upgrade() -> None:
    op.create_table(
        "single_sign_on_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("linked_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_single_sign_on_link_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_single_sign_on_link")),
        sa.UniqueConstraint("issuer", "subject", name="uq_single_sign_on_link_subject"),
    )
    with op.batch_alter_table("single_sign_on_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_single_sign_on_link_user_id"), ["user_id"], unique=False
        )
    op.create_table(
        "single_sign_on_group_role",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("service_area_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            f"role IN ({ROLES})", name=op.f("ck_single_sign_on_group_role_role_known")
        ),
        sa.ForeignKeyConstraint(
            ["service_area_id"],
            ["service_area.id"],
            name=op.f("fk_single_sign_on_group_role_service_area_id_service_area"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_single_sign_on_group_role_team_id_team")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_single_sign_on_group_role")),
        sa.UniqueConstraint("group_id", "role", name="uq_single_sign_on_group_role_group"),
    )


def downgrade() -> None:
    op.drop_table("single_sign_on_group_role")
    with op.batch_alter_table("single_sign_on_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_single_sign_on_link_user_id"))
    op.drop_table("single_sign_on_link")
