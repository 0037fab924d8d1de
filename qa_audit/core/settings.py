"""Where settings come from: the settings file named by QA_AUDIT_CONFIG, then environment
variables, which win over it.

The file is in systemd's EnvironmentFile syntax (KEY=value lines, `#` comments, values quoted
or not) and is read by python-dotenv, the same way by gunicorn, the command line and cron. It
is read here, into a mapping, rather than loaded into the process environment: a shell's
``set -a; . file`` split the council's name at its spaces and cut a database URL at its `&`,
and production then quietly made a new SQLite file. Nothing here changes os.environ."""

from __future__ import annotations

import difflib
import getpass
import io
import logging
import os
import stat
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path

from dotenv import dotenv_values
from dotenv.parser import parse_stream

PREFIX = "QA_AUDIT_"
CONFIG_FILE = "QA_AUDIT_CONFIG"
# The file holds the secret key and the database password: its owner (root) writes it, its
# group (the service account's) reads it, nobody else may do either.
LOOSE_MODE = stat.S_IWGRP | stat.S_IRWXO

log = logging.getLogger(__name__)


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says what to change."""


class Source(StrEnum):
    """Where a setting's value came from."""

    FILE = "file"
    ENVIRONMENT = "environment"
    DEFAULT = "default"


def _unparsed_lines(text: str) -> list[int]:
    return [b.original.line for b in parse_stream(io.StringIO(text)) if b.error]


def _cut_at_a_comment(text: str) -> list[tuple[int, str]]:
    """(line, name) of each unquoted value that a space and `#` cut short: python-dotenv takes
    the rest for a comment, so "St Helens #1 Council" would quietly become "St Helens"."""
    cut = []
    for binding in parse_stream(io.StringIO(text)):
        if binding.key is None or binding.value is None:
            continue
        written = binding.original.string.split("=", 1)[1].strip()
        if written[:1] not in ("'", '"') and written != binding.value:
            cut.append((binding.original.line, binding.key))
    return cut


def read_settings_file(path: Path) -> dict[str, str]:
    """The QA_AUDIT_* settings in ``path``; a ConfigError naming the file when it cannot be
    read or a line of it cannot be understood (a setting must never be dropped quietly)."""
    where = f"The settings file {path} (named by {CONFIG_FILE})"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{where} does not exist. Create it or correct {CONFIG_FILE}.") from None
    except PermissionError:
        raise ConfigError(
            f"{where} cannot be read by the account {getpass.getuser()}. Make it readable "
            "by the service account's group (chmod 0640, group qa-audit) and run as that account."
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(f"{where} is not UTF-8 text.") from None
    except OSError as error:
        raise ConfigError(f"{where} cannot be read: {error.strerror}.") from None
    unparsed = _unparsed_lines(text)
    if unparsed:
        lines = ", ".join(str(n) for n in unparsed)
        raise ConfigError(
            f"{where} has lines that are not KEY=value settings or # comments: line {lines}."
        )
    cut = _cut_at_a_comment(text)
    if cut:
        named = ", ".join(f"{key} (line {line})" for line, key in cut)
        raise ConfigError(
            f"{where} has a value cut short by ' #', which starts a comment: {named}. "
            'Put the value in double quotes, for example QA_AUDIT_COUNCIL_NAME="St Helens #1 '
            'Council", or move the comment to a line of its own.'
        )
    values = dotenv_values(stream=io.StringIO(text), interpolate=False)
    bare = [key for key, value in values.items() if value is None]
    if bare:
        raise ConfigError(f"{where} names {', '.join(bare)} without '=' and a value.")
    # Other variables (for example libpq's PG*) are the process environment's business.
    return {
        key: value for key, value in values.items() if key.startswith(PREFIX) and value is not None
    }


def loose_mode_warning(path: Path) -> str | None:
    """A warning when others may read the settings file or its group may change it."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if not mode & LOOSE_MODE:
        return None
    return (
        f"The settings file {path} is open to others ({stat.filemode(mode)}) but holds "
        "secrets (the secret key, the database password): make it readable by its owner and "
        f"group only, for example chmod 0640 {path} (owner root, group qa-audit)."
    )


class Settings:
    """The QA_AUDIT_* settings: the file named by QA_AUDIT_CONFIG, overridden by environment
    variables that are set. Remembers every name asked for, with its default, so that names in
    the file nobody asks for are refused and `qa-audit config check` can show each one."""

    def __init__(self, environ: Mapping[str, str] | None = None, *, quiet: bool = False) -> None:
        """``quiet``: keep warnings in ``warnings`` for the caller to show, not in the log."""
        environ = os.environ if environ is None else environ
        self.path: Path | None = None
        self.file: dict[str, str] = {}
        self.warnings: list[str] = []
        name = environ.get(CONFIG_FILE, "").strip()
        if name:
            self.path = Path(name)
            self.file = read_settings_file(self.path)
            warning = loose_mode_warning(self.path)
            if warning:
                self.warnings.append(warning)
                if not quiet:
                    log.warning(warning)
        self.environment = {k: v for k, v in environ.items() if k.startswith(PREFIX)}
        self.asked: dict[str, str | None] = {}

    def get(self, name: str, default: str | None = None) -> str | None:
        self.asked[name] = default
        if name in self.environment:
            return self.environment[name]
        return self.file.get(name, default)

    def value(self, name: str, default: str) -> str:
        """The setting, or ``default`` when neither the environment nor the file sets it."""
        found = self.get(name, default)
        return default if found is None else found

    def source(self, name: str) -> Source:
        if name in self.environment:
            return Source.ENVIRONMENT
        if name in self.file:
            return Source.FILE
        return Source.DEFAULT

    def is_set(self, name: str) -> bool:
        return self.source(name) is not Source.DEFAULT

    def refuse_unknown(self) -> None:
        """A name in the file that no setting reads is most likely a typo, whose setting would
        otherwise quietly keep its default (QA_AUDIT_DATABSE_URL: a new SQLite file)."""
        unknown = [name for name in self.file if name not in self.asked]
        if not unknown:
            return
        # Compared without the prefix every name shares, which would make any two look alike.
        known = {name.removeprefix(PREFIX): name for name in self.asked}
        described = []
        for name in unknown:
            near = difflib.get_close_matches(name.removeprefix(PREFIX), known, n=1, cutoff=0.75)
            described.append(f"{name} (did you mean {known[near[0]]}?)" if near else name)
        raise ConfigError(
            f"The settings file {self.path} sets {', '.join(described)}, which qa-audit does "
            "not read. Correct or remove " + ("it." if len(unknown) == 1 else "them.")
        )

    def unknown_in_environment(self) -> list[str]:
        """QA_AUDIT_* environment variables no setting reads (the test suite's own, a typo)."""
        return [name for name in self.environment if name not in self.asked and name != CONFIG_FILE]
