"""Several `qa-audit report` commands at once on one SQLite file, as real processes: a
read-only command waits or retries for the write its export record needs, and never fails
with "database is locked" (issue 16, defect 13)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

QA_AUDIT = Path(sys.executable).parent / "qa-audit"
# Four at once, three times over: two at once overlap too rarely on a small machine for the
# lost race (a write after another command's commit) to show every run.
AT_ONCE = 4
ROUNDS = 3


@pytest.fixture
def sqlite_file(tmp_path: Path) -> dict[str, str]:
    """A migrated and seeded SQLite file, and the environment of commands that use it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_AUDIT_")}
    env["QA_AUDIT_INSTANCE_PATH"] = str(tmp_path)
    env["QA_AUDIT_DATABASE_URL"] = f"sqlite:///{tmp_path / 'qa-audit.sqlite'}"
    for command in (["db", "upgrade"], ["seed"]):
        done = subprocess.run(
            [str(QA_AUDIT), *command],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    return env


def test_report_commands_started_together_all_succeed(sqlite_file: dict[str, str]) -> None:
    for _ in range(ROUNDS):
        commands = [
            subprocess.Popen(
                [str(QA_AUDIT), "report", "--from", "2024-01", "--to", "2024-12"],
                env=sqlite_file,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(AT_ONCE)
        ]
        for command in commands:
            stdout, stderr = command.communicate(timeout=120)
            assert command.returncode == 0, stderr
            assert "Traceback" not in stderr
            assert json.loads(stdout)["period"] == {"from": "2024-01", "to": "2024-12"}
