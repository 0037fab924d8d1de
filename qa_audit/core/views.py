"""What every part's views share: the record a URL names (else 404), a step the person may not
take (403), and the page links of a filtered list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, request, url_for
from flask_login import current_user

from qa_audit.core.errors import NotFound
from qa_audit.core.paging import Paging

T = TypeVar("T")


def found_or_404(find: Callable[..., T], *args: Any) -> T:
    """What ``find(*args)`` returns; the page answers 404 when it raises NotFound."""
    try:
        return find(*args)
    except NotFound:
        abort(404)


def permitted_or_abort(
    find: Callable[[int], T], record_id: int, may: Callable[[Any, T], bool]
) -> T:
    """The record with this id, when ``may(current_user, record)``: 404 if there is none, 403
    if the signed-in person may not use this page on it."""
    record = found_or_404(find, record_id)
    if not may(current_user, record):
        abort(403)
    return record


def list_query() -> dict[str, Any]:
    """A list page's filters from the query string (not the page number), for its links."""
    return {k: v for k, v in request.args.items() if k != "page" and v}


def list_pagination(paging: Paging | None, endpoint: str, landmark: str) -> dict[str, Any] | None:
    """govukPagination's parameters for a filtered list: each page's link keeps the filters."""
    if paging is None:
        return None
    query = list_query()
    return paging.govuk_params(lambda n: url_for(endpoint, **query, page=n), landmark)
