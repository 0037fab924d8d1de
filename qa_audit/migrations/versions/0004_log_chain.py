"""tamper-evident logs and import attribution

Revision ID: 0004_log_chain
Revises: 0003_sessions
"""

import sqlalchemy as sa
from alembic import op

import qa_audit.core.db
from qa_audit.changelog.chain import GENESIS, link

# revision identifiers, used by Alembic.
revision = "0004_log_chain"
down_revision = "0003_sessions"
branch_labels = None
depends_on = None

CHAINED = ("change_log", "access_log")


def upgrade():
    op.create_table(
        "log_chain_head",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_log_chain_head")),
    )
    for table in CHAINED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("row_hash", sa.String(length=64), nullable=True))
        _chain_existing_rows(table)

    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("imported_at", qa_audit.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by_id"],
            ["user_account.id"],
            name=op.f("fk_import_batch_imported_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
    )
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_batch_imported_by_id"), ["imported_by_id"], unique=False
        )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_batch_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_import_batch_id"), ["import_batch_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_audit_import_batch_id_import_batch"),
            "import_batch",
            ["import_batch_id"],
            ["id"],
        )


def _chain_existing_rows(name):
    """Hash the rows already there, oldest first, as the application hashes new ones."""
    bind = op.get_bind()
    table = sa.Table(name, sa.MetaData(), autoload_with=bind)
    previous = GENESIS
    for row in bind.execute(sa.select(table).order_by(table.c.id)).mappings().all():
        previous = link(previous, row)
        bind.execute(table.update().where(table.c.id == row["id"]).values(row_hash=previous))
    bind.execute(
        sa.text("INSERT INTO log_chain_head (name, last_hash) VALUES (:n, :h)"),
        {"n": name, "h": previous},
    )


def downgrade():
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_audit_import_batch_id_import_batch"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_audit_import_batch_id"))
        batch_op.drop_column("import_batch_id")
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_batch_imported_by_id"))
    op.drop_table("import_batch")
    for table in reversed(CHAINED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("row_hash")
    op.drop_table("log_chain_head")
