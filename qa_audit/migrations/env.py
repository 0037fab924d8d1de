"""Alembic environment: the app's engine and metadata; batch mode for SQLite; types compared."""

import logging
from contextlib import contextmanager
from logging.config import fileConfig

from alembic import context
from flask import current_app

from qa_audit.evidence.search import is_search_object

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def get_metadata():
    return target_db.metadata


def include_name(name, type_, parent_names):
    # Full-text search's tables and indexes are made by migrations, not models.
    return not is_search_object(name)


def run_migrations_offline():
    context.configure(
        url=str(target_db.engine.url),
        target_metadata=get_metadata(),
        literal_binds=True,
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


@contextmanager
def sqlite_foreign_keys_deferred(connection):
    """SQLite changes a table's constraints by rebuilding it (Alembic's batch mode: create,
    copy, drop, rename), and with foreign keys enforced the drop of a table that other rows
    point at fails ("FOREIGN KEY constraint failed"). SQLite's own procedure for such changes
    (https://www.sqlite.org/lang_altertable.html) turns enforcement off for the change and
    checks every reference afterwards: a migration that breaks one still fails."""
    if connection.dialect.name != "sqlite":
        yield
        return
    # On the driver's connection, outside any transaction: the pragma is ignored inside one.
    raw = connection.connection.driver_connection
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migration left rows pointing at nothing: {broken[:5]}")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        # no empty revision files from autogenerate
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    conf_args.setdefault("render_as_batch", True)
    conf_args.setdefault("compare_type", True)
    conf_args.setdefault("include_name", include_name)

    with target_db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=get_metadata(), **conf_args)
        with sqlite_foreign_keys_deferred(connection), context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
