"""The deployment files in deploy/, read as a council installs them: the systemd units'
commands, the cron lines, the settings example and the qa-audit commands they all run."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX_SITE = DEPLOY / "nginx" / "qa-audit.conf"
SETTINGS_EXAMPLE = DEPLOY / "qa-audit.env.example"
SYSTEMD = DEPLOY / "systemd"
CRON = DEPLOY / "cron" / "qa-audit"
GUIDE = ROOT / "docs" / "deployment.md"
README = ROOT / "README.md"
# Where the guide installs the virtual environment; the tests put the project's own in its place.
INSTALLED_VENV = "/opt/qa-audit/venv"
QA_AUDIT = f"{INSTALLED_VENV}/bin/qa-audit"


def unit_lines(unit: Path) -> list[tuple[str, str]]:
    """A unit file's KEY=value lines, continuation lines joined, comments left out."""
    joined = re.sub(r"\\\n\s*", " ", unit.read_text(encoding="utf-8"))
    lines = []
    for line in joined.splitlines():
        if line.strip() and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            lines.append((key.strip(), value.strip()))
    return lines


def unit_commands(unit: Path, key: str) -> list[list[str]]:
    """The argument lists of a unit's ExecStart (or ExecStartPre, ...) lines."""
    return [shlex.split(value) for name, value in unit_lines(unit) if name == key]


@dataclass(frozen=True)
class CronJob:
    schedule: list[str]
    user: str
    command: str


def cron_file(commented: bool = False) -> tuple[dict[str, str], list[CronJob]]:
    """The cron file's environment lines and jobs (/etc/cron.d format: five time fields, a user);
    with ``commented``, also the jobs shipped commented out for a council to turn on."""
    environment: dict[str, str] = {}
    jobs = []
    for text in CRON.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"^# (?=(?:[0-9*,/-]+\s+){5}\S)", "", text) if commented else text
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if re.match(r"^[A-Z_]+=", line):
            name, _, value = line.partition("=")
            environment[name] = value
            continue
        fields = line.split(None, 6)
        jobs.append(CronJob(schedule=fields[:5], user=fields[5], command=fields[6]))
    return environment, jobs


def qa_audit_commands(text: str) -> set[tuple[str, ...]]:
    """Each qa-audit command run in ``text`` (a shell line, a unit's command, a code block): its
    subcommand words and options up to the first other argument (`qa-audit logs verify`,
    `qa-audit retention --dry-run`). A command starts a line or follows a shell operator, a
    path (`venv/bin/qa-audit`) or `sudo -u qa-audit`; the account's name elsewhere is no command."""
    found = set()
    start = r"(?:^|&&|\|\||;|\||\$\(|`|bin/|-u qa-audit)[ \t]*"
    for match in re.finditer(
        start + r"qa-audit((?: +-{0,2}[a-z][a-z-]*(?=[\s'\"`;)|&>]|$))+)", text, re.MULTILINE
    ):
        words = tuple(match.group(1).split())
        found.add(words)
    return found


def code_in_markdown(text: str) -> str:
    """The fenced code blocks and inline code spans of a markdown document, a line each."""
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    without_blocks = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    spans = re.findall(r"`([^`\n]+)`", without_blocks)
    return "\n".join(blocks + spans)
