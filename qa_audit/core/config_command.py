"""`qa-audit config check`: the settings qa-audit would run with, where each came from, with
secrets masked, and whether they are fit to run; without touching the database, so it can be
run before anything else (and by `make run` to refuse production settings)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import click

from qa_audit.core.config import DATABASE_URL, Config
from qa_audit.core.settings import CONFIG_FILE, ConfigError, Settings, Source

MASK = "****"
# A setting whose name ends so holds a secret. (Ends, not contains: QA_AUDIT_PASSWORD_SIGN_IN
# is a mode IT must be able to read back.)
SECRETS = ("SECRET_KEY", "BACKUP_KEY", "PASSWORD", "CLIENT_SECRET")
DEVELOPMENT_ONLY = (
    "These settings are for production (QA_AUDIT_ENV is production{where}). `make run` serves "
    "the demo on your own computer and is not for a live service: start the live service "
    "as docs/deployment.md says, or unset QA_AUDIT_ENV and {config} to try qa-audit."
)


def mask_url(value: str) -> str:
    """``value`` with the password of a URL's user (and any password= parameter) hidden:
    postgresql+psycopg://qa:****@db/qa."""
    parts = urlsplit(value)
    if not parts.scheme or not parts.netloc:
        return value
    netloc = parts.netloc
    user, at, host = netloc.rpartition("@")
    if at and ":" in user:
        netloc = f"{user.split(':', 1)[0]}:{MASK}@{host}"
    query = parts.query
    if "password" in query.lower():
        pairs = parse_qsl(query, keep_blank_values=True)
        masked = [(k, MASK if k.lower() == "password" else v) for k, v in pairs]
        query = urlencode(masked, safe="*/:")
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def shown(name: str, value: str | None) -> str:
    """How a setting's value is printed: secrets masked, nothing set said so."""
    if not value:
        return "(not set)"
    if name.endswith(SECRETS):
        return MASK
    return mask_url(value)


def describe(config: Config) -> list[tuple[str, str, str]]:
    """(name, value as shown, where it came from) for every setting, in the order read."""
    settings = config.settings
    rows = []
    for name, default in settings.asked.items():
        value = settings.get(name, default)
        if name == DATABASE_URL and not config.DATABASE_URL_GIVEN:
            value = config.SQLALCHEMY_DATABASE_URI
        rows.append((name, shown(name, value), str(settings.source(name))))
    return rows


def _print_report(config: Config) -> None:
    settings = config.settings
    where = str(settings.path) if settings.path else f"none ({CONFIG_FILE} is not set)"
    click.echo(f"Settings file: {where}")
    width = max(len(name) for name in settings.asked)
    for name, value, source in describe(config):
        click.echo(f"  {name:{width}}  {value}  ({source})")
    unknown = settings.unknown_in_environment()
    if unknown:
        click.echo(f"Not read by qa-audit, from the environment: {', '.join(unknown)}")


@click.group("config")
def config_group() -> None:
    """The settings qa-audit runs with."""


@config_group.command("check")
@click.option(
    "--development-only",
    is_flag=True,
    help="Refuse production settings (`make run` checks this before serving the demo).",
)
@click.option("--quiet", is_flag=True, help="Print nothing unless something is wrong.")
def config_check_command(development_only: bool, quiet: bool) -> None:
    """Print the effective settings (secrets masked) and where each came from: the settings
    file named by QA_AUDIT_CONFIG, the environment (which wins) or the default; then check
    them as the service does at start-up. Exits 1, saying what to change, when they cannot be
    used. Does not connect to the database."""
    try:
        config = Config(Settings(quiet=True))
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
    for warning in config.settings.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if not quiet:
        _print_report(config)
    if development_only and config.ENV == "production":
        source = config.settings.source("QA_AUDIT_ENV")
        where = f", set in {config.settings.path}" if source is Source.FILE else ""
        raise click.ClickException(DEVELOPMENT_ONLY.format(where=where, config=CONFIG_FILE))
    try:
        config.check()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
    if not quiet:
        click.echo(f"The settings can be used ({config.ENV}).")
