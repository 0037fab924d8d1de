"""Backup and restore of the whole database to one file, portable between SQLite and PostgreSQL.

A backup is a zip holding ``manifest.json`` (format, app version, Alembic revisions, when it
was made, and for each table its columns, row count, size and sha256), ``signature.json``
(an HMAC-SHA256 of the manifest under the backup key, which the file never holds) and
``tables/<name>.jsonl``: one JSON object a row, in primary-key order. Every table of the
metadata is included, in dependency order, so tables added by later migrations are picked
up without changes here; sign-in sessions never are, and a restore ends them all.
Values are written by column type (dates and times in ISO 8601, decimals as strings, JSON
columns as their JSON text, binary as base64) and read back by the target's column types,
which is what lets a backup taken from SQLite restore into PostgreSQL and the other way round.
Tables are streamed (server-side cursors, batches), never held whole in memory.
"""

from __future__ import annotations

from flask import Flask

from qa_audit.backup.commands import backup_command, restore_command


def init_app(app: Flask) -> None:
    """The ``backup`` and ``restore`` commands."""
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
