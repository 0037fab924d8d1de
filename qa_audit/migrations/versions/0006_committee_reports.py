"""committee reports: drafts, quotes, images, featured dip samples and finals

Revision ID: 0006_committee_reports
Revises: 0005_retention
"""

import sqlalchemy as sa
from alembic import op

import qa_audit.core.db

# revision identifiers, used by Alembic.
revision = "0006_committee_reports"
down_revision = "0005_retention"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "committee_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("period_from", sa.String(length=7), nullable=False),
        sa.Column("period_to", sa.String(length=7), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("introduction", sa.Text(), nullable=False),
        sa.Column("feedback_narrative", sa.Text(), nullable=False),
        sa.Column("shareable_with_viewers", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("finalised_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finalised_by_id", sa.Integer(), nullable=True),
        sa.Column("snapshot", sa.JSON(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(status != 'final') OR (snapshot IS NOT NULL AND finalised_at IS NOT NULL)",
            name=op.f("ck_committee_report_final_has_snapshot"),
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'final')", name=op.f("ck_committee_report_status_known")
        ),
        sa.CheckConstraint(
            "period_from <= period_to", name=op.f("ck_committee_report_period_in_order")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_committee_report_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["finalised_by_id"],
            ["user_account.id"],
            name=op.f("fk_committee_report_finalised_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_report")),
    )
    with op.batch_alter_table("committee_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_committee_report_status"), ["status"], unique=False)

    op.create_table(
        "committee_report_dip_sample",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("dip_sample_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dip_sample_id"],
            ["dip_sample.id"],
            name=op.f("fk_committee_report_dip_sample_dip_sample_id_dip_sample"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["committee_report.id"],
            name=op.f("fk_committee_report_dip_sample_report_id_committee_report"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_report_dip_sample")),
        sa.UniqueConstraint(
            "report_id", "dip_sample_id", name=op.f("uq_committee_report_dip_sample_report_id")
        ),
    )
    with op.batch_alter_table("committee_report_dip_sample", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_report_dip_sample_dip_sample_id"),
            ["dip_sample_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_committee_report_dip_sample_report_id"), ["report_id"], unique=False
        )

    op.create_table(
        "committee_report_image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("media_type", sa.String(length=20), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("alt_text", sa.Text(), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("consent_note", sa.String(length=300), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "media_type IN ('image/png', 'image/jpeg')",
            name=op.f("ck_committee_report_image_media_type_known"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["committee_report.id"],
            name=op.f("fk_committee_report_image_report_id_committee_report"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user_account.id"],
            name=op.f("fk_committee_report_image_uploaded_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_report_image")),
    )
    with op.batch_alter_table("committee_report_image", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_report_image_report_id"), ["report_id"], unique=False
        )

    op.create_table(
        "committee_report_principle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("domain_key", sa.String(length=80), nullable=False),
        sa.Column("what_we_know", sa.Text(), nullable=False),
        sa.Column("impact", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["committee_report.id"],
            name=op.f("fk_committee_report_principle_report_id_committee_report"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_report_principle")),
        sa.UniqueConstraint(
            "report_id", "domain_key", name=op.f("uq_committee_report_principle_report_id")
        ),
    )
    with op.batch_alter_table("committee_report_principle", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_report_principle_report_id"), ["report_id"], unique=False
        )

    op.create_table(
        "committee_report_quote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("feedback_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("who", sa.String(length=30), nullable=False),
        sa.Column("tone", sa.String(length=15), nullable=False),
        sa.Column("said", sa.Text(), nullable=False),
        sa.Column("said_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["feedback_conversation.id"],
            name=op.f("fk_committee_report_quote_feedback_id_feedback_conversation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["committee_report.id"],
            name=op.f("fk_committee_report_quote_report_id_committee_report"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_report_quote")),
        sa.UniqueConstraint(
            "report_id", "said_key", name=op.f("uq_committee_report_quote_report_id")
        ),
    )
    with op.batch_alter_table("committee_report_quote", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_report_quote_feedback_id"), ["feedback_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_committee_report_quote_report_id"), ["report_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("committee_report_quote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_report_quote_report_id"))
        batch_op.drop_index(batch_op.f("ix_committee_report_quote_feedback_id"))

    op.drop_table("committee_report_quote")
    with op.batch_alter_table("committee_report_principle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_report_principle_report_id"))

    op.drop_table("committee_report_principle")
    with op.batch_alter_table("committee_report_image", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_report_image_report_id"))

    op.drop_table("committee_report_image")
    with op.batch_alter_table("committee_report_dip_sample", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_report_dip_sample_report_id"))
        batch_op.drop_index(batch_op.f("ix_committee_report_dip_sample_dip_sample_id"))

    op.drop_table("committee_report_dip_sample")
    with op.batch_alter_table("committee_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_report_status"))

    op.drop_table("committee_report")
