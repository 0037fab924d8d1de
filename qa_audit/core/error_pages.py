"""Styled error pages; a failed request rolls the session back so nothing is saved half-way."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from qa_audit.core.extensions import db

TITLES = {
    400: "There is a problem with the request",
    403: "You do not have permission to see this page",
    404: "Page not found",
    405: "This action is not allowed here",
    413: "The file is too large",
    500: "Sorry, there is a problem with the service",
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    """Styled error pages (JSON under /api/), each rolling the request's work back."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        db.session.rollback()
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
        db.session.rollback()
        code = error.code or 500
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

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        if app.config.get("TESTING") and app.config.get("PROPAGATE_TEST_ERRORS", True):
            raise error
        if _wants_json():
            return jsonify(
                error="Internal Server Error", message="Sorry, something went wrong"
            ), 500
        return render_template("errors/error.html", code=500, title=TITLES[500], message=None), 500
