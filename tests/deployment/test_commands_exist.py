"""Every qa-audit command the deployment files and the deployment guide run exists, with the
options they give it: a guide read literally on a server must not meet "No such command"."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qa_audit.cli import main
from tests.deployment.files import (
    CRON,
    GUIDE,
    SYSTEMD,
    code_in_markdown,
    qa_audit_commands,
)


def commands_named() -> list[tuple[str, ...]]:
    texts = [CRON.read_text(encoding="utf-8"), code_in_markdown(GUIDE.read_text(encoding="utf-8"))]
    texts += [unit.read_text(encoding="utf-8") for unit in SYSTEMD.glob("*.service")]
    return sorted(set().union(*(qa_audit_commands(text) for text in texts)))


def test_the_deployment_files_and_the_guide_run_the_commands_that_matter() -> None:
    named = commands_named()
    for expected in [("backup",), ("db", "check"), ("logs", "verify"), ("config", "check")]:
        assert expected in named


@pytest.mark.parametrize("words", commands_named(), ids=" ".join)
def test_the_command_exists_with_its_options(
    words: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QA_AUDIT_CONFIG", raising=False)
    monkeypatch.setenv("QA_AUDIT_DATABASE_URL", f"sqlite:///{tmp_path / 'help.sqlite'}")
    monkeypatch.setenv("QA_AUDIT_INSTANCE_PATH", str(tmp_path))
    command = [word for word in words if not word.startswith("-")]
    options = [word for word in words if word.startswith("-")]
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    for option in options:
        assert option in result.output, f"qa-audit {' '.join(command)} has no {option}"
