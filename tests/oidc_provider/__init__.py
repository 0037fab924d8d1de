"""The tests' OpenID Provider: node-oidc-provider (tests/oidc_provider/provider.mjs) started on
a free loopback port, and a person signing in at it with ``requests``, following its redirects
and filling in its development login and consent forms by hand, as a browser would."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests

from qa_audit.core.config import ROOT

SCRIPT = Path(__file__).with_name("provider.mjs")
NODE = "node"
CLIENT_ID = "qa-audit"
CLIENT_SECRET = "tests-only-client-secret"
OTHER_CLIENT_ID = "another-service"
STARTUP_SECONDS = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class TestProvider:
    """A running provider: its issuer, and the people it knows (subject -> claims)."""

    __test__ = False

    issuer: str
    accounts_path: Path
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)

    def person(self, subject: str, **claims: Any) -> str:
        """Make ``subject`` known with these claims (email, email_verified, name, groups)."""
        self.accounts[subject] = claims
        self.accounts_path.write_text(json.dumps(self.accounts))
        return subject


def clients(app_base_url: str) -> list[dict[str, Any]]:
    """qa-audit, and another service of the council registered at the same provider."""
    callback = f"{app_base_url}/sign-in/oidc/callback"
    signed_out = f"{app_base_url}/sign-in"
    return [
        {
            "client_id": client_id,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [callback],
            "post_logout_redirect_uris": [signed_out],
        }
        for client_id in (CLIENT_ID, OTHER_CLIENT_ID)
    ]


@contextmanager
def running_provider(
    workdir: Path,
    app_base_url: str,
    *,
    issuer_path: str = "",
    clock_offset_seconds: int = 0,
    id_token_seconds: int = 600,
) -> Iterator[TestProvider]:
    """Start a provider for the app at ``app_base_url``; stopped on leaving.

    ``issuer_path``: the provider calls itself by its address plus this path (while serving at
    its address), so an app configured with the address meets a different issuer."""
    port = free_port()
    address = f"http://127.0.0.1:{port}"
    workdir.mkdir(parents=True, exist_ok=True)
    provider = TestProvider(address + issuer_path, workdir / f"accounts-{port}.json")
    provider.accounts_path.write_text("{}")
    settings = {
        "port": port,
        "issuer": provider.issuer,
        "clients": clients(app_base_url),
        "accounts": str(provider.accounts_path),
        "clock_offset_seconds": clock_offset_seconds,
        "id_token_seconds": id_token_seconds,
    }
    log = (workdir / f"provider-{port}.log").open("w")
    process = subprocess.Popen(
        [NODE, str(SCRIPT)],
        cwd=ROOT,  # node_modules/oidc-provider
        env={**os.environ, "OIDC_TEST_PROVIDER": json.dumps(settings)},
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # blocks until it listens or exits
        assert line.startswith("listening"), (workdir / f"provider-{port}.log").read_text()
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=STARTUP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
        log.close()


FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def sign_in_at_provider(browser: requests.Session, url: str, login: str, until: str) -> str:
    """Follow the provider's pages from ``url`` as ``login`` (its development login takes any
    name and password, then asks for consent) until it sends the browser to an address
    starting with ``until``: that address, with the code and state."""
    method, data = "GET", None
    for _ in range(12):
        response = browser.request(method, url, data=data, allow_redirects=False, timeout=10)
        location = response.headers.get("Location")
        if location:
            url = urljoin(url, location)
            if url.startswith(until):
                return url
            method, data = "GET", None
            continue
        found = FORM.search(response.text)
        assert response.status_code == 200, response.text[:2000]
        assert found, response.text[:2000]
        action, inputs = found.groups()
        data = dict(HIDDEN.findall(inputs))
        if 'name="login"' in inputs:
            data.update(login=login, password="any")
        url, method = urljoin(url, action), "POST"
    raise AssertionError(f"the provider never sent the browser to {until}")
