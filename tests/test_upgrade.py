"""deploy/upgrade.sh and deploy/rollback.sh on a database of the suite's kind, with the real
`qa-audit` of each release installed in a virtual environment. The previous release
(PREVIOUS_VERSION in tests/releases.py) is built as a wheel from its tagged commit and
installed as its guide says; its data is made by its own commands and services (the demo data
set with its moderated audits, rota and dip samples, safeguarding concerns at each step of
their workflow, a final and a draft committee report). It is upgraded to this release's wheel
and rolled back again to its own, the period report, the final committee report's figures and
every table's rows unchanged each way; an upgrade whose migration fails, or whose release is
incomplete, stops without starting the service. The service is a real gunicorn, started and
stopped by the commands the scripts are given in place of systemctl, each call recorded."""

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
from sqlalchemy import create_engine, inspect, text

from qa_audit.core.extensions import db
from tests.conftest import make_migrated_app
from tests.databases import fresh_database
from tests.releases import (
    PREVIOUS_HEAD,
    PREVIOUS_RELEASE,
    PREVIOUS_VERSION,
    ROOT,
    build_wheel,
    install_previous_release,
    make_previous_release_data,
    pip,
    previous_release_wheel,
    release_venv,
    unmet_pins,
)
from tests.test_release import VERSION

UPGRADE = ROOT / "deploy" / "upgrade.sh"
ROLLBACK = ROOT / "deploy" / "rollback.sh"


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
    url: str
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
            # Nothing of the suite's own settings: the server has only what is set here.
            **{
                k: v
                for k, v in os.environ.items()
                if k != "PYTHONPATH" and not k.startswith("QA_AUDIT_")
            },
            "QA_AUDIT_VENV": str(venv),
            # Every release from 1.1.0 on reads its settings from this file alone.
            "QA_AUDIT_CONFIG": str(settings),
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
        made = Server(root, venv, url, env)
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


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wheel = previous_release_wheel(tmp_path_factory.mktemp("previous"))
    # The release's virtual environment takes its dependencies from this environment and
    # downloads nothing, so it can hold the previous release's pins only where this
    # environment has them too (the test extra keeps what production no longer needs). A pin
    # moved on since would have to be installed from a folder of wheels: say so rather than
    # test another set.
    lock = wheel.with_name(f"qa_audit-{PREVIOUS_VERSION}-requirements.txt")
    assert unmet_pins(lock) == [], f"{PREVIOUS_VERSION}'s lock pins what is not installed here"
    return wheel


# The tables SQLite's full-text index keeps for itself (evidence_search_data, …): laid out
# anew when a restore rebuilds the index, so their rows are no measure of the data.
FULL_TEXT_SHADOWS = re.compile(r"(.+)_(config|content|data|docsize|idx)")


def rows_per_table(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
            shadows = {n for n in names if (m := FULL_TEXT_SHADOWS.fullmatch(n)) and m[1] in names}
            counted = sorted(names - shadows)
            return {n: conn.scalar(text(f'SELECT COUNT(*) FROM "{n}"')) or 0 for n in counted}
    finally:
        engine.dispose()


def final_committee_reports(url: str) -> list[str]:
    """The frozen figures of each final committee report, as the database holds them."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            query = "SELECT CAST(snapshot AS TEXT) FROM committee_report WHERE status = 'final'"
            return list(conn.scalars(text(query + " ORDER BY id")))
    finally:
        engine.dispose()


@dataclass
class Upgrade:
    server: Server
    wheel: Path
    previous: Path
    period: tuple[str, ...]
    report_before: str
    rows_before: dict[str, int]
    committee_before: list[str]
    done: subprocess.CompletedProcess[str]

    def report(self) -> str:
        return self.server.qa_audit(*self.period).stdout


@pytest.fixture(scope="module")
def upgraded(
    tmp_path_factory: pytest.TempPathFactory, wheel: Path, previous: Path
) -> Iterator[Upgrade]:
    """The previous release installed from its wheel, its database made by its own commands
    and services, then deploy/upgrade.sh run to this release's wheel."""
    folder = tmp_path_factory.mktemp("upgrade")
    with a_server(folder) as server:
        install_previous_release(server.venv, previous)
        first, last = make_previous_release_data(server.venv, server.env, server.folder)
        period = ("report", "--from", first, "--to", last)
        report_before = server.qa_audit(*period).stdout
        figures = json.loads(report_before)
        assert figures["audits_completed"] > 500
        rows_before = rows_per_table(server.url)
        assert rows_before["moderation_grade"] > 0
        assert rows_before["safeguarding_note"] == 1
        assert rows_before["committee_report"] == 2
        committee_before = final_committee_reports(server.url)
        done = server.script(UPGRADE, wheel)
        yield Upgrade(
            server, wheel, previous, period, report_before, rows_before, committee_before, done
        )


def test_an_upgrade_from_the_previous_release_keeps_the_data_and_serves(upgraded: Upgrade) -> None:
    server, done = upgraded.server, upgraded.done
    assert done.returncode == 0, done.stdout + done.stderr
    rows_after = rows_per_table(server.url)
    assert server.calls == ["stop", "start"]
    assert f"Upgraded qa-audit {PREVIOUS_VERSION} to {VERSION}." in done.stdout
    assert "/readyz: 200 ready" in done.stdout
    assert server.qa_audit("--version").stdout.strip() == f"qa-audit, version {VERSION}"
    assert head_revision(upgraded.wheel) in server.qa_audit("db", "check").stdout
    report_after = json.loads(upgraded.report())
    assert differences(json.loads(upgraded.report_before), report_after) == []
    assert final_committee_reports(server.url) == upgraded.committee_before
    # Every row kept; the change log has one more: the pre-upgrade backup records itself.
    kept = {name: rows_after.get(name) for name in upgraded.rows_before}
    change_log = upgraded.rows_before["change_log"] + 1
    assert kept == upgraded.rows_before | {"change_log": change_log}
    (backup,) = (server.folder / "backups").glob(f"pre-upgrade-{PREVIOUS_VERSION}-*.zip")
    manifest = json.loads(zipfile.ZipFile(backup).read("manifest.json"))
    assert manifest["alembic_revisions"] == [PREVIOUS_HEAD]
    assert str(backup) in done.stdout


def test_a_rollback_to_the_previous_release_restores_the_data_before_the_upgrade(
    upgraded: Upgrade,
) -> None:
    server = upgraded.server
    assert upgraded.done.returncode == 0
    (backup,) = (server.folder / "backups").glob("pre-upgrade-*.zip")

    rolled_back = server.script(ROLLBACK, backup, upgraded.previous)

    assert rolled_back.returncode == 0, rolled_back.stdout + rolled_back.stderr
    assert server.calls == ["stop", "start", "stop", "start"]
    assert "/readyz: 200 ready" in rolled_back.stdout
    assert f"Rolled back to qa-audit {PREVIOUS_VERSION} with the data of" in rolled_back.stdout
    assert f"{PREVIOUS_HEAD} (head)" in server.qa_audit("db", "current").stdout
    # Read before the report, whose export the change log records; the restore records itself.
    change_log = upgraded.rows_before["change_log"] + 1
    assert rows_per_table(server.url) == upgraded.rows_before | {"change_log": change_log}
    assert upgraded.report() == upgraded.report_before
    assert final_committee_reports(server.url) == upgraded.committee_before
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
    app = make_migrated_app(server.url)
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


def test_the_release_upgraded_from_is_the_one_the_changelog_names() -> None:
    """The upgrade tested is the one the guide promises: from the release this one's
    CHANGELOG entry names, at the schema that release's entry gives, at its tag's commit."""
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")

    def entry(version: str) -> str:
        return changelog.split(f"\n## [{version}]", 1)[1].split("\n## [", 1)[0]

    assert f"Upgrading from {PREVIOUS_VERSION}:" in entry(VERSION)
    assert f"Database schema ends at: `{PREVIOUS_HEAD}`." in entry(PREVIOUS_VERSION)
    tag = subprocess.run(
        ["git", "-C", str(ROOT), "rev-list", "-n1", f"v{PREVIOUS_VERSION}"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    # A clone without tags names the release by commit alone.
    assert tag.returncode != 0 or tag.stdout.strip() == PREVIOUS_RELEASE
