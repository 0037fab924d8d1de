"""pytest fixtures for the tests' provider: one provider per test module, the app pointed at
it for one test, and a person signing in through it with the Flask test client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, TestProvider, running_provider
from tests.oidc_provider import sign_in_at_provider as follow_provider

APP = "http://localhost"  # the test client's address (TestConfig.BASE_URL)
CALLBACK = f"{APP}/sign-in/oidc/callback"


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestProvider]:
    with running_provider(tmp_path_factory.mktemp("oidc"), APP) as running:
        yield running


def point_app_at(app: Flask, monkeypatch: pytest.MonkeyPatch, issuer: str, **more: Any) -> None:
    """Configure the (shared) app for this test only."""
    settings = {
        "OIDC_ISSUER": issuer,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        **more,
    }
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)


@pytest.fixture
def sso(app: Flask, provider: TestProvider, monkeypatch: pytest.MonkeyPatch) -> TestProvider:
    point_app_at(app, monkeypatch, provider.issuer)
    return provider


def callback_url(client: FlaskClient, login: str) -> str:
    """Start at qa-audit's button and sign in at the provider as ``login``: the callback
    address the provider sends the browser back to (not yet visited)."""
    start = client.get("/sign-in/oidc")
    assert start.status_code == 302, start.get_data(as_text=True)[:1000]
    return follow_provider(requests.Session(), start.headers["Location"], login, CALLBACK)


def back_at(client: FlaskClient, url: str) -> TestResponse:
    return client.get(url.removeprefix(APP))


def sign_in_through(client: FlaskClient, login: str) -> TestResponse:
    return back_at(client, callback_url(client, login))
