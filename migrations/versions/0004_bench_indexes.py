"""bench indexes: covering indexes for the period report's joins; the audit list's order

Found by `make bench` (docs/benchmark.md):
- the report reads the audits of its months and joins each to its completed moderation, its
  domain grades and the moderator's domain grades; with these indexes every step is an
  index-only read, and PostgreSQL no longer prefers a scan of the whole moderation table or a
  parallel plan (whose cost grows with history, not with the audits of the period);
- the All audits list (newest first) reads the newest submitted audits from
  (submitted_on, id) instead of sorting every audit.

Revision ID: 0004_bench_indexes
Revises: 0003_access_log, 0003_moderation, 0003_reports, 0003_rota_dip_samples
Create Date: 2026-11-23 02:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0004_bench_indexes"
down_revision = ("0003_access_log", "0003_moderation", "0003_reports", "0003_rota_dip_samples")
branch_labels = None
depends_on = None

INDEXES = (
    ("audit", "ix_audit_report", ["submitted_month", "status", "overall_grade", "id"]),
    ("audit", "ix_audit_submitted_on_id", ["submitted_on", "id"]),
    ("audit_domain_grade", "ix_audit_domain_grade_report", ["audit_id", "domain_key", "grade"]),
    (
        "moderation",
        "ix_moderation_report",
        ["audit_id", "status", "id", "overall_grade", "outcome"],
    ),
    ("moderation_grade", "ix_moderation_grade_report", ["moderation_id", "domain_key", "grade"]),
)


def upgrade():
    for table, name, columns in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, columns, unique=False)


def downgrade():
    for table, name, _ in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
