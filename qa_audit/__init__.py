"""qa-audit: quality-assurance case audits for children's social care."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from flask import Flask

from qa_audit import (
    access_log,
    actions,
    admin,
    agreement,
    api,
    audit_import,
    audit_lists,
    audit_tools,
    audits,
    auth,
    backup,
    calibration,
    changelog,
    cli,
    committee_reports,
    core,
    demo,
    dip_samples,
    evidence,
    home,
    inspection,
    learning_themes,
    moderation,
    organisation,
    reports,
    retention,
    rota,
    scim,
    single_sign_on,
)
from qa_audit.core.config import STATIC, TEMPLATES, Config

# Every part of the domain, lowest layer first (docs/architecture.md). Each registers its own
# blueprints, signal receivers, navigation links and commands from its init_app; receivers of
# one signal run in this order.
PARTS: tuple[ModuleType, ...] = (
    changelog,
    organisation,
    auth,
    single_sign_on,
    scim,
    access_log,
    audit_tools,
    learning_themes,
    actions,
    audits,
    rota,
    moderation,
    dip_samples,
    agreement,
    audit_lists,
    reports,
    evidence,
    calibration,
    api,
    home,
    admin,
    audit_import,
    retention,
    committee_reports,
    inspection,
    demo,
    backup,
)


def create_app(config: Config | None = None) -> Flask:
    """Build the application: settings, the core, then every part of the domain."""
    config = config or Config()
    config.check()
    # The engine's options for the URL the app is made with, even when it was set after the
    # settings were read (on PostgreSQL a URL set so once kept SQLite's options: no statement
    # timeout, and parallel plans that made the 1M-audit report 2.4x slower in the benchmark).
    config.set_engine_options()
    app = Flask(
        __name__,
        template_folder=str(TEMPLATES),
        static_folder=str(STATIC),
        instance_path=config.INSTANCE_PATH,
    )
    app.config.from_object(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    core.init_app(app)
    for part in PARTS:
        part.init_app(app)
    cli.init_app(app)
    return app
