"""qa-audit: quality-assurance case audits for children's social care."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask, g, send_from_directory
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from qa_audit.config import ROOT, Config

STATIC = Path(__file__).resolve().parent / "static"


def create_app(config: Config | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, error pages, commands."""
    config = config or Config()
    config.check()
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(STATIC),
        instance_path=config.INSTANCE_PATH,
    )
    from qa_audit.templating import Environment

    app.jinja_environment = Environment  # cheaper {% import %}s (qa_audit/templating.py)
    app.config.from_object(config)
    from qa_audit.url_ids import RecordIdConverter

    app.url_map.converters["int"] = RecordIdConverter  # ids beyond any column: 404
    from qa_audit.request_input import QaAuditRequest

    app.request_class = QaAuditRequest  # no NUL characters in form fields or query values
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    register_extensions(app)
    register_blueprints(app)
    register_security(app)
    register_template_context(app)
    from qa_audit.errors_views import register_error_handlers

    register_error_handlers(app)
    from qa_audit.cli import register_commands

    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from govuk_frontend_wtf.main import WTFormsHelpers

    from qa_audit.extensions import csrf, db, login_manager, migrate

    if str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        # No parallel plans: on a small server they cost more than they save, and for the
        # report's joins PostgreSQL then prefers scanning every moderation ever recorded to
        # the index-only look-ups of the period's audits (make bench: 3x slower on 1,000,000
        # audits; docs/benchmark.md).
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("options", "-c max_parallel_workers_per_gather=0")
        options["connect_args"] = connect_args
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True
    )
    csrf.init_app(app)
    WTFormsHelpers(app)
    from qa_audit.forms import remember_widget_html

    remember_widget_html()  # GOV.UK widgets' HTML kept for the same params (make bench)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see this page"
    login_manager.session_protection = "basic"

    from qa_audit import models  # noqa: F401  (every table registered with the metadata)
    from qa_audit.auth.services import load_user_by_session_token

    login_manager.user_loader(load_user_by_session_token)


def register_blueprints(app: Flask) -> None:
    from qa_audit.admin.views import bp as admin_bp
    from qa_audit.audit_tools.views import bp as tools_bp
    from qa_audit.audits.views import bp as audits_bp
    from qa_audit.auth.views import bp as auth_bp
    from qa_audit.home.views import bp as home_bp

    for bp in (auth_bp, home_bp, admin_bp, tools_bp, audits_bp):
        app.register_blueprint(bp)

    # Audit lists, safeguarding, practitioner comments, actions, learning themes.
    from qa_audit.actions.views import bp as actions_bp
    from qa_audit.audits.comments_views import bp as comments_bp
    from qa_audit.audits.list_views import bp as audit_lists_bp
    from qa_audit.audits.safeguarding_views import bp as safeguarding_bp
    from qa_audit.learning_themes.views import bp as learning_themes_bp

    for bp in (audit_lists_bp, safeguarding_bp, comments_bp, actions_bp, learning_themes_bp):
        app.register_blueprint(bp)

    # The rota and thematic dip samples.
    from qa_audit.dip_samples.views import bp as dip_samples_bp
    from qa_audit.rota.views import bp as rota_bp

    for bp in (rota_bp, dip_samples_bp):
        app.register_blueprint(bp)

    # The CSV import of historical audits.
    from qa_audit.audits.import_views import bp as audit_import_bp

    app.register_blueprint(audit_import_bp)

    # Reports, the read-only API and its tokens.
    from qa_audit.api.token_views import bp as api_tokens_bp
    from qa_audit.api.views import bp as api_bp
    from qa_audit.reports.views import bp as reports_bp

    for bp in (reports_bp, api_bp, api_tokens_bp):
        app.register_blueprint(bp)

    # Moderation: sampling, the queue, the moderation form, reflective conversations, agreement.
    from qa_audit.moderation.views import bp as moderation_bp

    app.register_blueprint(moderation_bp)

    # The access log: its search page, and the hook that logs views of case-level pages.
    from qa_audit.access_log.views import bp as access_log_bp

    app.register_blueprint(access_log_bp)

    vendor = STATIC / "vendor" / "govuk" / "assets"

    @app.route("/assets/<path:filename>")
    def govuk_assets(filename: str):  # type: ignore[no-untyped-def]
        """GOV.UK Frontend's images, where its CSS expects them."""
        return send_from_directory(vendor, filename, max_age=86400)

    @app.route("/healthz")
    def healthz() -> tuple[str, int, dict[str, str]]:
        """Liveness for load balancers and the benchmark; touches nothing."""
        return "ok", 200, {"Content-Type": "text/plain"}


def register_security(app: Flask) -> None:
    from qa_audit.auth.sessions import enforce_idle_timeout

    app.before_request(enforce_idle_timeout)

    @app.before_request
    def csp_nonce() -> None:
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.after_request
    def security_headers(response):  # type: ignore[no-untyped-def]
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


def register_template_context(app: Flask) -> None:
    from flask_login import current_user

    from qa_audit.auth.navigation import navigation_for

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
