"""The settings file named by QA_AUDIT_CONFIG (systemd EnvironmentFile syntax), read by the
application itself: values with spaces and '&' arrive whole, quoted or not; the environment
wins over the file; a file that is missing, unreadable, malformed or names a setting that does
not exist is refused, never quietly ignored (issue 14, finding 1)."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

import pytest

from qa_audit import create_app
from qa_audit.core.config import Config, ConfigError
from qa_audit.core.settings import Settings, Source

COUNCIL = "Example Borough Council"
DATABASE = "postgresql+psycopg://qa@db/qa?sslmode=verify-full&sslrootcert=/etc/ssl/x.pem"


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith("QA_AUDIT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("QA_AUDIT_INSTANCE_PATH", str(tmp_path / "instance"))
    return monkeypatch


def settings_file(environment: pytest.MonkeyPatch, folder: Path, text: str) -> Path:
    path = folder / "qa-audit.env"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o640)
    environment.setenv("QA_AUDIT_CONFIG", str(path))
    return path


@pytest.mark.parametrize("quote", ["", '"', "'"], ids=["unquoted", "double", "single"])
def test_values_with_spaces_and_ampersands_arrive_whole_quoted_or_not(
    environment: pytest.MonkeyPatch, tmp_path: Path, quote: str
) -> None:
    settings_file(
        environment,
        tmp_path,
        "# /etc/qa-audit/qa-audit.env\n"
        f"QA_AUDIT_COUNCIL_NAME={quote}{COUNCIL}{quote}\n"
        "\n"
        f"QA_AUDIT_DATABASE_URL={quote}{DATABASE}{quote}\n"
        f"QA_AUDIT_SESSION_MINUTES={quote}20{quote}\n",
    )
    config = Config()
    assert config.COUNCIL_NAME == COUNCIL
    assert config.SQLALCHEMY_DATABASE_URI == DATABASE
    assert config.SESSION_IDLE_TIMEOUT.total_seconds() == 20 * 60
    assert config.settings.source("QA_AUDIT_COUNCIL_NAME") is Source.FILE
    assert config.settings.source("QA_AUDIT_SERVICE_NAME") is Source.DEFAULT
    # Read into the settings, not into the process environment.
    assert "QA_AUDIT_COUNCIL_NAME" not in os.environ


def test_a_dollar_sign_is_kept_as_written(environment: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A password may hold '$': nothing is expanded, as in systemd's EnvironmentFile.
    settings_file(environment, tmp_path, "QA_AUDIT_MAIL_FROM=qa$HOME${USER}@anytown.gov.uk\n")
    assert Config().MAIL_FROM == "qa$HOME${USER}@anytown.gov.uk"


def test_the_environment_wins_over_the_file(
    environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings_file(environment, tmp_path, "QA_AUDIT_COUNCIL_NAME=From the file\n")
    environment.setenv("QA_AUDIT_COUNCIL_NAME", "From the environment")
    config = Config()
    assert config.COUNCIL_NAME == "From the environment"
    assert config.settings.source("QA_AUDIT_COUNCIL_NAME") is Source.ENVIRONMENT


def test_production_settings_from_the_file_start_the_application(
    environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    database = tmp_path / "live.sqlite"
    settings_file(
        environment,
        tmp_path,
        "QA_AUDIT_ENV=production\n"
        f"QA_AUDIT_SECRET_KEY={secrets.token_hex(32)}\n"
        f"QA_AUDIT_DATABASE_URL=sqlite:///{database}\n"
        "QA_AUDIT_BASE_URL=https://qa-audit.anytown.gov.uk\n"
        f"QA_AUDIT_COUNCIL_NAME={COUNCIL}\n",
    )
    app = create_app()
    assert app.config["ENV"] == "production"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{database}"
    assert app.config["COUNCIL_NAME"] == COUNCIL


def test_a_missing_settings_file_is_refused_by_name(
    environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere" / "qa-audit.env"
    environment.setenv("QA_AUDIT_CONFIG", str(missing))
    with pytest.raises(ConfigError, match=f"The settings file {missing} .* does not exist"):
        create_app()


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda path: path.mkdir(), "cannot be read"),
        (lambda path: path.write_bytes(b"QA_AUDIT_COUNCIL_NAME=Caf\xe9\n"), "is not UTF-8 text"),
        (lambda path: path.write_text("QA_AUDIT_ENV=production\nnot a setting\n"), "line 2"),
        (lambda path: path.write_text("QA_AUDIT_ENV\n"), "names QA_AUDIT_ENV without '='"),
    ],
    ids=["a folder", "not utf-8", "a line without =", "a name alone"],
)
def test_a_settings_file_that_cannot_be_read_whole_is_refused(
    environment: pytest.MonkeyPatch,
    tmp_path: Path,
    make,
    problem: str,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "qa-audit.env"
    make(path)
    environment.setenv("QA_AUDIT_CONFIG", str(path))
    with pytest.raises(ConfigError, match=f"The settings file {path}") as refused:
        Config()
    assert problem in str(refused.value)


def test_a_misspelt_setting_in_the_file_is_refused_with_a_suggestion(
    environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = settings_file(
        environment, tmp_path, f"QA_AUDIT_DATABSE_URL={DATABASE}\nQA_AUDIT_COLOUR=blue\n"
    )
    with pytest.raises(ConfigError) as refused:
        Config()
    assert str(refused.value) == (
        f"The settings file {path} sets QA_AUDIT_DATABSE_URL (did you mean "
        "QA_AUDIT_DATABASE_URL?), QA_AUDIT_COLOUR, which qa-audit does not read. "
        "Correct or remove them."
    )


def test_other_variables_in_the_file_are_left_to_the_process_environment(
    environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings_file(environment, tmp_path, "PGSSLMODE=verify-full\nQA_AUDIT_ENV=development\n")
    assert Config().ENV == "development"
    assert "PGSSLMODE" not in Settings().file


@pytest.mark.parametrize("mode", [0o644, 0o660, 0o604])
def test_a_settings_file_open_to_others_is_warned_about(
    environment: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture, mode: int
) -> None:
    path = settings_file(environment, tmp_path, "QA_AUDIT_ENV=development\n")
    path.chmod(mode)
    with caplog.at_level(logging.WARNING):
        settings = Config().settings
    assert settings.warnings == [caplog.records[-1].getMessage()]
    assert f"The settings file {path} is open to others" in settings.warnings[0]
    assert f"chmod 0640 {path}" in settings.warnings[0]


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o400])
def test_a_settings_file_for_owner_and_group_only_is_not_warned_about(
    environment: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture, mode: int
) -> None:
    path = settings_file(environment, tmp_path, "QA_AUDIT_ENV=development\n")
    path.chmod(mode)
    with caplog.at_level(logging.WARNING):
        assert Config().settings.warnings == []
    assert not caplog.records


@pytest.mark.parametrize("database_url", [None, "", "  "])
def test_production_refuses_to_start_without_a_database_url(
    environment: pytest.MonkeyPatch, tmp_path: Path, database_url: str | None
) -> None:
    """Without one, production made and migrated a new SQLite file under instance/."""
    text = (
        "QA_AUDIT_ENV=production\n"
        f"QA_AUDIT_SECRET_KEY={secrets.token_hex(32)}\n"
        "QA_AUDIT_BASE_URL=https://qa-audit.anytown.gov.uk\n"
    )
    if database_url is not None:
        text += f"QA_AUDIT_DATABASE_URL={database_url}\n"
    settings_file(environment, tmp_path, text)
    with pytest.raises(ConfigError, match="QA_AUDIT_DATABASE_URL must be set in production"):
        create_app()
    assert not (tmp_path / "instance").exists()


def test_development_without_a_database_url_uses_the_embedded_sqlite_file(
    environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    environment.setenv("QA_AUDIT_DATABASE_URL", "")
    config = Config()
    config.check()
    assert (
        f"sqlite:///{tmp_path / 'instance' / 'qa-audit.sqlite'}" == config.SQLALCHEMY_DATABASE_URI
    )
