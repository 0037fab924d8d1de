"""deploy/systemd: `systemd-analyze verify` accepts the units (with the installed virtual
environment's path replaced by this one, so the commands exist), and gunicorn 27 accepts every
option the service starts it with."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deployment.files import INSTALLED_VENV, SYSTEMD, unit_commands, unit_lines

VENV = Path(sys.executable).parent.parent
SERVICE = SYSTEMD / "qa-audit.service"
UNITS = sorted(p for p in SYSTEMD.iterdir() if p.suffix in (".service", ".timer"))


def test_systemd_analyze_verify_accepts_every_unit(tmp_path: Path) -> None:
    """In a container without systemd running, `verify` still parses each unit, names every key
    it does not know, and checks each command is executable; the service account need not exist."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    copies = []
    for unit in UNITS:
        copy = tmp_path / unit.name
        copy.write_text(unit.read_text(encoding="utf-8").replace(INSTALLED_VENV, str(VENV)))
        copies.append(str(copy))
    result = subprocess.run(
        [analyze, "verify", "--man=no", *copies], capture_output=True, text=True, timeout=60
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_each_timer_starts_a_service_of_the_same_name() -> None:
    for timer in SYSTEMD.glob("*.timer"):
        assert timer.with_suffix(".service").exists()
        assert ("Persistent", "true") in unit_lines(timer)


def test_the_service_runs_as_its_account_with_a_private_umask_and_a_read_only_system() -> None:
    settings = dict(unit_lines(SERVICE))
    assert settings["User"] == "qa-audit"
    assert settings["UMask"] == "0077"
    assert settings["ProtectSystem"] == "strict"
    assert ("Environment", "QA_AUDIT_CONFIG=/etc/qa-audit/qa-audit.env") in unit_lines(SERVICE)
    # A database this release's migrations do not match is never served.
    assert unit_commands(SERVICE, "ExecStartPre") == [
        [f"{INSTALLED_VENV}/bin/qa-audit", "db", "check"]
    ]


def test_gunicorn_accepts_the_services_options(tmp_path: Path) -> None:
    """`gunicorn --check-config` with the unit's own arguments: an option this gunicorn does not
    know (or one it renamed) fails here, not on the server. The control socket must be off:
    under ProtectSystem=strict gunicorn 27 cannot create it."""
    [command] = unit_commands(SERVICE, "ExecStart")
    assert command[0] == f"{INSTALLED_VENV}/bin/gunicorn"
    assert "--no-control-socket" in command
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_AUDIT_")}
    env.update(
        QA_AUDIT_DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite'}",
        QA_AUDIT_INSTANCE_PATH=str(tmp_path),
    )
    result = subprocess.run(
        [str(VENV / "bin" / "gunicorn"), *command[1:], "--check-config"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
