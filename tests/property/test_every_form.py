"""Any form posted to any page of the app (field names taken from the app's own pages, plus
made-up ones; values of any kind): never a 500, for a person holding every role."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from tests.factories import access_log as factories_access
from tests.property.conftest import tally

WRITES = {"POST", "PUT", "PATCH", "DELETE"}

values = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"\A-?[0-9]{1,25}\Z"),
    st.sampled_from(
        ["", "0", "1", "2", "y", "on", "\x00", "a\x00b", "٣", "9" * 300, "2024-04", "1/4/2024"]
    ),
)


@pytest.fixture
def setting(app: Flask, client: FlaskClient, db) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """A world of records; a person with every role, signed in, with a draft of their own;
    the state-changing URLs; every form field name that the app's pages show."""
    args = factories_access.everyone_signed_in(client)
    writes, names = [], set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "govuk_assets", "auth.sign_out") or rule.rule.startswith(
            "/api/"
        ):
            continue
        with app.test_request_context():
            url = url_for(rule.endpoint, **{a: args[a] for a in rule.arguments})
        if "GET" in (rule.methods or set()):
            names |= set(
                re.findall(r'name="([^"]+)"', client.get(url).get_data().decode("utf-8", "replace"))
            )
        writes += [(method, url) for method in sorted((rule.methods or set()) & WRITES)]
    return {"writes": writes, "names": sorted(names - {"csrf_token"})}


@settings(max_examples=150)
@given(data=st.data())
def test_no_form_post_gives_a_500(
    client: FlaskClient, setting: dict[str, Any], data: st.DataObject
) -> None:
    tally("any_form")
    method, url = data.draw(st.sampled_from(setting["writes"]), label="request")
    field = st.one_of(*[st.sampled_from(setting["names"])] * 5, st.text(max_size=8))
    form = MultiDict(data.draw(st.lists(st.tuples(field, values), max_size=12), label="form"))
    response = client.open(url, method=method, data=form)
    assert response.status_code < 500, f"{method} {url}"
