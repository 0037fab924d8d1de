"""deploy/upgrade.sh and deploy/rollback.sh on a database of the suite's kind, with the real
`qa-audit` of each release installed in a virtual environment: 1.0.0 (a checkout of its
commit, installed as its `make install` did, its data made by its own commands) upgraded to
this release's wheel and rolled back again, the period report unchanged each way; an upgrade
whose migration fails, or whose release is incomplete, stops without starting the service.
The service is a real gunicorn, started and stopped by the commands the scripts are given in
place of systemctl, each call recorded."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bench.csv_sample import write_sample_csv
from qa_audit.core.extensions import db
from tests.conftest import make_migrated_app
from tests.databases import fresh_database
from tests.releases import (
    PREVIOUS_HEAD,
    ROOT,
    build_wheel,
    install_previous_release,
    pip,
    previous_release_source,
    release_venv,
)
from tests.test_release import VERSION

UPGRADE = ROOT / "deploy" / "upgrade.sh"
ROLLBACK = ROOT / "deploy" / "rollback.sh"
# The months write_sample_csv spreads its audits over.
PERIOD = ("report", "--from", "2022-10", "--to", "2025-09")


def head_revision(wheel: Path) -> str:
    """The last revision of a release's chain (the one no other revision follows)."""
    revisions, previous = set(), set()
    with zipfile.ZipFile(wheel) as release:
        for name in release.namelist():
            if name.startswith("qa_audit/migrations/versions/") and name.endswith(".py"):
                text = release.read(name).decode()
                revisions |= set(re.findall(r'^revision = "([^"]+)"', text, re.M))
                previous |= set(re.findall(r'^down_revision = "([^"]+)"', text, re.M))
    (head,) = revisions - previous
    return head


def differences(before: Any, after: Any, where: str = "report") -> list[str]:
    """Where ``after`` differs from ``before``, keys ``after`` adds apart: the report may gain
    keys from one release to the next, never change or lose one (the outside contract)."""
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key, value in before.items():
            if key not in after:
                found.append(f"{where}.{key} is gone")
            else:
                found += differences(value, after[key], f"{where}.{key}")
        return found
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [
            d
            for i, pair in enumerate(zip(before, after, strict=True))
            for d in differences(*pair, f"{where}[{i}]")
        ]
    return [] if before == after else [f"{where}: {before!r} became {after!r}"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A server's layout: the virtual environment, the settings file, the backups folder and
    a service whose stops and starts are recorded."""

    folder: Path
    venv: Path
    env: dict[str, str]

    @property
    def calls(self) -> list[str]:
        log = self.folder / "service.log"
        return log.read_text().split() if log.exists() else []

    def script(self, script: Path, *args: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", str(script), *map(str, args)],
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.folder,
            timeout=240,
        )

    def qa_audit(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(self.venv / "bin" / "qa-audit"), *args],
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.folder,
            timeout=120,
        )
        assert not check or done.returncode == 0, done.stdout + done.stderr
        return done

    def stop_gunicorn(self) -> None:
        pid_file = self.folder / "gunicorn.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text()), signal.SIGTERM)


@contextmanager
def a_server(folder: Path) -> Iterator[Server]:
    with fresh_database(folder, "upgrade") as url:
        root = folder / "server"
        (root / "backups").mkdir(parents=True)
        venv = release_venv(folder / "install")
        port = free_port()
        settings = root / "qa-audit.env"
        settings.write_text(f"QA_AUDIT_DATABASE_URL={url}\n", encoding="utf-8")
        settings.chmod(0o600)
        pid_file = root / "gunicorn.pid"
        log = root / "service.log"
        gunicorn = (
            f"{venv}/bin/python -m gunicorn --daemon --pid {pid_file} --workers 1 "
            f"--bind 127.0.0.1:{port} --error-logfile {root}/gunicorn.log 'qa_audit:create_app()'"
        )
        env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
            "QA_AUDIT_VENV": str(venv),
            "QA_AUDIT_CONFIG": str(settings),
            # 1.0.0 reads its settings from the environment only (its guide loaded the file).
            "QA_AUDIT_DATABASE_URL": url,
            "QA_AUDIT_INSTANCE_PATH": str(root / "instance"),
            "MPLCONFIGDIR": str(root / "matplotlib"),
            "QA_AUDIT_BACKUP_DIR": str(root / "backups"),
            "QA_AUDIT_SERVICE_USER": "",
            # systemctl's part: the real service, and a record of each call.
            "QA_AUDIT_STOP_COMMAND": (
                f"echo stop >> {log}; if [ -f {pid_file} ]; then kill $(cat {pid_file}); "
                f"while [ -f {pid_file} ]; do sleep 0.2; done; fi"
            ),
            "QA_AUDIT_START_COMMAND": f"echo start >> {log}; {gunicorn}",
            "QA_AUDIT_READY_URL": f"http://127.0.0.1:{port}/readyz",
            "QA_AUDIT_READY_SECONDS": "30",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        }
        made = Server(root, venv, env)
        try:
            yield made
        finally:
            made.stop_gunicorn()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with a_server(tmp_path) as made:
        yield made


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("release"))


@dataclass
class Upgrade:
    server: Server
    wheel: Path
    previous: Path
    report_before: dict[str, Any]
    done: subprocess.CompletedProcess[str]


PREVIOUS_COMMANDS = """
import json, sys
from qa_audit.cli import main

for command in json.loads(sys.argv[1]):
    main(command, standalone_mode=False)
"""


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Iterator[Upgrade]:
    """1.0.0 installed from its checkout, its database made by its own commands (migrated,
    seeded, 30 audits imported from CSV with their people), then deploy/upgrade.sh run to
    this release's wheel."""
    folder = tmp_path_factory.mktemp("upgrade")
    with a_server(folder) as server:
        previous = previous_release_source(folder)
        install_previous_release(server.venv, previous)
        history = folder / "history.csv"
        write_sample_csv(history, 30, seed=14, auditors=4, moderators=2)
        # 1.0.0's own commands, in one process (each start of the application costs seconds).
        importing = ["import", "audits", str(history), "--create-users"]
        commands = [["db", "upgrade"], ["seed"], importing]
        made = subprocess.run(
            [str(server.venv / "bin" / "python"), "-c", PREVIOUS_COMMANDS, json.dumps(commands)],
            capture_output=True, text=True, env=server.env, cwd=server.folder, timeout=120,
        )  # fmt: skip
        assert made.returncode == 0, made.stdout + made.stderr
        report_before = json.loads(server.qa_audit(*PERIOD).stdout)
        assert report_before["audits_completed"] == 30
        yield Upgrade(server, wheel, previous, report_before, server.script(UPGRADE, wheel))


def test_an_upgrade_from_1_0_0_keeps_the_data_and_serves(upgraded: Upgrade) -> None:
    server, done = upgraded.server, upgraded.done
    assert done.returncode == 0, done.stdout + done.stderr
    assert server.calls == ["stop", "start"]
    # 1.0.0's package metadata still said 0.1.0 (versions were set when releases began).
    assert f"Upgraded qa-audit 0.1.0 to {VERSION}." in done.stdout
    assert "/readyz: 200 ready" in done.stdout
    assert server.qa_audit("--version").stdout.strip() == f"qa-audit, version {VERSION}"
    assert head_revision(upgraded.wheel) in server.qa_audit("db", "check").stdout
    report_after = json.loads(server.qa_audit(*PERIOD).stdout)
    assert differences(upgraded.report_before, report_after) == []
    (backup,) = (server.folder / "backups").glob("pre-upgrade-*.zip")
    manifest = json.loads(zipfile.ZipFile(backup).read("manifest.json"))
    assert manifest["alembic_revisions"] == [PREVIOUS_HEAD]
    assert str(backup) in done.stdout


def test_a_rollback_to_1_0_0_restores_the_data_of_before_the_upgrade(upgraded: Upgrade) -> None:
    server = upgraded.server
    assert upgraded.done.returncode == 0
    (backup,) = (server.folder / "backups").glob("pre-upgrade-*.zip")
    # 1.0.0 has no /readyz: its guide's liveness probe is what a rollback to it waits for.
    server.env["QA_AUDIT_READY_URL"] = server.env["QA_AUDIT_READY_URL"].replace("readyz", "healthz")

    rolled_back = server.script(ROLLBACK, backup, upgraded.previous)

    assert rolled_back.returncode == 0, rolled_back.stdout + rolled_back.stderr
    assert server.calls == ["stop", "start", "stop", "start"]
    assert "/healthz: 200 ok" in rolled_back.stdout
    assert f"{PREVIOUS_HEAD} (head)" in server.qa_audit("db", "current").stdout
    assert json.loads(server.qa_audit(*PERIOD).stdout) == upgraded.report_before
    (kept,) = (server.folder / "backups").glob("before-rollback-*.zip")
    kept_manifest = json.loads(zipfile.ZipFile(kept).read("manifest.json"))
    assert kept_manifest["alembic_revisions"] == [head_revision(upgraded.wheel)]


BROKEN_MIGRATION = '''"""a migration that fails"""
revision = "9999_broken"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    raise RuntimeError("this migration fails")


def downgrade():
    pass
'''


def test_a_failing_migration_stops_the_upgrade_before_the_service_starts(
    server: Server, wheel: Path, tmp_path: Path
) -> None:
    broken = build_wheel(
        tmp_path / "broken",
        {"migrations/versions/9999_broken.py": BROKEN_MIGRATION.format(head=head_revision(wheel))},
    )
    pip(server.venv, "install", "--quiet", "--no-deps", str(wheel))
    app = make_migrated_app(server.env["QA_AUDIT_DATABASE_URL"])
    with app.app_context():
        db.engine.dispose()

    upgraded = server.script(UPGRADE, broken)

    assert upgraded.returncode != 0
    assert "FAILED at step 6 (Migrating the database)" in upgraded.stderr
    assert "this migration fails" in upgraded.stderr
    assert "The service has NOT been started again." in upgraded.stderr
    assert "deploy/rollback.sh" in upgraded.stderr
    assert server.calls == ["stop"]
    assert not (server.folder / "gunicorn.pid").exists()
    check = server.qa_audit("db", "check", check=False)
    assert check.returncode == 1
    assert head_revision(wheel) in check.stdout + check.stderr


def test_an_upgrade_stops_before_stopping_anything_when_the_release_is_incomplete(
    server: Server, wheel: Path, tmp_path: Path
) -> None:
    alone = tmp_path / "alone" / wheel.name
    alone.parent.mkdir()
    alone.write_bytes(wheel.read_bytes())  # without the lock file beside it

    upgraded = server.script(UPGRADE, alone)

    assert upgraded.returncode != 0
    assert "FAILED at step 1" in upgraded.stderr
    assert "requirements.txt is missing" in upgraded.stderr
    assert server.calls == []
