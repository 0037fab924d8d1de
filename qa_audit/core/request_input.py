"""What the app takes from a request: form fields and query values without control characters.

C0 control characters are never meant in text typed into a page (they arrive with text pasted
from some programs, or from a tampered request): PostgreSQL cannot store NUL, and Word and
Excel refuse a file with most of the others. So they are dropped from every value here, once,
rather than checked for by every form and service. Tab and newline stay; a CR-LF line break
(as browsers send a text area's lines) becomes a newline, and a CR on its own is dropped."""

from __future__ import annotations

import re
from typing import Any

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict

# C0 controls except tab (\x09) and newline (\x0a); CR (\x0d) is handled by clean_text first.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


def clean_text(text: str) -> str:
    """``text`` without control characters other than tab and newline (CR-LF made a newline)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n"))


def _cleaned(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


class CleanMultiDict(ImmutableMultiDict[str, Any]):
    """An immutable MultiDict whose text keys and values have been through clean_text."""

    def __init__(self, mapping: Any = None) -> None:
        if mapping is None:
            super().__init__()
            return
        if hasattr(mapping, "items") and hasattr(mapping, "getlist"):
            pairs = list(mapping.items(multi=True))
        elif hasattr(mapping, "items"):
            pairs = list(mapping.items())
        else:
            pairs = list(mapping)
        super().__init__([(_cleaned(k), _cleaned(v)) for k, v in pairs])


class QaAuditRequest(Request):
    """Flask's request, with form fields and query values free of control characters."""

    parameter_storage_class = CleanMultiDict
