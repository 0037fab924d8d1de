"""The QA_AUDIT_OIDC_* settings: read like every other setting (listed by `qa-audit config
check`, the client secret masked, a misspelt name refused), and checked before the service
starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_audit.core.config import Config
from qa_audit.core.config_command import MASK, describe
from qa_audit.core.settings import ConfigError, Settings

ISSUER = "https://login.microsoftonline.com/0d1c2e3f-aaaa-bbbb-cccc-123456789abc/v2.0"


def config_from(environ: dict[str, str]) -> Config:
    return Config(Settings({"QA_AUDIT_BASE_URL": "https://qa.example.gov.uk", **environ}))


def test_single_sign_on_is_off_until_an_issuer_is_set() -> None:
    config = config_from({})
    assert config.OIDC_ISSUER == ""
    assert config.OIDC_SCOPES == "openid email profile"
    assert (config.OIDC_SUBJECT_CLAIM, config.OIDC_EMAIL_CLAIM) == ("sub", "email")
    assert config.OIDC_EMAIL_VERIFIED_CLAIM == "email_verified"
    assert config.OIDC_GROUPS_CLAIM == "groups"
    assert not config.OIDC_TRUST_EMAIL
    assert not config.OIDC_CREATE_ACCOUNTS
    config.check()


def test_config_check_lists_the_settings_with_the_client_secret_masked() -> None:
    config = config_from(
        {
            "QA_AUDIT_OIDC_ISSUER": ISSUER + "/",
            "QA_AUDIT_OIDC_CLIENT_ID": "6a1b2c3d-client",
            "QA_AUDIT_OIDC_CLIENT_SECRET": "Qx8~not-to-be-printed",
            "QA_AUDIT_OIDC_TRUST_EMAIL": "yes",
        }
    )
    assert config.OIDC_ISSUER == ISSUER  # the trailing slash dropped: it must match exactly
    assert config.OIDC_TRUST_EMAIL
    rows = {name: value for name, value, _source in describe(config)}
    assert rows["QA_AUDIT_OIDC_CLIENT_SECRET"] == MASK
    assert rows["QA_AUDIT_OIDC_CLIENT_ID"] == "6a1b2c3d-client"
    assert rows["QA_AUDIT_OIDC_ISSUER"] == ISSUER + "/"
    assert "QA_AUDIT_OIDC_GROUPS_CLAIM" in rows
    config.check()


def test_an_issuer_without_a_client_id_is_refused() -> None:
    config = config_from({"QA_AUDIT_OIDC_ISSUER": ISSUER})
    with pytest.raises(ConfigError, match="QA_AUDIT_OIDC_CLIENT_ID must be set"):
        config.check()


def test_production_needs_an_https_issuer() -> None:
    config = config_from(
        {
            "QA_AUDIT_OIDC_ISSUER": "http://idp.example.gov.uk",
            "QA_AUDIT_OIDC_CLIENT_ID": "client",
        }
    )
    config.ENV = "production"
    with pytest.raises(ConfigError, match="https://"):
        config._check_single_sign_on()


def test_a_misspelt_setting_in_the_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "qa-audit.env"
    path.write_text("QA_AUDIT_OIDC_CLIENT_SECRT=x\n")
    with pytest.raises(ConfigError, match="did you mean QA_AUDIT_OIDC_CLIENT_SECRET"):
        Config(Settings({"QA_AUDIT_CONFIG": str(path)}))


def test_timeouts_must_be_whole_numbers() -> None:
    with pytest.raises(ConfigError, match="QA_AUDIT_OIDC_TIMEOUT must be a whole number"):
        config_from({"QA_AUDIT_OIDC_TIMEOUT": "five"})
