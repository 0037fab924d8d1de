"""Where a sign-in may send the person next: the page they asked for (``?next=``), if it is a
page of this site. Password sign-in and sign-in with a council account both ask here, so
the two cannot come to differ."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def _sign_in_page(path: str) -> bool:
    """The sign-in pages themselves (the password form, single sign-on's start and callback):
    landing there after signing in would only send the person round again."""
    sign_in = url_for("auth.sign_in")
    return path == sign_in or path.startswith(sign_in + "/")


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site that is not a sign-in page, else None.

    Refused: an absolute URL or any scheme; ``//host`` (scheme-relative); a backslash, which
    browsers read as a slash (``/\\host`` is ``//host`` to them); spaces and control
    characters, which browsers drop from a URL (``/<tab>/host`` is ``//host``)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) <= 0x20 or ord(char) == 0x7F for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or _sign_in_page(parts.path):
        return None
    return target
