"""Accounts, roles, passwords, sign-in sessions and their throttling, the idle timeout."""

from __future__ import annotations

from flask import Flask

from qa_audit.auth import history_labels
from qa_audit.auth.cli import users_group
from qa_audit.auth.dormant_cli import accounts_group
from qa_audit.auth.password_change import require_new_password
from qa_audit.auth.sessions import BrowserSessionInterface, enforce_idle_timeout
from qa_audit.auth.signins import load_user
from qa_audit.auth.throttle import limiter
from qa_audit.auth.views import bp
from qa_audit.core.extensions import login_manager


def init_app(app: Flask) -> None:
    """Sign-in pages, the user loader, the idle timeout and the ``users`` command."""
    app.register_blueprint(bp)
    app.session_interface = BrowserSessionInterface()
    app.cli.add_command(users_group)
    app.cli.add_command(accounts_group)
    app.before_request(enforce_idle_timeout)
    app.before_request(require_new_password)
    login_manager.user_loader(load_user)
    limiter.init_app(app)
    history_labels.register(app)
