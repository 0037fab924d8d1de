"""Case-level views declared where they are defined.

A view that shows case-level records carries ``@case_level(entity_type, arg)`` directly under
its ``@bp.route``; after any response of it that shows the page (or refuses it) the request
hook in access_log.hooks writes an access-log row. The declaration is an attribute of the view
function that Flask registers, so the hook, the access-matrix test and anything else read it
from ``app.view_functions``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class CaseLevel:
    """What a page shows: records of ``entity_type``; one record (named by the view argument
    ``arg``) or, with arg None, a list of them."""

    entity_type: str
    arg: str | None = None


def case_level(entity_type: str, arg: str | None = None) -> Callable[[View], View]:
    """Declare that the view shows records of ``entity_type`` (one, named by the view argument
    ``arg``; or a list of them when ``arg`` is None)."""

    def declare(view: View) -> View:
        view.case_level = CaseLevel(entity_type, arg)  # type: ignore[attr-defined]
        return view

    return declare


def case_level_of(view: Callable[..., Any] | None) -> CaseLevel | None:
    """The declaration a view carries, if any."""
    return getattr(view, "case_level", None)


def case_level_views(app: Flask) -> dict[str, CaseLevel]:
    """Every case-level endpoint of the app and what it shows."""
    found = {endpoint: case_level_of(view) for endpoint, view in app.view_functions.items()}
    return {endpoint: spec for endpoint, spec in found.items() if spec is not None}
