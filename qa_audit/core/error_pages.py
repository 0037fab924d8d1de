"""Styled error pages; a failed request rolls the session back so nothing is saved half-way.

The service's own failures (500, and 503 while the database cannot be reached) are drawn
without the database: the usual layout reads the signed-in person and the navigation from it,
so on a database that is down it failed in turn and people saw a bare unstyled 500."""

from __future__ import annotations

from flask import Flask, current_app, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from qa_audit.core import database_failures
from qa_audit.core.database_failures import UNAVAILABLE
from qa_audit.core.extensions import db

TITLES = {
    400: "There is a problem with the request",
    403: "You do not have permission to see this page",
    404: "Page not found",
    405: "This action is not allowed here",
    413: "The file is too large",
    500: "Sorry, there is a problem with the service",
    503: "Sorry, there is a problem with the service",
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _roll_back() -> None:
    """Drop the request's work. On a database that has gone away the rollback itself may
    fail: the session is then closed, and its connection discarded by the pool."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session.close()


def service_problem(code: int) -> ResponseReturnValue:
    """The styled page for a failure of the service, drawn without touching the database.

    Rendered by Jinja directly, not ``render_template``: that runs every context processor,
    and flask-login's and the navigation's load the signed-in person from the database."""
    if _wants_json():
        return jsonify(
            error="Service Unavailable" if code == 503 else "Internal Server Error",
            message="Sorry, something went wrong",
        ), code
    app = current_app
    page = app.jinja_env.get_template("errors/service_problem.html").render(
        code=code,
        title=TITLES.get(code, TITLES[500]),
        council_name=app.config["COUNCIL_NAME"],
        service_name=app.config["SERVICE_NAME"],
        csp_nonce=g.get("csp_nonce", ""),
    )
    headers = {"Retry-After": "30"} if code == 503 else {}
    return page, code, headers


def init_app(app: Flask) -> None:
    """Styled error pages (JSON under /api/), each rolling the request's work back."""
    app.logger  # noqa: B018 -- made now, so its handler also carries qa_audit.database's lines

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        db.session.rollback()
        # Why a form was refused, for whoever runs the service: behind a proxy that rewrites
        # Host, every form fails here and the person sees only "Your form has expired".
        app.logger.warning(
            "Form refused (CSRF) on %s %s: %s", request.method, request.path, error.description
        )
        if _wants_json():
            return jsonify(error="csrf", message=error.description), 400
        return (
            render_template(
                "errors/error.html",
                code=400,
                title="Your form has expired",
                message="The page was open too long or was submitted twice. "
                "Go back, reload the page and try again; nothing was saved.",
            ),
            400,
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        if code >= 500:
            # Flask's own 500, for an error after the view (the commit failing, say).
            original = getattr(error, "original_exception", None)
            if isinstance(original, UNAVAILABLE):
                return database_unavailable(original)
            _roll_back()
            return service_problem(code)
        db.session.rollback()
        # A 405 says which methods the address takes (RFC 9110), as werkzeug's own page does.
        headers = {}
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        if _wants_json():
            return jsonify(error=error.name, message=error.description), code, headers
        return (
            render_template(
                "errors/error.html",
                code=code,
                title=TITLES.get(code, error.name),
                message=None if code in TITLES else error.description,
            ),
            code,
            headers,
        )

    def database_unavailable(error: Exception) -> ResponseReturnValue:
        """The database is down, hung or out of connections: one line in the log (not a
        traceback per request), and a page that says to try again later."""
        _roll_back()
        database_failures.failures.failed(error)
        return service_problem(503)

    for kind in UNAVAILABLE:
        app.register_error_handler(kind, database_unavailable)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        _roll_back()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        if app.config.get("TESTING") and app.config.get("PROPAGATE_TEST_ERRORS", True):
            raise error
        return service_problem(500)
