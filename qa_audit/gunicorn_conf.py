"""Settings gunicorn always runs the service with: ``gunicorn -c python:qa_audit.gunicorn_conf``
(docs/deployment.md). Command-line options given besides these still apply.

No ``Server`` header: gunicorn names itself in every response ('Server: gunicorn'), which
tells a scanner which server's weaknesses to try and the service nothing."""

from __future__ import annotations

from gunicorn.http import wsgi

_default_headers = wsgi.Response.default_headers


def _headers_without_server(self: wsgi.Response) -> list[str]:
    return [h for h in _default_headers(self) if not h.lower().startswith("server:")]


wsgi.Response.default_headers = _headers_without_server
