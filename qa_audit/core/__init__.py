"""What every part of qa-audit stands on and nothing of the domain: settings, the database
and its session, the council's clock and months, errors, forms, paging, concurrency, e-mail,
spreadsheets, request input, the signals parts send each other, the navigation, and the one
transaction path of a request.

``init_app`` sets these up for an app before any part registers itself."""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, send_from_directory
from flask_login import current_user
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from qa_audit.core import (
    data_version,
    error_pages,
    extensions,
    health,
    notifications,
    schema_commands,
    transaction,
)
from qa_audit.core.config import MIGRATIONS, STATIC, TEMPLATES
from qa_audit.core.db import configure_sqlite
from qa_audit.core.forms import error_summary
from qa_audit.core.navigation import navigation_for
from qa_audit.core.request_input import QaAuditRequest
from qa_audit.core.url_ids import RecordIdConverter

_PLAIN = {"Content-Type": "text/plain; charset=utf-8"}


def init_app(app: Flask) -> None:
    """Requests, templates, extensions, the transaction path, security headers, error pages."""
    app.url_map.converters["int"] = RecordIdConverter  # ids beyond any column: 404
    app.request_class = QaAuditRequest  # no control characters in form fields or query values
    _init_proxies(app)
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(TEMPLATES)),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    _init_extensions(app)
    transaction.init_app(app)  # first of the after-request functions: so it runs last
    notifications.init_app(app)
    data_version.init_app(app)  # the report cache is keyed by it
    _init_security_headers(app)
    _init_template_context(app)
    error_pages.init_app(app)
    _init_fixed_routes(app)
    health.init_app(app)  # /healthz and /readyz


def _init_proxies(app: Flask) -> None:
    # Only the addresses our own reverse proxies add are believed: X-Forwarded-For's rightmost
    # PROXY_HOPS entries. With none configured, a client's X-Forwarded-For changes nothing.
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError) -> tuple[str, int, dict[str, str]]:
        """A Host outside TRUSTED_HOSTS: no page of ours (none can be addressed on it)."""
        return "Bad request: this service is not reached at that address.", 400, _PLAIN


def _init_extensions(app: Flask) -> None:
    # The engine's options (timeouts, no parallel plans) come with the settings:
    # core/engine_options.py.
    # Not ``db`` at this module's level: that name is the submodule qa_audit.core.db.
    database = extensions.db
    database.init_app(app)
    with app.app_context():
        configure_sqlite(database.engine)
    extensions.migrate.init_app(
        app, database, directory=str(MIGRATIONS), render_as_batch=True, compare_type=True
    )
    schema_commands.init_app(app)  # `db check`: is the database at this release's head?
    extensions.csrf.init_app(app)
    WTFormsHelpers(app)
    login_manager = extensions.login_manager
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see this page"
    login_manager.session_protection = "basic"


def _init_security_headers(app: Flask) -> None:
    @app.before_request
    def csp_nonce() -> None:
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.after_request
    def security_headers(response: Response) -> Response:
        nonce = getattr(g, "csp_nonce", "")
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self'; img-src 'self' data:; font-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        )
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response


def _init_template_context(app: Flask) -> None:
    app.add_template_global(error_summary, "error_summary")

    @app.context_processor
    def layout() -> dict:
        # Context processors run for every template rendered, and each GOV.UK form widget is
        # one: work the navigation out once per request (make bench, docs/benchmark.md).
        if "navigation" not in g:
            g.navigation = navigation_for(current_user)
        return {
            "council_name": app.config["COUNCIL_NAME"],
            "service_name": app.config["SERVICE_NAME"],
            "csp_nonce": getattr(g, "csp_nonce", ""),
            "navigation": g.navigation,
        }


def _init_fixed_routes(app: Flask) -> None:
    vendor = STATIC / "vendor" / "govuk" / "assets"

    @app.route("/assets/<path:filename>")
    def govuk_assets(filename: str) -> Response:
        """GOV.UK Frontend's images, where its CSS expects them."""
        return send_from_directory(vendor, filename, max_age=86400)
