"""Whether the database's schema is the one this release's code expects: its Alembic revision
compared with the head of the migrations shipped in the package.

Read by ``/readyz`` (a worker on a database that is behind or ahead is not ready) and by
``qa-audit db check``, which the upgrade and rollback steps run before starting the service."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from qa_audit.core.config import MIGRATIONS


@cache
def _scripts() -> tuple[tuple[str, ...], frozenset[str]]:
    # The scripts cannot change while the process runs: read them once, not per probe.
    scripts = ScriptDirectory(str(MIGRATIONS))
    known = frozenset(script.revision for script in scripts.walk_revisions())
    return tuple(sorted(scripts.get_heads())), known


def code_heads() -> tuple[str, ...]:
    """The revision(s) this release's migrations end at (one: the chain is linear)."""
    return _scripts()[0]


@dataclass(frozen=True)
class SchemaState:
    """The database's revisions beside the code's head."""

    database: tuple[str, ...]
    code: tuple[str, ...]
    unknown: tuple[str, ...]  # revisions the database is at that this code has never heard of

    @property
    def at_head(self) -> bool:
        return set(self.database) == set(self.code)

    @property
    def ahead(self) -> bool:
        """The database was migrated by a newer release than this one."""
        return bool(self.unknown)

    @property
    def database_label(self) -> str:
        return ", ".join(self.database) or "no revision (never migrated)"

    @property
    def code_label(self) -> str:
        return ", ".join(self.code)

    def describe(self) -> str:
        """One line for an operator: where the database is and what to do about it."""
        if self.at_head:
            return f"Database at {self.database_label}: up to date"
        if self.ahead:
            return (
                f"Database at {self.database_label}: ahead of this code "
                f"({', '.join(self.unknown)} unknown; this code ends at {self.code_label}): "
                "this release is older than the database — restore the pre-upgrade backup"
            )
        return (
            f"Database at {self.database_label}, code at {self.code_label}: "
            "behind: run qa-audit db upgrade"
        )

    def readiness_problem(self) -> str | None:
        """What ``/readyz`` says when the schema is not the code's; None when it is."""
        if self.at_head:
            return None
        return (
            f"migrations not at head: database at {self.database_label}, code at {self.code_label}"
        )


def schema_state(connection: Connection) -> SchemaState:
    """Where ``connection``'s database stands against this release's migrations."""
    database = tuple(sorted(MigrationContext.configure(connection).get_current_heads()))
    heads, known = _scripts()
    unknown = tuple(revision for revision in database if revision not in known)
    return SchemaState(database=database, code=heads, unknown=unknown)
