"""`qa-audit config check`: the effective settings, where each came from, secrets masked; exit 1
with a plain message when they cannot be used; no database needed. And what the command line
does before any command: settings problems told as a sentence, no .env files read."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from qa_audit.cli import main
from qa_audit.core.config_command import mask_url

SECRET = secrets.token_hex(32)
BACKUP = secrets.token_urlsafe(32)
DB_PASSWORD = "s3cret&pass"


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith("QA_AUDIT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("QA_AUDIT_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.chdir(tmp_path)
    return monkeypatch


def settings_file(environment: pytest.MonkeyPatch, folder: Path, text: str) -> Path:
    path = folder / "qa-audit.env"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o640)
    environment.setenv("QA_AUDIT_CONFIG", str(path))
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


PRODUCTION = (
    "QA_AUDIT_ENV=production\n"
    f"QA_AUDIT_SECRET_KEY={SECRET}\n"
    f'QA_AUDIT_BACKUP_KEY="{BACKUP}"\n'
    "QA_AUDIT_DATABASE_URL=postgresql+psycopg://qa_audit:s3cret%26pass@db.internal/qa_audit"
    "?sslmode=verify-full&sslrootcert=/etc/ssl/council-ca.pem\n"
    "QA_AUDIT_BASE_URL=https://qa-audit.anytown.gov.uk\n"
    "QA_AUDIT_COUNCIL_NAME=Anytown Borough Council\n"
    "QA_AUDIT_RATELIMIT_STORAGE_URI=redis://:redispass@127.0.0.1:6379/0\n"
    "QA_AUDIT_PASSWORD_SIGN_IN=break-glass-only\n"
    "QA_AUDIT_BREAK_GLASS_ADMINS=it.admin@anytown.gov.uk\n"
)


def test_it_prints_each_setting_with_its_source_and_secrets_masked(
    environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = settings_file(environment, tmp_path, PRODUCTION)
    environment.setenv("QA_AUDIT_SESSION_MINUTES", "20")
    result = run("config", "check")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Settings file: {path}"
    shown = {line.split()[0]: line.split(None, 1)[1] for line in lines[1:-1]}
    assert shown["QA_AUDIT_ENV"] == "production  (file)"
    assert shown["QA_AUDIT_SECRET_KEY"] == "****  (file)"
    assert shown["QA_AUDIT_BACKUP_KEY"] == "****  (file)"
    assert shown["QA_AUDIT_DATABASE_URL"] == (
        "postgresql+psycopg://qa_audit:****@db.internal/qa_audit"
        "?sslmode=verify-full&sslrootcert=/etc/ssl/council-ca.pem  (file)"
    )
    assert shown["QA_AUDIT_RATELIMIT_STORAGE_URI"] == "redis://:****@127.0.0.1:6379/0  (file)"
    assert shown["QA_AUDIT_COUNCIL_NAME"] == "Anytown Borough Council  (file)"
    # A mode, not a secret: IT must be able to read back which sign-in is allowed.
    assert shown["QA_AUDIT_PASSWORD_SIGN_IN"] == "break-glass-only  (file)"
    assert shown["QA_AUDIT_SESSION_MINUTES"] == "20  (environment)"
    assert shown["QA_AUDIT_DB_STATEMENT_TIMEOUT"] == "30  (default)"
    assert shown["QA_AUDIT_RETENTION_MONTHS"] == "0  (default)"
    assert lines[-1] == "The settings can be used (production)."
    for secret in (SECRET, BACKUP, "s3cret", "redispass"):
        assert secret not in result.output


def test_without_settings_it_shows_the_development_defaults(
    environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    result = run("config", "check")
    assert result.exit_code == 0, result.output
    assert "Settings file: none (QA_AUDIT_CONFIG is not set)" in result.stdout
    database = f"sqlite:///{tmp_path / 'instance' / 'qa-audit.sqlite'}  (default)"
    # The names are padded to the longest setting name, whichever that is now.
    assert re.search(rf"QA_AUDIT_DATABASE_URL +{re.escape(database)}", result.stdout)
    assert "The settings can be used (development)." in result.stdout
    assert not (tmp_path / "instance").exists()  # no database, no instance folder


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda text: text.replace("QA_AUDIT_DATABASE_URL", "QA_AUDIT_DATABSE_URL"),
            "Error: The settings file {path} sets QA_AUDIT_DATABSE_URL (did you mean "
            "QA_AUDIT_DATABASE_URL?), which qa-audit does not read. Correct or remove it.",
        ),
        (
            lambda text: text.replace(SECRET, "change-me"),
            "Error: QA_AUDIT_SECRET_KEY must be set to at least 32 random bytes in production",
        ),
        (
            lambda text: "\n".join(
                line for line in text.splitlines() if "DATABASE_URL" not in line
            ),
            "Error: QA_AUDIT_DATABASE_URL must be set in production, for example "
            "postgresql+psycopg://qa_audit@localhost/qa_audit",
        ),
    ],
    ids=["misspelt name", "weak key", "no database"],
)
def test_settings_that_cannot_be_used_exit_1_saying_what_to_change(
    environment: pytest.MonkeyPatch,
    tmp_path: Path,
    change,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    path = settings_file(environment, tmp_path, change(PRODUCTION))
    result = run("config", "check")
    assert result.exit_code == 1
    assert result.stderr.startswith(message.format(path=path))
    assert "Traceback" not in result.output
    assert SECRET not in result.output


@pytest.mark.parametrize(
    "line",
    ["QA_AUDIT_COUNCIL_NAME=St Helens #1 Council", "QA_AUDIT_COUNCIL_NAME=Anytown  # the name"],
)
def test_a_value_cut_short_by_a_comment_is_refused_naming_it(
    environment: pytest.MonkeyPatch, tmp_path: Path, line: str
) -> None:
    """python-dotenv reads ' #' as the start of a comment: the council's name must not
    quietly lose its end."""
    path = settings_file(
        environment,
        tmp_path,
        PRODUCTION.replace("QA_AUDIT_COUNCIL_NAME=Anytown Borough Council", line),
    )
    result = run("config", "check")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: The settings file {path} (named by QA_AUDIT_CONFIG) has a value cut short by "
        "' #', which starts a comment: QA_AUDIT_COUNCIL_NAME (line 6). Put the value in "
        "double quotes"
    )


def test_a_quoted_value_keeps_its_hash(environment: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings_file(
        environment,
        tmp_path,
        PRODUCTION.replace(
            "QA_AUDIT_COUNCIL_NAME=Anytown Borough Council",
            'QA_AUDIT_COUNCIL_NAME="St Helens #1 Council"',
        ),
    )
    result = run("config", "check")
    assert result.exit_code == 0, result.output
    assert "St Helens #1 Council  (file)" in result.stdout


def test_a_settings_file_open_to_others_is_warned_about(
    environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = settings_file(environment, tmp_path, PRODUCTION)
    path.chmod(0o644)
    result = run("config", "check", "--quiet")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.startswith(f"Warning: The settings file {path} is open to others")


def test_development_only_refuses_production_settings_from_a_file(
    environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = settings_file(environment, tmp_path, PRODUCTION)
    result = run("config", "check", "--development-only", "--quiet")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        f"Error: These settings are for production (QA_AUDIT_ENV is production, set in {path})."
    )


def test_development_only_refuses_production_from_the_environment(
    environment: pytest.MonkeyPatch,
) -> None:
    environment.setenv("QA_AUDIT_ENV", "production")  # nothing else: refused before the rest
    result = run("config", "check", "--development-only", "--quiet")
    assert result.exit_code == 1
    assert "Error: These settings are for production (QA_AUDIT_ENV is production)." in (
        result.stderr
    )


def test_development_only_accepts_a_machine_with_no_settings(
    environment: pytest.MonkeyPatch,
) -> None:
    result = run("config", "check", "--development-only", "--quiet")
    assert result.exit_code == 0, result.output
    assert result.output == ""


def test_any_command_tells_a_settings_problem_as_a_sentence(
    environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "etc" / "qa-audit.env"
    environment.setenv("QA_AUDIT_CONFIG", str(missing))
    result = run("db", "current")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: The settings file {missing} (named by QA_AUDIT_CONFIG) does not exist. "
        "Create it or correct QA_AUDIT_CONFIG.\n"
    )


def test_a_dotenv_file_in_the_current_folder_is_not_read(
    environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Flask's command group loads .env and .flaskenv into the environment when python-dotenv
    is installed; settings must come only from QA_AUDIT_CONFIG and the environment."""
    (tmp_path / ".env").write_text("QA_AUDIT_COUNCIL_NAME=Stray Borough Council\n")
    (tmp_path / ".flaskenv").write_text("QA_AUDIT_ENV=production\n")
    result = run("config", "check")
    assert result.exit_code == 0, result.output
    assert "Stray" not in result.stdout
    assert re.search(r"QA_AUDIT_ENV +development  \(default\)", result.stdout)
    assert "QA_AUDIT_COUNCIL_NAME" not in os.environ


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql+psycopg://qa:pw@db/qa", "postgresql+psycopg://qa:****@db/qa"),
        ("postgresql+psycopg://qa:p@ss@db:5433/qa", "postgresql+psycopg://qa:****@db:5433/qa"),
        (
            "postgresql+psycopg://qa@db/qa?password=pw&sslmode=require",
            "postgresql+psycopg://qa@db/qa?password=****&sslmode=require",
        ),
        ("smtp://relay.internal:25", "smtp://relay.internal:25"),
        ("sqlite:////var/lib/qa-audit/db.sqlite", "sqlite:////var/lib/qa-audit/db.sqlite"),
    ],
)
def test_passwords_inside_urls_are_masked(url: str, shown: str) -> None:
    assert mask_url(url) == shown
