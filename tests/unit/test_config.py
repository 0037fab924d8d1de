"""Settings from the environment; production refuses to start without a real secret key."""

from __future__ import annotations

import pytest

from qa_audit import create_app
from qa_audit.core.config import DEFAULT_SECRET_KEY, Config, ConfigError


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> pytest.MonkeyPatch:  # type: ignore[no-untyped-def]
    for name in ("QA_AUDIT_ENV", "QA_AUDIT_SECRET_KEY", "QA_AUDIT_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QA_AUDIT_INSTANCE_PATH", str(tmp_path))
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
    environment.setenv("QA_AUDIT_SECRET_KEY", "x" * 64)
    environment.setenv("QA_AUDIT_DATABASE_URL", "postgresql+psycopg://qa@db.internal/qa_audit")
    environment.setenv("QA_AUDIT_SESSION_MINUTES", "20")
    config = Config()
    config.check()
    assert config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://qa@db.internal/qa_audit"
    assert config.SESSION_COOKIE_SECURE is True
    assert config.SESSION_IDLE_TIMEOUT.total_seconds() == 20 * 60
