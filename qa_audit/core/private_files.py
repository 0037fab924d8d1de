"""Files the service writes that hold case data (report exports, backups, a restored SQLite
database) are its owner's alone: mode 0600, in folders of mode 0700.

The mode is set on the file itself rather than left to the umask: a command run from an
operator's shell, where the umask is usually 022, would otherwise leave quotes from children's
records readable by every account on the server."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def write_private(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path``, created (or narrowed, if it exists) to mode 0600 before
    any of it is written."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(descriptor, "wb") as stream:
        if stat.S_ISREG(os.fstat(descriptor).st_mode):  # not a pipe or a terminal
            os.fchmod(descriptor, PRIVATE_FILE)
        stream.write(data)


def make_private(path: str | os.PathLike[str]) -> None:
    """Narrow an existing file to mode 0600 (a file that does not exist is left so)."""
    with contextlib.suppress(FileNotFoundError):
        os.chmod(path, PRIVATE_FILE)


def private_folder(path: str | os.PathLike[str]) -> None:
    """Make ``path`` and any missing folders above it, each of mode 0700; folders that
    already exist keep theirs."""
    folder = Path(path)
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        try:
            each.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:
            continue  # made meanwhile by someone else: theirs to set
        os.chmod(each, PRIVATE_FOLDER)  # mkdir's mode passes through the umask
