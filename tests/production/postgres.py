"""A PostgreSQL cluster of the production test's own, on a free loopback port: the test stops
and starts it, so it cannot share the suite's server. Passwords are required (scram-sha-256),
as on a council's server, and the service connects as a role that owns its database."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

from tests.soak.harness import free_port

WAIT = 30  # seconds pg_ctl waits for the server to start or stop


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's programs (Debian's layout), if any."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name)
    )
    return found[-1].parent if found else None


def _as_postgres(args: list[str]) -> list[str]:
    # initdb and the server refuse to run as root; they run as the postgres account.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class Cluster:
    """initdb into ``folder``, then a server on 127.0.0.1 (stop and start at will)."""

    def __init__(self, folder: Path, pgbin: Path) -> None:
        self.bin = pgbin
        self.folder = folder
        self.data = folder / "data"
        self.log = folder / "server.log"
        self.port = free_port()
        self.superuser_password = secrets.token_hex(16)
        folder.mkdir(mode=0o700)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
        password_file = folder / "superuser-password"
        password_file.write_text(self.superuser_password + "\n")
        if os.geteuid() == 0:
            shutil.chown(password_file, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            f"--pwfile={password_file}",
            "--auth=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        password_file.unlink()

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(
            _as_postgres([str(self.bin / program), *args]),
            cwd="/",  # the postgres account may not enter the test's working folder
            check=True,
            capture_output=True,
            timeout=WAIT + 30,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", str(WAIT),
            "-o", options, "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", str(WAIT), "stop")

    def remove(self) -> None:
        """Stop the server if it runs (immediately: it is thrown away) and delete its files."""
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError):
                self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str, user: str = "postgres", password: str | None = None) -> str:
        return URL.create(
            "postgresql+psycopg",
            username=user,
            password=self.superuser_password if password is None else password,
            host="127.0.0.1",
            port=self.port,
            database=database,
        ).render_as_string(hide_password=False)

    def create_service_database(self, role: str, password: str, *databases: str) -> None:
        """A login role without superuser rights owning each of ``databases``."""
        engine = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                exists = conn.execute(
                    text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
                ).scalar()
                if not exists:
                    # A literal, not a parameter: CREATE ROLE takes none. Both are ours.
                    conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'"))
                for name in databases:
                    conn.execute(
                        text(f"CREATE DATABASE {name} OWNER {role} ENCODING 'UTF8' "
                             "TEMPLATE template0")
                    )  # fmt: skip
                    conn.execute(text(f"REVOKE ALL ON DATABASE {name} FROM PUBLIC"))
        finally:
            engine.dispose()
