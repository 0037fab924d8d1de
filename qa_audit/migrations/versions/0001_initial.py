"""initial schema: every table, constraint and index the models declare, and the two
single-row tables' rows (the data version, the moderation sampling settings)

The covering indexes named ``ix_*_report`` and ``ix_audit_submitted_on_id`` were found by the
benchmark (docs/benchmark.md): with them the period report and the All audits list read the
rows of the period from the index alone on PostgreSQL.

Revision ID: 0001_initial
Revises:
Create Date: 2026-12-03 11:19:17

"""

import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import qa_audit.core.db

# revision identifiers, used by Alembic.
revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_tool",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("launched_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("overall_title", sa.String(length=200), nullable=False),
        sa.Column("overall_guidance", sa.JSON(), nullable=False),
        sa.Column("overall_descriptors", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_tool")),
        sa.UniqueConstraint("key", name=op.f("uq_audit_tool_key")),
    )
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_data_version_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.create_table(
        "learning_theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_theme")),
        sa.UniqueConstraint("name", name=op.f("uq_learning_theme_name")),
    )
    op.create_table(
        "service_area",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_area")),
        sa.UniqueConstraint("key", name=op.f("uq_service_area_key")),
        sa.UniqueConstraint("name", name=op.f("uq_service_area_name")),
    )
    op.create_table(
        "audit_tool_domain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tool_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("allows_na", sa.Boolean(), nullable=False),
        sa.Column("guidance", sa.JSON(), nullable=False),
        sa.Column("descriptors", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tool_id"], ["audit_tool.id"], name=op.f("fk_audit_tool_domain_tool_id_audit_tool")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_tool_domain")),
        sa.UniqueConstraint("tool_id", "key", name="tool_key"),
    )
    with op.batch_alter_table("audit_tool_domain", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_tool_domain_tool_id"), ["tool_id"], unique=False)

    op.create_table(
        "team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_area_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_area_id"],
            ["service_area.id"],
            name=op.f("fk_team_service_area_id_service_area"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team")),
        sa.UniqueConstraint("service_area_id", "name", name="service_area_name"),
    )
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_team_service_area_id"), ["service_area_id"], unique=False
        )

    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("session_token", sa.String(length=64), nullable=False),
        sa.Column("service_area_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False),
        sa.Column("locked_until", qa_audit.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_sign_in_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_area_id"],
            ["service_area.id"],
            name=op.f("fk_user_account_service_area_id_service_area"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_user_account_team_id_team")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
        sa.UniqueConstraint("session_token", name=op.f("uq_user_account_session_token")),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_user_account_service_area_id"), ["service_area_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_user_account_team_id"), ["team_id"], unique=False)

    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity_type", sa.String(length=80), nullable=False),
        sa.Column("entity_id", sa.String(length=80), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=True),
        sa.Column("case_ref", sa.String(length=30), nullable=True),
        sa.Column("path", sa.String(length=500), nullable=True),
        sa.Column("ip_address", sa.String(length=64), nullable=True),
        sa.Column("forwarded_for", sa.String(length=200), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.CheckConstraint(
            "action IN ('viewed', 'listed', 'exported', 'refused')",
            name=op.f("ck_access_log_action_known"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_access_log_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log")),
    )
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_access_log_case_ref"), ["case_ref"], unique=False)
        batch_op.create_index("ix_access_log_entity", ["entity_type", "entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_access_log_reference"), ["reference"], unique=False)
        batch_op.create_index(batch_op.f("ix_access_log_user_id"), ["user_id"], unique=False)

    op.create_table(
        "allocation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("auditor_id", sa.Integer(), nullable=False),
        sa.Column("service_area_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("case_ref", sa.String(length=30), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("completed_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("exemption_reason", sa.Text(), nullable=True),
        sa.Column("exemption_approved_by", sa.String(length=200), nullable=True),
        sa.Column("exemption_approved_by_id", sa.Integer(), nullable=True),
        sa.Column("last_reminded_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(status != 'completed') OR (completed_at IS NOT NULL)",
            name=op.f("ck_allocation_completed_at"),
        ),
        sa.CheckConstraint(
            "(status != 'exempted') OR (exemption_reason IS NOT NULL AND exemption_approved_by IS NOT NULL)",
            name=op.f("ck_allocation_exemption_explained"),
        ),
        sa.CheckConstraint(
            "status IN ('allotted', 'completed', 'exempted')",
            name=op.f("ck_allocation_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["auditor_id"], ["user_account.id"], name=op.f("fk_allocation_auditor_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_allocation_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["exemption_approved_by_id"],
            ["user_account.id"],
            name=op.f("fk_allocation_exemption_approved_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["service_area_id"],
            ["service_area.id"],
            name=op.f("fk_allocation_service_area_id_service_area"),
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_allocation_team_id_team")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation")),
    )
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_allocation_auditor_id"), ["auditor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_allocation_case_ref"), ["case_ref"], unique=False)
        batch_op.create_index("ix_allocation_month_auditor", ["month", "auditor_id"], unique=False)
        batch_op.create_index(
            "ix_allocation_report",
            ["month", "service_area_id", "team_id", "auditor_id", "status"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_allocation_service_area_id"), ["service_area_id"], unique=False
        )
        batch_op.create_index("ix_allocation_status_due", ["status", "due_on"], unique=False)

    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("last_used_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_api_token_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"],
            ["user_account.id"],
            name=op.f("fk_api_token_revoked_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_api_token_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("case_ref", sa.String(length=30), nullable=False),
        sa.Column("service_area_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("auditor_id", sa.Integer(), nullable=False),
        sa.Column("tool_id", sa.Integer(), nullable=False),
        sa.Column("audit_type", sa.String(length=20), nullable=False),
        sa.Column("previous_audit_id", sa.Integer(), nullable=True),
        sa.Column("audit_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("overall_grade", sa.String(length=30), nullable=True),
        sa.Column("overall_rationale", sa.Text(), nullable=False),
        sa.Column("submitted_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("submitted_month", sa.String(length=7), nullable=True),
        sa.Column("returned_reason", sa.Text(), nullable=True),
        sa.Column("allocation_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(status = 'draft') OR (submitted_on IS NOT NULL AND submitted_month IS NOT NULL)",
            name=op.f("ck_audit_submitted_has_date"),
        ),
        sa.CheckConstraint(
            "audit_type IN ('deep_dive', 'closing_the_loop')", name=op.f("ck_audit_type_known")
        ),
        sa.CheckConstraint(
            "overall_grade IS NULL OR overall_grade IN ('outstanding', 'good', 'requires_improvement', 'inadequate', 'not_applicable')",
            name=op.f("ck_audit_overall_known"),
        ),
        sa.CheckConstraint("source IN ('app', 'import')", name=op.f("ck_audit_source_known")),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'returned', 'closed')",
            name=op.f("ck_audit_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["auditor_id"], ["user_account.id"], name=op.f("fk_audit_auditor_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["previous_audit_id"], ["audit.id"], name=op.f("fk_audit_previous_audit_id_audit")
        ),
        sa.ForeignKeyConstraint(
            ["service_area_id"],
            ["service_area.id"],
            name=op.f("fk_audit_service_area_id_service_area"),
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_audit_team_id_team")),
        sa.ForeignKeyConstraint(
            ["tool_id"], ["audit_tool.id"], name=op.f("fk_audit_tool_id_audit_tool")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit")),
        sa.UniqueConstraint("reference", name=op.f("uq_audit_reference")),
    )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_allocation_id"), ["allocation_id"], unique=False)
        batch_op.create_index("ix_audit_auditor_status", ["auditor_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_case_ref"), ["case_ref"], unique=False)
        batch_op.create_index(
            "ix_audit_month_area", ["submitted_month", "service_area_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_previous_audit_id"), ["previous_audit_id"], unique=False
        )
        batch_op.create_index(
            "ix_audit_report", ["submitted_month", "status", "overall_grade", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_service_area_id"), ["service_area_id"], unique=False
        )
        batch_op.create_index("ix_audit_submitted_on_id", ["submitted_on", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_team_id"), ["team_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_tool_id"), ["tool_id"], unique=False)

    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=80), nullable=False),
        sa.Column("entity_type", sa.String(length=80), nullable=False),
        sa.Column("entity_id", sa.String(length=80), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_change_log_actor_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_log_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_change_log_at"), ["at"], unique=False)
        batch_op.create_index("ix_change_log_entity", ["entity_type", "entity_id"], unique=False)

    op.create_table(
        "dip_sample",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("period_from", sa.String(length=7), nullable=False),
        sa.Column("period_to", sa.String(length=7), nullable=False),
        sa.Column("sample_unit", sa.String(length=20), nullable=False),
        sa.Column("sample_size", sa.Integer(), nullable=False),
        sa.Column("strengths", sa.Text(), nullable=False),
        sa.Column("areas_for_development", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(status != 'completed') OR (completed_on IS NOT NULL)",
            name=op.f("ck_dip_sample_completed_has_date"),
        ),
        sa.CheckConstraint(
            "sample_unit IN ('children', 'young_people', 'families')",
            name=op.f("ck_dip_sample_unit_known"),
        ),
        sa.CheckConstraint(
            "status IN ('in_progress', 'completed')", name=op.f("ck_dip_sample_status_known")
        ),
        sa.CheckConstraint("period_from <= period_to", name=op.f("ck_dip_sample_period_in_order")),
        sa.CheckConstraint("sample_size > 0", name=op.f("ck_dip_sample_sample_size_positive")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_dip_sample_created_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dip_sample")),
    )
    with op.batch_alter_table("dip_sample", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dip_sample_completed_on"), ["completed_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_dip_sample_status"), ["status"], unique=False)

    op.create_table(
        "moderation_sampling_settings",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("rate_outstanding", sa.Float(), nullable=False),
        sa.Column("rate_good", sa.Float(), nullable=False),
        sa.Column("rate_requires_improvement", sa.Float(), nullable=False),
        sa.Column("inadequate_deadline_days", sa.Integer(), nullable=False),
        sa.Column("normal_deadline_days", sa.Integer(), nullable=False),
        sa.Column("reflective_deadline_days", sa.Integer(), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_moderation_sampling_settings_single_row")),
        sa.CheckConstraint(
            "inadequate_deadline_days >= 1 AND normal_deadline_days >= 1 AND reflective_deadline_days >= 1",
            name=op.f("ck_moderation_sampling_settings_deadlines_positive"),
        ),
        sa.CheckConstraint(
            "rate_outstanding >= 0 AND rate_outstanding <= 1 AND rate_good >= 0 AND rate_good <= 1 AND rate_requires_improvement >= 0 AND rate_requires_improvement <= 1",
            name=op.f("ck_moderation_sampling_settings_rates_between_0_and_1"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_moderation_sampling_settings_updated_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_sampling_settings")),
    )
    op.create_table(
        "user_role",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.CheckConstraint(
            "role IN ('auditor', 'moderator', 'service_manager', 'qa_lead', 'viewer', 'admin')",
            name=op.f("ck_user_role_role_known"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_user_role_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("user_id", "role", name=op.f("pk_user_role")),
    )
    op.create_table(
        "audit_domain_grade",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("tool_domain_id", sa.Integer(), nullable=False),
        sa.Column("domain_key", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=30), nullable=True),
        sa.Column("working_well", sa.Text(), nullable=False),
        sa.Column("needs_improvement", sa.Text(), nullable=False),
        sa.Column("impact", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "grade IS NULL OR grade IN ('outstanding', 'good', 'requires_improvement', 'inadequate', 'not_applicable')",
            name=op.f("ck_audit_domain_grade_grade_known"),
        ),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["audit.id"], name=op.f("fk_audit_domain_grade_audit_id_audit")
        ),
        sa.ForeignKeyConstraint(
            ["tool_domain_id"],
            ["audit_tool_domain.id"],
            name=op.f("fk_audit_domain_grade_tool_domain_id_audit_tool_domain"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_domain_grade")),
        sa.UniqueConstraint("audit_id", "domain_key", name="audit_domain"),
    )
    with op.batch_alter_table("audit_domain_grade", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_domain_grade_audit_id"), ["audit_id"], unique=False
        )
        batch_op.create_index(
            "ix_audit_domain_grade_key_grade", ["domain_key", "grade"], unique=False
        )
        batch_op.create_index(
            "ix_audit_domain_grade_report", ["audit_id", "domain_key", "grade"], unique=False
        )

    op.create_table(
        "audit_learning_theme",
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("learning_theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["audit.id"], name=op.f("fk_audit_learning_theme_audit_id_audit")
        ),
        sa.ForeignKeyConstraint(
            ["learning_theme_id"],
            ["learning_theme.id"],
            name=op.f("fk_audit_learning_theme_learning_theme_id_learning_theme"),
        ),
        sa.PrimaryKeyConstraint(
            "audit_id", "learning_theme_id", name=op.f("pk_audit_learning_theme")
        ),
    )
    with op.batch_alter_table("audit_learning_theme", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_learning_theme_learning_theme_id"),
            ["learning_theme_id"],
            unique=False,
        )

    op.create_table(
        "dip_sample_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dip_sample_id", sa.Integer(), nullable=False),
        sa.Column("case_ref", sa.String(length=30), nullable=False),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dip_sample_id"],
            ["dip_sample.id"],
            name=op.f("fk_dip_sample_case_dip_sample_id_dip_sample"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dip_sample_case")),
        sa.UniqueConstraint("dip_sample_id", "case_ref", name="dip_sample_case_ref"),
    )
    with op.batch_alter_table("dip_sample_case", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dip_sample_case_dip_sample_id"), ["dip_sample_id"], unique=False
        )

    op.create_table(
        "dip_sample_lead_auditor",
        sa.Column("dip_sample_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dip_sample_id"],
            ["dip_sample.id"],
            name=op.f("fk_dip_sample_lead_auditor_dip_sample_id_dip_sample"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_dip_sample_lead_auditor_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint(
            "dip_sample_id", "user_id", name=op.f("pk_dip_sample_lead_auditor")
        ),
    )
    with op.batch_alter_table("dip_sample_lead_auditor", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dip_sample_lead_auditor_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "dip_sample_learning_theme",
        sa.Column("dip_sample_id", sa.Integer(), nullable=False),
        sa.Column("learning_theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dip_sample_id"],
            ["dip_sample.id"],
            name=op.f("fk_dip_sample_learning_theme_dip_sample_id_dip_sample"),
        ),
        sa.ForeignKeyConstraint(
            ["learning_theme_id"],
            ["learning_theme.id"],
            name=op.f("fk_dip_sample_learning_theme_learning_theme_id_learning_theme"),
        ),
        sa.PrimaryKeyConstraint(
            "dip_sample_id", "learning_theme_id", name=op.f("pk_dip_sample_learning_theme")
        ),
    )
    with op.batch_alter_table("dip_sample_learning_theme", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dip_sample_learning_theme_learning_theme_id"),
            ["learning_theme_id"],
            unique=False,
        )

    op.create_table(
        "dip_sample_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dip_sample_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dip_sample_id"],
            ["dip_sample.id"],
            name=op.f("fk_dip_sample_question_dip_sample_id_dip_sample"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dip_sample_question")),
    )
    with op.batch_alter_table("dip_sample_question", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dip_sample_question_dip_sample_id"), ["dip_sample_id"], unique=False
        )

    op.create_table(
        "dip_sample_service_area",
        sa.Column("dip_sample_id", sa.Integer(), nullable=False),
        sa.Column("service_area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dip_sample_id"],
            ["dip_sample.id"],
            name=op.f("fk_dip_sample_service_area_dip_sample_id_dip_sample"),
        ),
        sa.ForeignKeyConstraint(
            ["service_area_id"],
            ["service_area.id"],
            name=op.f("fk_dip_sample_service_area_service_area_id_service_area"),
        ),
        sa.PrimaryKeyConstraint(
            "dip_sample_id", "service_area_id", name=op.f("pk_dip_sample_service_area")
        ),
    )
    with op.batch_alter_table("dip_sample_service_area", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dip_sample_service_area_service_area_id"),
            ["service_area_id"],
            unique=False,
        )

    op.create_table(
        "feedback_conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("who", sa.String(length=30), nullable=False),
        sa.Column("how", sa.String(length=10), nullable=False),
        sa.Column("said", sa.Text(), nullable=False),
        sa.Column("tone", sa.String(length=15), nullable=False),
        sa.Column("consent_to_quote", sa.Boolean(), nullable=False),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "how IN ('visit', 'phone', 'other')", name=op.f("ck_feedback_conversation_how_known")
        ),
        sa.CheckConstraint(
            "tone IN ('positive', 'constructive')", name=op.f("ck_feedback_conversation_tone_known")
        ),
        sa.CheckConstraint(
            "who IN ('child', 'care_experienced_adult', 'mother', 'father', 'other_carer', 'foster_carer', 'other')",
            name=op.f("ck_feedback_conversation_who_known"),
        ),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["audit.id"], name=op.f("fk_feedback_conversation_audit_id_audit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_conversation")),
    )
    with op.batch_alter_table("feedback_conversation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_conversation_audit_id"), ["audit_id"], unique=False
        )
        batch_op.create_index(
            "ix_feedback_conversation_report",
            ["audit_id", "who", "tone", "consent_to_quote"],
            unique=False,
        )

    op.create_table(
        "moderation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("selection_reason", sa.Text(), nullable=False),
        sa.Column("selected_by_id", sa.Integer(), nullable=True),
        sa.Column("selected_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("moderator_id", sa.Integer(), nullable=True),
        sa.Column("overall_grade", sa.String(length=30), nullable=True),
        sa.Column("overall_rationale", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("moderated_on", sa.Date(), nullable=True),
        sa.Column("completed_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome IN ('upheld', 'upgraded', 'downgraded')",
            name=op.f("ck_moderation_outcome_known"),
        ),
        sa.CheckConstraint(
            "overall_grade IS NULL OR overall_grade IN ('outstanding', 'good', 'requires_improvement', 'inadequate', 'not_applicable')",
            name=op.f("ck_moderation_overall_known"),
        ),
        sa.CheckConstraint(
            "priority IN ('high', 'normal')", name=op.f("ck_moderation_priority_known")
        ),
        sa.CheckConstraint(
            "status != 'completed' OR (overall_grade IS NOT NULL AND outcome IS NOT NULL AND moderated_on IS NOT NULL AND moderator_id IS NOT NULL)",
            name=op.f("ck_moderation_completed_is_complete"),
        ),
        sa.CheckConstraint(
            "status IN ('selected', 'completed', 'withdrawn')",
            name=op.f("ck_moderation_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["audit.id"], name=op.f("fk_moderation_audit_id_audit")
        ),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["user_account.id"],
            name=op.f("fk_moderation_moderator_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["selected_by_id"],
            ["user_account.id"],
            name=op.f("fk_moderation_selected_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation")),
        sa.UniqueConstraint("audit_id", name=op.f("uq_moderation_audit_id")),
    )
    with op.batch_alter_table("moderation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_moderation_moderator_id"), ["moderator_id"], unique=False
        )
        batch_op.create_index(
            "ix_moderation_report",
            ["audit_id", "status", "id", "overall_grade", "outcome"],
            unique=False,
        )

    op.create_table(
        "moderation_sampling_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("grade", sa.String(length=30), nullable=True),
        sa.Column("rate", sa.Float(), nullable=True),
        sa.Column("draw", sa.Float(), nullable=True),
        sa.Column("selected", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["audit.id"], name=op.f("fk_moderation_sampling_decision_audit_id_audit")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_moderation_sampling_decision_decided_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_sampling_decision")),
    )
    with op.batch_alter_table("moderation_sampling_decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_moderation_sampling_decision_audit_id"), ["audit_id"], unique=False
        )

    op.create_table(
        "practitioner_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("author_role", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "author_role IN ('practitioner', 'manager')",
            name=op.f("ck_practitioner_comment_role_known"),
        ),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["audit.id"], name=op.f("fk_practitioner_comment_audit_id_audit")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_practitioner_comment_recorded_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practitioner_comment")),
    )
    with op.batch_alter_table("practitioner_comment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practitioner_comment_audit_id"), ["audit_id"], unique=False
        )

    op.create_table(
        "safeguarding_concern",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("raised_by_id", sa.Integer(), nullable=False),
        sa.Column("raised_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("service_area_id", sa.Integer(), nullable=False),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("responded_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("responded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["audit.id"], name=op.f("fk_safeguarding_concern_audit_id_audit")
        ),
        sa.ForeignKeyConstraint(
            ["raised_by_id"],
            ["user_account.id"],
            name=op.f("fk_safeguarding_concern_raised_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["responded_by_id"],
            ["user_account.id"],
            name=op.f("fk_safeguarding_concern_responded_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["service_area_id"],
            ["service_area.id"],
            name=op.f("fk_safeguarding_concern_service_area_id_service_area"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safeguarding_concern")),
    )
    with op.batch_alter_table("safeguarding_concern", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safeguarding_concern_audit_id"), ["audit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_safeguarding_concern_service_area_id"), ["service_area_id"], unique=False
        )

    op.create_table(
        "dip_sample_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=10), nullable=False),
        sa.CheckConstraint(
            "answer IN ('yes', 'partly', 'no', 'n_a')",
            name=op.f("ck_dip_sample_answer_answer_known"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["dip_sample_case.id"],
            name=op.f("fk_dip_sample_answer_case_id_dip_sample_case"),
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["dip_sample_question.id"],
            name=op.f("fk_dip_sample_answer_question_id_dip_sample_question"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dip_sample_answer")),
        sa.UniqueConstraint("case_id", "question_id", name="case_question"),
    )
    with op.batch_alter_table("dip_sample_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dip_sample_answer_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_dip_sample_answer_question_id"), ["question_id"], unique=False
        )

    op.create_table(
        "moderation_grade",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("moderation_id", sa.Integer(), nullable=False),
        sa.Column("domain_key", sa.String(length=80), nullable=False),
        sa.Column("grade", sa.String(length=30), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "grade IN ('outstanding', 'good', 'requires_improvement', 'inadequate', 'not_applicable')",
            name=op.f("ck_moderation_grade_grade_known"),
        ),
        sa.ForeignKeyConstraint(
            ["moderation_id"],
            ["moderation.id"],
            name=op.f("fk_moderation_grade_moderation_id_moderation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_grade")),
        sa.UniqueConstraint("moderation_id", "domain_key", name="moderation_domain"),
    )
    with op.batch_alter_table("moderation_grade", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_moderation_grade_moderation_id"), ["moderation_id"], unique=False
        )
        batch_op.create_index(
            "ix_moderation_grade_report", ["moderation_id", "domain_key", "grade"], unique=False
        )

    op.create_table(
        "reflective_conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("moderation_id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("service_area_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("participants", sa.Text(), nullable=True),
        sa.Column("learning", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status != 'held' OR (held_on IS NOT NULL AND participants IS NOT NULL AND learning IS NOT NULL AND recorded_by_id IS NOT NULL)",
            name=op.f("ck_reflective_conversation_held_is_recorded"),
        ),
        sa.CheckConstraint(
            "status IN ('due', 'held')", name=op.f("ck_reflective_conversation_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["audit.id"], name=op.f("fk_reflective_conversation_audit_id_audit")
        ),
        sa.ForeignKeyConstraint(
            ["moderation_id"],
            ["moderation.id"],
            name=op.f("fk_reflective_conversation_moderation_id_moderation"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_reflective_conversation_recorded_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["service_area_id"],
            ["service_area.id"],
            name=op.f("fk_reflective_conversation_service_area_id_service_area"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reflective_conversation")),
        sa.UniqueConstraint("moderation_id", name=op.f("uq_reflective_conversation_moderation_id")),
    )
    with op.batch_alter_table("reflective_conversation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reflective_conversation_audit_id"), ["audit_id"], unique=False
        )
        batch_op.create_index(
            "ix_reflective_conversation_report", ["audit_id", "status", "due_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reflective_conversation_service_area_id"),
            ["service_area_id"],
            unique=False,
        )

    op.create_table(
        "action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=True),
        sa.Column("dip_sample_id", sa.Integer(), nullable=True),
        sa.Column("reflective_conversation_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("completed_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("completed_by_id", sa.Integer(), nullable=True),
        sa.Column("completion_note", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(status = 'open') OR (completed_at IS NOT NULL)",
            name=op.f("ck_action_done_has_completion"),
        ),
        sa.CheckConstraint(
            "source IN ('audit', 'dip_sample', 'reflective_conversation')",
            name=op.f("ck_action_source_known"),
        ),
        sa.CheckConstraint("status IN ('open', 'done')", name=op.f("ck_action_status_known")),
        sa.ForeignKeyConstraint(["audit_id"], ["audit.id"], name=op.f("fk_action_audit_id_audit")),
        sa.ForeignKeyConstraint(
            ["completed_by_id"],
            ["user_account.id"],
            name=op.f("fk_action_completed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_action_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["dip_sample_id"], ["dip_sample.id"], name=op.f("fk_action_dip_sample_id_dip_sample")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user_account.id"], name=op.f("fk_action_owner_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["reflective_conversation_id"],
            ["reflective_conversation.id"],
            name=op.f("fk_action_reflective_conversation_id_reflective_conversation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action")),
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_audit_id"), ["audit_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_action_dip_sample_id"), ["dip_sample_id"], unique=False
        )
        batch_op.create_index("ix_action_owner_status", ["owner_id", "status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_action_reflective_conversation_id"),
            ["reflective_conversation_id"],
            unique=False,
        )
        batch_op.create_index("ix_action_report", ["audit_id", "status", "due_on"], unique=False)
        batch_op.create_index("ix_action_status_due", ["status", "due_on"], unique=False)

    _seed()


def _seed():
    """The rows the application expects to find: the data version starts at 1; the sampling
    rules start at the defaults of docs/domain.md with a random salt fixed for this installation."""
    data_version = sa.table(
        "data_version", sa.column("id", sa.Integer()), sa.column("n", sa.BigInteger())
    )
    op.bulk_insert(data_version, [{"id": 1, "n": 1}])
    settings = sa.table(
        "moderation_sampling_settings",
        sa.column("id", sa.Integer()),
        sa.column("rate_outstanding", sa.Float()),
        sa.column("rate_good", sa.Float()),
        sa.column("rate_requires_improvement", sa.Float()),
        sa.column("inadequate_deadline_days", sa.Integer()),
        sa.column("normal_deadline_days", sa.Integer()),
        sa.column("reflective_deadline_days", sa.Integer()),
        sa.column("salt", sa.String()),
        sa.column("version", sa.Integer()),
        sa.column("created_at", qa_audit.core.db.UTCDateTime()),
        sa.column("updated_at", qa_audit.core.db.UTCDateTime()),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        settings,
        [
            {
                "id": 1,
                "rate_outstanding": 0.5,
                "rate_good": 0.5,
                "rate_requires_improvement": 0.2,
                "inadequate_deadline_days": 5,
                "normal_deadline_days": 20,
                "reflective_deadline_days": 10,
                "salt": secrets.token_hex(16),
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        ],
    )


def downgrade():
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index("ix_action_status_due")
        batch_op.drop_index("ix_action_report")
        batch_op.drop_index(batch_op.f("ix_action_reflective_conversation_id"))
        batch_op.drop_index("ix_action_owner_status")
        batch_op.drop_index(batch_op.f("ix_action_dip_sample_id"))
        batch_op.drop_index(batch_op.f("ix_action_audit_id"))

    op.drop_table("action")
    with op.batch_alter_table("reflective_conversation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reflective_conversation_service_area_id"))
        batch_op.drop_index("ix_reflective_conversation_report")
        batch_op.drop_index(batch_op.f("ix_reflective_conversation_audit_id"))

    op.drop_table("reflective_conversation")
    with op.batch_alter_table("moderation_grade", schema=None) as batch_op:
        batch_op.drop_index("ix_moderation_grade_report")
        batch_op.drop_index(batch_op.f("ix_moderation_grade_moderation_id"))

    op.drop_table("moderation_grade")
    with op.batch_alter_table("dip_sample_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dip_sample_answer_question_id"))
        batch_op.drop_index(batch_op.f("ix_dip_sample_answer_case_id"))

    op.drop_table("dip_sample_answer")
    with op.batch_alter_table("safeguarding_concern", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safeguarding_concern_service_area_id"))
        batch_op.drop_index(batch_op.f("ix_safeguarding_concern_audit_id"))

    op.drop_table("safeguarding_concern")
    with op.batch_alter_table("practitioner_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practitioner_comment_audit_id"))

    op.drop_table("practitioner_comment")
    with op.batch_alter_table("moderation_sampling_decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_moderation_sampling_decision_audit_id"))

    op.drop_table("moderation_sampling_decision")
    with op.batch_alter_table("moderation", schema=None) as batch_op:
        batch_op.drop_index("ix_moderation_report")
        batch_op.drop_index(batch_op.f("ix_moderation_moderator_id"))

    op.drop_table("moderation")
    with op.batch_alter_table("feedback_conversation", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_conversation_report")
        batch_op.drop_index(batch_op.f("ix_feedback_conversation_audit_id"))

    op.drop_table("feedback_conversation")
    with op.batch_alter_table("dip_sample_service_area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dip_sample_service_area_service_area_id"))

    op.drop_table("dip_sample_service_area")
    with op.batch_alter_table("dip_sample_question", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dip_sample_question_dip_sample_id"))

    op.drop_table("dip_sample_question")
    with op.batch_alter_table("dip_sample_learning_theme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dip_sample_learning_theme_learning_theme_id"))

    op.drop_table("dip_sample_learning_theme")
    with op.batch_alter_table("dip_sample_lead_auditor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dip_sample_lead_auditor_user_id"))

    op.drop_table("dip_sample_lead_auditor")
    with op.batch_alter_table("dip_sample_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dip_sample_case_dip_sample_id"))

    op.drop_table("dip_sample_case")
    with op.batch_alter_table("audit_learning_theme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_learning_theme_learning_theme_id"))

    op.drop_table("audit_learning_theme")
    with op.batch_alter_table("audit_domain_grade", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_domain_grade_report")
        batch_op.drop_index("ix_audit_domain_grade_key_grade")
        batch_op.drop_index(batch_op.f("ix_audit_domain_grade_audit_id"))

    op.drop_table("audit_domain_grade")
    op.drop_table("user_role")
    op.drop_table("moderation_sampling_settings")
    with op.batch_alter_table("dip_sample", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dip_sample_status"))
        batch_op.drop_index(batch_op.f("ix_dip_sample_completed_on"))

    op.drop_table("dip_sample")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index("ix_change_log_entity")
        batch_op.drop_index(batch_op.f("ix_change_log_at"))
        batch_op.drop_index(batch_op.f("ix_change_log_actor_id"))

    op.drop_table("change_log")
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_tool_id"))
        batch_op.drop_index(batch_op.f("ix_audit_team_id"))
        batch_op.drop_index("ix_audit_submitted_on_id")
        batch_op.drop_index(batch_op.f("ix_audit_service_area_id"))
        batch_op.drop_index("ix_audit_report")
        batch_op.drop_index(batch_op.f("ix_audit_previous_audit_id"))
        batch_op.drop_index("ix_audit_month_area")
        batch_op.drop_index(batch_op.f("ix_audit_case_ref"))
        batch_op.drop_index("ix_audit_auditor_status")
        batch_op.drop_index(batch_op.f("ix_audit_allocation_id"))

    op.drop_table("audit")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_user_id"))

    op.drop_table("api_token")
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.drop_index("ix_allocation_status_due")
        batch_op.drop_index(batch_op.f("ix_allocation_service_area_id"))
        batch_op.drop_index("ix_allocation_report")
        batch_op.drop_index("ix_allocation_month_auditor")
        batch_op.drop_index(batch_op.f("ix_allocation_case_ref"))
        batch_op.drop_index(batch_op.f("ix_allocation_auditor_id"))

    op.drop_table("allocation")
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_log_user_id"))
        batch_op.drop_index(batch_op.f("ix_access_log_reference"))
        batch_op.drop_index("ix_access_log_entity")
        batch_op.drop_index(batch_op.f("ix_access_log_case_ref"))
        batch_op.drop_index(batch_op.f("ix_access_log_at"))

    op.drop_table("access_log")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_team_id"))
        batch_op.drop_index(batch_op.f("ix_user_account_service_area_id"))

    op.drop_table("user_account")
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_service_area_id"))

    op.drop_table("team")
    with op.batch_alter_table("audit_tool_domain", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_tool_domain_tool_id"))

    op.drop_table("audit_tool_domain")
    op.drop_table("service_area")
    op.drop_table("learning_theme")
    op.drop_table("data_version")
    op.drop_table("audit_tool")
