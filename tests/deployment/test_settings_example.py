"""deploy/qa-audit.env.example: the application reads it with its own loader, `qa-audit config
check` refuses it until its placeholders are replaced and accepts it after, and every setting
qa-audit reads is in it, in the deployment guide and in the README (so the three keep in step)."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa_audit.cli import main
from qa_audit.core import config as config_module
from qa_audit.core.config import Config
from tests.deployment.files import GUIDE, README, SETTINGS_EXAMPLE

# The test suite's own database, not a setting of the service.
NOT_SETTINGS = {"QA_AUDIT_TEST_DATABASE_URL"}


def settings_read() -> set[str]:
    source = Path(config_module.__file__).read_text(encoding="utf-8")
    return set(re.findall(r"\"(QA_AUDIT_[A-Z_]+)\"", source)) - NOT_SETTINGS


def filled_in(tmp_path: Path) -> Path:
    """The example with a council's values in place of its placeholders."""
    text = SETTINGS_EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("paste-64-hex-characters-from-your-secret-store", secrets.token_hex(32))
    text = text.replace(
        "paste-another-64-hex-characters-from-your-secret-store", secrets.token_hex(32)
    )
    # The password in the URL rather than in ~/.pgpass, URL-encoded.
    text = text.replace("qa_audit@db.internal", "qa_audit:a%40long%26random%20password@db.internal")
    text = text.replace("/var/lib/qa-audit", str(tmp_path))
    path = tmp_path / "qa-audit.env"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o640)
    return path


@pytest.fixture
def only_the_file(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No QA_AUDIT_* variable but the file's name: the file alone must configure the service."""
    for name in [n for n in os.environ if n.startswith("QA_AUDIT_")]:
        monkeypatch.delenv(name)
    return monkeypatch


def test_every_setting_is_in_the_example_the_guide_and_the_readme() -> None:
    names = settings_read()
    assert {"QA_AUDIT_SECRET_KEY", "QA_AUDIT_DATABASE_URL"} <= names
    example = SETTINGS_EXAMPLE.read_text(encoding="utf-8")
    guide = GUIDE.read_text(encoding="utf-8")
    readme = README.read_text(encoding="utf-8")
    for document, text in [("example", example), ("guide", guide), ("README", readme)]:
        missing = sorted(name for name in names if not re.search(rf"\b{name}\b", text))
        assert not missing, f"the {document} does not mention {missing}"


def test_the_example_is_read_by_the_application_spaces_and_ampersand_included(
    tmp_path: Path, only_the_file: pytest.MonkeyPatch
) -> None:
    only_the_file.setenv("QA_AUDIT_CONFIG", str(filled_in(tmp_path)))
    config = Config()
    config.check()
    assert config.ENV == "production"
    assert config.COUNCIL_NAME == "Anytown & District Borough Council"
    assert config.SQLALCHEMY_DATABASE_URI.endswith(
        "?sslmode=verify-full&sslrootcert=/etc/qa-audit/db-ca.pem"
    )
    assert config.BASE_URL == "https://qa-audit.example.gov.uk"
    assert config.PROXY_HOPS == 1
    assert str(tmp_path) == config.INSTANCE_PATH


def test_config_check_refuses_the_placeholders_and_accepts_the_filled_in_file(
    tmp_path: Path, only_the_file: pytest.MonkeyPatch
) -> None:
    shipped = tmp_path / "shipped.env"
    shipped.write_text(SETTINGS_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    shipped.chmod(0o640)
    only_the_file.setenv("QA_AUDIT_CONFIG", str(shipped))
    refused = CliRunner().invoke(main, ["config", "check"])
    assert refused.exit_code != 0
    assert "QA_AUDIT_SECRET_KEY" in refused.output

    only_the_file.setenv("QA_AUDIT_CONFIG", str(filled_in(tmp_path)))
    accepted = CliRunner().invoke(main, ["config", "check"])
    assert accepted.exit_code == 0, accepted.output
    assert "a%40long" not in accepted.output  # the database password is masked
