"""An uploaded file kept between its dry run and the QA lead's "Import audits": in the
service's own folder, readable by the service alone (it holds case references), named by a
random token and the uploader, removed once imported and swept after a day."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import time
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from qa_audit.core.private_files import PRIVATE_FILE, private_folder

FOLDER = "pending-imports"
MAX_AGE_SECONDS = 24 * 60 * 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
SUFFIXES = (".csv", ".xlsx")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / FOLDER
    private_folder(folder)
    return folder


def _sweep(folder: Path) -> None:
    """Files left by a dry run nobody imported, older than a day."""
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            continue


def keep(stream: BinaryIO, user_id: int, suffix: str) -> str:
    """Copy the upload to a private file; the token that finds it again (for its uploader)."""
    folder = _folder()
    _sweep(folder)
    token = secrets.token_urlsafe(24)
    path = folder / f"{user_id}-{token}{suffix if suffix in SUFFIXES else '.csv'}"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(descriptor, "wb") as out:
        shutil.copyfileobj(stream, out)
    return token


def find(token: str, user_id: int) -> Path | None:
    """The file kept under ``token`` by this user, None when there is none (or it was swept)."""
    if not _TOKEN.match(token):
        return None
    folder = _folder()
    for suffix in SUFFIXES:
        path = folder / f"{user_id}-{token}{suffix}"
        if path.is_file():
            return path
    return None


def discard(path: Path) -> None:
    path.unlink(missing_ok=True)
