"""The OpenAPI document names the service's configured address (QA_AUDIT_BASE_URL), whatever
Host header the request carried."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient


def test_the_server_url_is_the_configured_base_url(app: Flask, client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json", headers={"Host": "attacker.example"})
    assert response.status_code == 200
    servers = [s["url"] for s in response.json["servers"]]  # type: ignore[index]
    assert servers == [app.config["BASE_URL"] + "/api/v1"]
    assert app.config["BASE_URL"].startswith(("http://", "https://"))
    assert "attacker.example" not in response.get_data(as_text=True)
