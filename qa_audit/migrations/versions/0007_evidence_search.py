"""evidence search: full-text indexes of the audits' evidence (qa_audit/evidence/search.py)

SQLite: an external-content FTS5 table over audit_domain_grade's three texts, kept in step by
triggers, and filled from the rows already there. PostgreSQL: a GIN index on each text's
to_tsvector('english', ...). Neither is a model: the schema comparison leaves them out.

A later migration that rebuilds audit_domain_grade on SQLite (a batch "move and copy") drops
its triggers with the old table: it must create them again (upgrade_sqlite below does).

Revision ID: 0007_evidence_search
Revises: 0006_committee_reports
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0007_evidence_search"
down_revision = "0006_committee_reports"
branch_labels = None
depends_on = None

# Written out here rather than imported: a migration keeps the names it was written with.
FTS = "evidence_search"
COLUMNS = ("working_well", "needs_improvement", "impact")
TRIGGERS = ("evidence_search_insert", "evidence_search_delete", "evidence_search_update")


def _values(prefix):
    return ", ".join(f"{prefix}.{c}" for c in COLUMNS)


def upgrade_sqlite():
    names = ", ".join(COLUMNS)
    op.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5({names}, "
        "content='audit_domain_grade', content_rowid='id', "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    add = f"INSERT INTO {FTS}(rowid, {names}) VALUES (new.id, {_values('new')});"
    remove = (
        f"INSERT INTO {FTS}({FTS}, rowid, {names}) VALUES ('delete', old.id, {_values('old')});"
    )
    op.execute(f"CREATE TRIGGER {TRIGGERS[0]} AFTER INSERT ON audit_domain_grade BEGIN {add} END")
    op.execute(
        f"CREATE TRIGGER {TRIGGERS[1]} AFTER DELETE ON audit_domain_grade BEGIN {remove} END"
    )
    op.execute(
        f"CREATE TRIGGER {TRIGGERS[2]} AFTER UPDATE OF id, {names} ON audit_domain_grade "
        f"BEGIN {remove} {add} END"
    )
    # The rows already there (an external-content table starts empty).
    op.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        upgrade_sqlite()
    elif dialect == "postgresql":
        for column in COLUMNS:
            op.execute(
                f"CREATE INDEX ix_audit_domain_grade_{column}_search ON audit_domain_grade "
                f"USING gin (to_tsvector('english'::regconfig, {column}))"
            )


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute(f"DROP TABLE IF EXISTS {FTS}")
    elif dialect == "postgresql":
        for column in COLUMNS:
            op.execute(f"DROP INDEX IF EXISTS ix_audit_domain_grade_{column}_search")
