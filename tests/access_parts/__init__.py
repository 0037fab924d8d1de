"""The access table's rows and records, part by part.

tests/functional/test_access_matrix.py holds the rows of the first parts. A newer part adds a
module here defining ``EXPECTED`` (endpoint -> method -> outcome for each role, in the table's
columns and with its outcome names from ``tests.access_parts.outcomes``) and, when its URLs
name records, ``records(owner, area) -> dict`` of URL arguments: a record of the part owned by
the access world's auditor in its service area, created (not committed) in the world's
transaction. The CSRF enumeration (tests/functional/test_csrf.py) uses the same records."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any


def parts() -> list[ModuleType]:
    return [
        importlib.import_module(f"{__name__}.{found.name}")
        for found in pkgutil.iter_modules(__path__)
        if found.name != "outcomes"
    ]


def expected() -> dict[str, dict[str, tuple[int | str, ...]]]:
    merged: dict[str, dict[str, tuple[int | str, ...]]] = {}
    for part in parts():
        twice = set(merged) & set(part.EXPECTED)
        assert not twice, f"{part.__name__} repeats rows of another part: {sorted(twice)}"
        merged.update(part.EXPECTED)
    return merged


def records(owner: Any, area: Any) -> dict[str, Any]:
    args: dict[str, Any] = {}
    for part in parts():
        if hasattr(part, "records"):
            args.update(part.records(owner, area))
    return args
