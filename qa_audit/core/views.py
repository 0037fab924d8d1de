"""What every part's views share: the record a URL names (else 404, also when it is not the
person's to see), a step the person may not take (403), and the page of a filtered, paged list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TypeVar

from flask import abort, g, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from qa_audit.core.errors import NotFound
from qa_audit.core.forms import form_status
from qa_audit.core.paging import Paging, page_number

T = TypeVar("T")


def found_or_404(find: Callable[..., T], *args: Any) -> T:
    """What ``find(*args)`` returns; the page answers 404 when it raises NotFound."""
    try:
        return find(*args)
    except NotFound:
        abort(404)


def refuse_as_missing() -> NoReturn:
    """A 404 for a record the signed-in person may not see, the same answer as for a record
    that does not exist: a 403 would tell them that a record with this (sequential) number
    exists. The access log still records the refusal (refused_as_missing)."""
    g.refused_as_missing = True
    abort(404)


def refused_as_missing() -> bool:
    """Whether this request's 404 is refuse_as_missing's (a record there, not the person's)."""
    return bool(g.get("refused_as_missing", False))


def permitted_or_abort(
    find: Callable[[int], T], record_id: int, may: Callable[[Any, T], bool]
) -> T:
    """The record with this id, when ``may(current_user, record)``; else 404, whether there is
    none or it is not the signed-in person's (refuse_as_missing)."""
    record = found_or_404(find, record_id)
    if not may(current_user, record):
        refuse_as_missing()
    return record


def list_query() -> dict[str, Any]:
    """A list page's filters from the query string (not the page number), for its links."""
    return {k: v for k, v in request.args.items() if k != "page" and v}


def requested_page() -> int:
    """The page of a list the query string asks for."""
    return page_number(request.args.get("page"))


def filtered_list_page(
    template: str,
    form: FlaskForm,
    rows: Sequence[Any],
    paging: Paging | None,
    links: tuple[str, str],
    **context: Any,
) -> ResponseReturnValue:
    """A filtered, paged list: its filter form (400 while that has errors), this page's rows,
    and links to the other pages that keep the filters. ``links``: the list's endpoint and the
    landmark label of its page links."""
    endpoint, landmark = links
    query = list_query()
    pagination = (
        paging.govuk_params(lambda n: url_for(endpoint, **query, page=n), landmark)
        if paging is not None
        else None
    )
    return (
        render_template(
            template, form=form, rows=rows, paging=paging, pagination=pagination, **context
        ),
        form_status(form),
    )
