"""Every page's whole-number and month arguments, in the path and in the query string, with
numbers of any size and months of any year: never a 500 (a page clamps, or it is a 404 or an
error message)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_audit.auth.roles import Role
from tests.factories import access_log as factories_access
from tests.property.conftest import tally

# Query names the pages read as numbers or months, besides those their forms show.
QUERY_NAMES = [
    "page", "per_page", "service_area", "service_area_id", "team", "team_id", "allocation_id",
    "auditor", "user", "month", "from", "to", "version", "year", "id",
]  # fmt: skip

numbers = st.one_of(
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.sampled_from(["0", "-1", "2147483647", "2147483648", "9223372036854775808", "9" * 40]),
)
months = st.one_of(
    st.builds(
        "{:04d}-{:02d}".format,
        st.integers(min_value=0, max_value=9999),
        st.integers(min_value=0, max_value=99),
    ),
    st.sampled_from(["9999-12", "0000-01", "0001-01", "10000-01", "-001-01", "2024-13"]),
)
values = st.one_of(numbers, months)


@pytest.fixture
def setting(app: Flask, client: FlaskClient, db) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """A world of records; a person with every role, signed in; every page's URL, its path
    arguments, and the names of the fields its forms show."""
    args = factories_access.everyone_signed_in(client)
    pages, names = [], set(QUERY_NAMES)
    for rule in app.url_map.iter_rules():
        if (
            rule.endpoint in ("static", "govuk_assets", "auth.sign_out")
            or rule.rule.startswith("/api/")
            or "GET" not in (rule.methods or set())
        ):
            continue
        with app.test_request_context():
            url = url_for(rule.endpoint, **{a: args[a] for a in rule.arguments})
        names |= set(
            re.findall(r'name="([^"]+)"', client.get(url).get_data().decode("utf-8", "replace"))
        )
        pages.append((rule, url))
    return {"pages": pages, "names": sorted(names - {"csrf_token"})}


def _with_path_numbers(rule: Any, url: str, data: st.DataObject) -> str:
    """``url`` with its record ids (``<int:…>`` arguments) replaced by drawn numbers."""
    for argument in sorted(rule.arguments):
        if rule.rule.count(f"<int:{argument}>"):
            number = data.draw(st.integers(min_value=0, max_value=10**25), label=argument)
            url = re.sub(r"/\d+(?=/|$)", f"/{number}", url, count=1)
    return url


@settings(max_examples=200)
@given(data=st.data())
def test_no_number_or_month_gives_a_500(
    client: FlaskClient, setting: dict[str, Any], data: st.DataObject
) -> None:
    tally("route_numbers")
    rule, url = data.draw(st.sampled_from(setting["pages"]), label="page")
    if data.draw(st.booleans(), label="path numbers"):
        url = _with_path_numbers(rule, url, data)
    query = data.draw(
        st.dictionaries(st.sampled_from(setting["names"]), values, max_size=6), label="query"
    )
    response = client.get(url, query_string=query)
    assert response.status_code < 500, f"GET {url} {query}"


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/admin/change-log", {"page": "99999999999999999999"}),
        ("/rota", {"service_area": "99999999999999999999"}),
        ("/rota", {"month": "9999-12"}),
        ("/rota", {"month": "0000-01"}),
        ("/reports", {"from": "0000-01", "to": "9999-12"}),
        ("/audits/99999999999999999999", {}),
    ],
)
def test_numbers_from_the_penetration_test_give_no_500(
    client: FlaskClient, login_as: Any, url: str, query: dict[str, str]
) -> None:
    login_as(*Role)
    assert client.get(url, query_string=query).status_code < 500
