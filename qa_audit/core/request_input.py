"""What the app takes from a request: form fields and query values without NUL characters.

NUL is never meant (it arrives with text pasted from some programs, or from a tampered
request) and PostgreSQL cannot store it in text, so it is dropped from every value here,
once, rather than checked for by every form and service."""

from __future__ import annotations

from typing import Any

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict


def _without_nul(value: Any) -> Any:
    return value.replace("\x00", "") if isinstance(value, str) else value


class NulFreeMultiDict(ImmutableMultiDict[str, Any]):
    """An immutable MultiDict whose text keys and values have had NUL removed."""

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
        super().__init__([(_without_nul(k), _without_nul(v)) for k, v in pairs])


class QaAuditRequest(Request):
    """Flask's request, with NUL-free form fields and query values."""

    parameter_storage_class = NulFreeMultiDict
