"""Guard rails around the command line, run as real processes: what `qa-audit` writes is
private to its owner (umask 077), and `make run` refuses production settings before anything
touches a database (issue 14, findings 2 and 7)."""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa_audit.cli import main
from qa_audit.core.config import ROOT

QA_AUDIT = Path(sys.executable).parent / "qa-audit"


def clean_environment(tmp_path: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_AUDIT_")}
    env["QA_AUDIT_INSTANCE_PATH"] = str(tmp_path / "instance")
    env.update(settings)
    return env


def test_files_and_folders_the_command_line_makes_are_its_owners_alone(tmp_path: Path) -> None:
    """Run under an administrator's usual umask 022: the SQLite file and the instance folder
    the command makes are still 0600 and 0700 (they were 0644 and 0755)."""
    database = tmp_path / "restored" / "qa-audit.sqlite"
    database.parent.mkdir()
    env = clean_environment(tmp_path, QA_AUDIT_DATABASE_URL=f"sqlite:///{database}")
    done = subprocess.run(
        [str(QA_AUDIT), "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
        umask=0o022,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "instance").stat().st_mode) == 0o700


@pytest.fixture
def make_run(tmp_path: Path):  # type: ignore[no-untyped-def]
    """`make run` in the repository as it is, without reinstalling the virtual environment."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")

    def run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["make", "--no-print-directory", "-o", ".venv/.installed", "run", "PORT=1"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run


def test_make_run_refuses_production_from_the_environment(make_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    done = make_run(clean_environment(tmp_path, QA_AUDIT_ENV="production"))
    assert done.returncode != 0
    assert "Error: These settings are for production (QA_AUDIT_ENV is production)." in done.stderr
    assert "db upgrade" not in done.stdout
    assert not (tmp_path / "instance").exists()


def test_make_run_refuses_a_production_settings_file(make_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    database = tmp_path / "live.sqlite"
    settings = tmp_path / "qa-audit.env"
    settings.write_text(
        "QA_AUDIT_ENV=production\n"
        f"QA_AUDIT_SECRET_KEY={secrets.token_hex(32)}\n"
        f"QA_AUDIT_DATABASE_URL=sqlite:///{database}\n"
        "QA_AUDIT_BASE_URL=https://qa-audit.anytown.gov.uk\n"
    )
    settings.chmod(0o640)
    done = make_run(clean_environment(tmp_path, QA_AUDIT_CONFIG=str(settings)))
    assert done.returncode != 0
    assert f"QA_AUDIT_ENV is production, set in {settings}" in done.stderr
    assert "demo load" not in done.stdout
    assert not database.exists()


def test_the_help_offers_no_flask_option_that_would_choose_another_app_or_settings() -> None:
    """Flask's --app, --env-file and --debug would load another app, read a .env file that
    bypasses QA_AUDIT_CONFIG, or turn on debug mode: the command line has none of them."""
    shown = CliRunner().invoke(main, ["--help"])
    assert shown.exit_code == 0
    assert "--version" in shown.output
    for option in ("--app", "--env-file", "--debug"):
        assert option not in shown.output
    refused = CliRunner().invoke(main, ["--env-file", "settings.env", "db", "check"])
    assert refused.exit_code == 2
    assert "No such option '--env-file'" in refused.output
