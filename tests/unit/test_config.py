"""Settings from the environment; production refuses to start without a real secret key,
and QA_AUDIT_ENV takes only the values it knows."""

from __future__ import annotations

import re
import secrets

import pytest

from qa_audit import create_app
from qa_audit.core.config import DEFAULT_SECRET_KEY, ROOT, Config, ConfigError


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> pytest.MonkeyPatch:  # type: ignore[no-untyped-def]
    for name in ("QA_AUDIT_ENV", "QA_AUDIT_SECRET_KEY", "QA_AUDIT_BACKUP_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("QA_AUDIT_DATABASE_URL", raising=False)
    monkeypatch.delenv("QA_AUDIT_CONFIG", raising=False)
    monkeypatch.setenv("QA_AUDIT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("QA_AUDIT_BASE_URL", "https://qa-audit.anytown.gov.uk")
    return monkeypatch


def test_development_defaults_to_embedded_sqlite(environment, tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = Config()
    assert config.ENV == "development"
    assert f"sqlite:///{tmp_path / 'qa-audit.sqlite'}" == config.SQLALCHEMY_DATABASE_URI
    assert config.SECRET_KEY == DEFAULT_SECRET_KEY
    assert config.SESSION_COOKIE_SECURE is False
    config.check()  # development may use the default key


@pytest.mark.parametrize("secret", [None, "", DEFAULT_SECRET_KEY])
def test_production_refuses_a_missing_or_default_secret_key(environment, secret) -> None:  # type: ignore[no-untyped-def]
    environment.setenv("QA_AUDIT_ENV", "production")
    if secret is not None:
        environment.setenv("QA_AUDIT_SECRET_KEY", secret)
    with pytest.raises(ConfigError, match="QA_AUDIT_SECRET_KEY must be set"):
        create_app(Config())


def test_production_with_a_secret_key_and_postgres(environment) -> None:  # type: ignore[no-untyped-def]
    environment.setenv("QA_AUDIT_ENV", "production")
    environment.setenv("QA_AUDIT_SECRET_KEY", secrets.token_hex(32))
    environment.setenv("QA_AUDIT_DATABASE_URL", "postgresql+psycopg://qa@db.internal/qa_audit")
    environment.setenv("QA_AUDIT_SESSION_MINUTES", "20")
    config = Config()
    config.check()
    assert config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://qa@db.internal/qa_audit"
    assert config.SESSION_COOKIE_SECURE is True
    assert config.SESSION_IDLE_TIMEOUT.total_seconds() == 20 * 60


def guide_placeholders() -> list[str]:
    """The keys the deployment guide's example settings file shows."""
    guide = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    found = re.findall(r"^QA_AUDIT_[A-Z]+_KEY=(\S+)$", guide, re.MULTILINE)
    assert len(found) == 2
    return found


@pytest.mark.parametrize(
    ("secret", "reason"),
    [
        ("a", "it is 1 hexadecimal characters long, fewer than 64"),
        (secrets.token_hex(16), "it is 32 hexadecimal characters long, fewer than 64"),
        (secrets.token_urlsafe(16), "characters long, fewer than 43"),
        ("x" * 64, "repeats too few different characters"),
        ("correct-horse" * 4, "repeats too few different characters"),
        *((example, "an example published with qa-audit") for example in guide_placeholders()),
        (DEFAULT_SECRET_KEY.upper(), "an example published with qa-audit"),
    ],
)
def test_production_refuses_a_short_guessable_or_published_secret_key(
    environment: pytest.MonkeyPatch, secret: str, reason: str
) -> None:
    environment.setenv("QA_AUDIT_ENV", "production")
    environment.setenv("QA_AUDIT_SECRET_KEY", secret)
    with pytest.raises(ConfigError, match="QA_AUDIT_SECRET_KEY must be set") as refused:
        create_app(Config())
    assert reason in str(refused.value)
    assert "secrets.token_hex(32)" in str(refused.value)


@pytest.mark.parametrize("secret", [secrets.token_hex(32), secrets.token_urlsafe(32)])
def test_production_accepts_32_random_bytes_in_hex_or_url_safe_form(
    environment: pytest.MonkeyPatch, secret: str
) -> None:
    environment.setenv("QA_AUDIT_ENV", "production")
    environment.setenv("QA_AUDIT_SECRET_KEY", secret)
    environment.setenv("QA_AUDIT_DATABASE_URL", "postgresql+psycopg://qa@db.internal/qa_audit")
    Config().check()


def test_production_checks_a_backup_key_when_one_is_set(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("QA_AUDIT_ENV", "production")
    environment.setenv("QA_AUDIT_DATABASE_URL", "postgresql+psycopg://qa@db.internal/qa_audit")
    environment.setenv("QA_AUDIT_SECRET_KEY", secrets.token_hex(32))
    for weak in ("backup", *guide_placeholders()):
        environment.setenv("QA_AUDIT_BACKUP_KEY", weak)
        with pytest.raises(ConfigError, match="QA_AUDIT_BACKUP_KEY must be set"):
            Config().check()
    environment.setenv("QA_AUDIT_BACKUP_KEY", secrets.token_urlsafe(32))
    Config().check()


@pytest.mark.parametrize("value", ["Production", " production ", "PRODUCTION\n", "Production "])
def test_environment_is_read_trimmed_and_in_any_case(
    environment: pytest.MonkeyPatch, value: str
) -> None:
    environment.setenv("QA_AUDIT_ENV", value)
    environment.setenv("QA_AUDIT_SECRET_KEY", "a")
    config = Config()
    assert config.ENV == "production"
    assert config.SESSION_COOKIE_SECURE is True
    with pytest.raises(ConfigError, match="QA_AUDIT_SECRET_KEY must be set"):
        config.check()
    environment.setenv("QA_AUDIT_ENV", " Development")
    assert Config().ENV == "development"


@pytest.mark.parametrize("value", ["prod", "live", "", "dev", "test", "production-eu"])
def test_unknown_environment_is_refused_at_start_up(
    environment: pytest.MonkeyPatch, value: str
) -> None:
    environment.setenv("QA_AUDIT_ENV", value)
    message = f"QA_AUDIT_ENV must be development or production (it is {value!r})."
    with pytest.raises(ConfigError, match=re.escape(message)):
        create_app(Config())


def test_retention_months_is_a_whole_number_and_off_by_default(
    environment: pytest.MonkeyPatch,
) -> None:
    environment.delenv("QA_AUDIT_RETENTION_MONTHS", raising=False)
    assert Config().RETENTION_MONTHS == 0
    environment.setenv("QA_AUDIT_RETENTION_MONTHS", "84")
    assert Config().RETENTION_MONTHS == 84
    environment.setenv("QA_AUDIT_RETENTION_MONTHS", "seven years")
    with pytest.raises(ConfigError, match="QA_AUDIT_RETENTION_MONTHS must be a whole number"):
        Config()
