"""Where the service is reached: the base URL for e-mail links (required in production), the
hosts answered, the reverse proxies believed (issue 13, findings 10 and 11)."""

from __future__ import annotations

import pytest

from qa_audit.core.config import DEVELOPMENT_BASE_URL, Config, ConfigError

NAMES = (
    "QA_AUDIT_ENV",
    "QA_AUDIT_SECRET_KEY",
    "QA_AUDIT_BASE_URL",
    "QA_AUDIT_TRUSTED_HOSTS",
    "QA_AUDIT_PROXY_HOPS",
)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> pytest.MonkeyPatch:  # type: ignore[no-untyped-def]
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QA_AUDIT_INSTANCE_PATH", str(tmp_path))
    return monkeypatch


@pytest.fixture
def production(environment: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    environment.setenv("QA_AUDIT_ENV", "production")
    environment.setenv("QA_AUDIT_DATABASE_URL", "postgresql+psycopg://qa@db.internal/qa_audit")
    environment.setenv(
        "QA_AUDIT_SECRET_KEY", "3f9c1a7e5b2d8f04c6e1a9b7d3f5e2c8a0b4d6f8e1c3a5b7d9f0e2c4a6b8d0f2"
    )
    return environment


def test_development_links_to_the_local_server_and_answers_any_host(environment) -> None:  # type: ignore[no-untyped-def]
    config = Config()
    assert config.BASE_URL == DEVELOPMENT_BASE_URL == "http://127.0.0.1:5000"
    assert config.TRUSTED_HOSTS is None
    assert config.PROXY_HOPS == 0
    config.check()


@pytest.mark.parametrize("base_url", [None, "", "qa-audit.example.gov.uk", "ftp://x.example"])
def test_production_requires_a_base_url(production, base_url) -> None:  # type: ignore[no-untyped-def]
    if base_url is not None:
        production.setenv("QA_AUDIT_BASE_URL", base_url)
    with pytest.raises(ConfigError, match="QA_AUDIT_BASE_URL must be set"):
        Config().check()


def test_production_answers_only_the_base_urls_host_by_default(production) -> None:  # type: ignore[no-untyped-def]
    production.setenv("QA_AUDIT_BASE_URL", "https://qa-audit.example.gov.uk/")
    config = Config()
    config.check()
    assert config.BASE_URL == "https://qa-audit.example.gov.uk"
    assert config.TRUSTED_HOSTS == ["qa-audit.example.gov.uk"]


def test_trusted_hosts_and_proxy_hops_as_configured(production) -> None:  # type: ignore[no-untyped-def]
    production.setenv("QA_AUDIT_BASE_URL", "https://qa-audit.example.gov.uk")
    production.setenv("QA_AUDIT_TRUSTED_HOSTS", " qa-audit.example.gov.uk, .council.example ,")
    production.setenv("QA_AUDIT_PROXY_HOPS", " 2 ")
    config = Config()
    assert config.TRUSTED_HOSTS == ["qa-audit.example.gov.uk", ".council.example"]
    assert config.PROXY_HOPS == 2


@pytest.mark.parametrize("hops", ["-1", "one", "1.5"])
def test_proxy_hops_must_be_a_whole_number(environment, hops) -> None:  # type: ignore[no-untyped-def]
    environment.setenv("QA_AUDIT_PROXY_HOPS", hops)
    with pytest.raises(ConfigError, match="QA_AUDIT_PROXY_HOPS must be a whole number"):
        Config()
