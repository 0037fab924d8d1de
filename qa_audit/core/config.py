"""Settings: each QA_AUDIT_* setting, read from the settings file and the environment
(core/settings.py), with a safe default for the embedded set-up."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from qa_audit.core.engine_options import engine_options
from qa_audit.core.keys import DEVELOPMENT_KEY, GENERATE, key_weakness
from qa_audit.core.settings import ConfigError, Settings

__all__ = ["Config", "ConfigError", "Settings", "TestConfig"]

ROOT = Path(__file__).resolve().parent.parent.parent
# What the service needs at run time lives inside the package, so a wheel carries it.
PACKAGE = Path(__file__).resolve().parent.parent
STATIC = PACKAGE / "static"
TEMPLATES = PACKAGE / "templates"
MIGRATIONS = PACKAGE / "migrations"
SEED = PACKAGE / "seed"
DEFAULT_SECRET_KEY = DEVELOPMENT_KEY
ENVIRONMENTS = ("development", "production")
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"
DATABASE_URL = "QA_AUDIT_DATABASE_URL"
PRODUCTION_DATABASE_EXAMPLE = "postgresql+psycopg://qa_audit@localhost/qa_audit"
PASSWORD_SIGN_IN_MODES = ("on", "break-glass-only")


def _check_key(name: str, key: str) -> None:
    problem = key_weakness(key)
    if problem:
        raise ConfigError(
            f"{name} must be set to at least 32 random bytes in production, written as 64 "
            f"hexadecimal characters (or 43 URL-safe ones), but {problem}. Generate one with: "
            f"{GENERATE}"
        )


class Config:
    """Settings read from QA_AUDIT_* names in the settings file and the environment.

    Every setting is read here, each time a Config is made, so that a name in the settings
    file that none reads can be refused as a typo."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings = settings or Settings()
        get = settings.value
        instance = Path(get("QA_AUDIT_INSTANCE_PATH", str(ROOT / "instance")))
        self.INSTANCE_PATH = str(instance)
        self.ENV = self._environment()
        self.SECRET_KEY = get("QA_AUDIT_SECRET_KEY", DEFAULT_SECRET_KEY)
        # Signs backups; when unset, a key derived from SECRET_KEY does.
        self.BACKUP_KEY = get("QA_AUDIT_BACKUP_KEY", "")
        # An empty value counts as unset: production must name its database.
        self.DATABASE_URL_GIVEN = bool(get(DATABASE_URL, "").strip())
        self.SQLALCHEMY_DATABASE_URI = (
            get(DATABASE_URL, "").strip()
            if self.DATABASE_URL_GIVEN
            else f"sqlite:///{instance / 'qa-audit.sqlite'}"
        )
        # Seconds; 0 waits without limit (PostgreSQL only, core/engine_options.py).
        self.DB_CONNECT_TIMEOUT = self._whole_number("QA_AUDIT_DB_CONNECT_TIMEOUT", 5)
        self.DB_STATEMENT_TIMEOUT = self._whole_number("QA_AUDIT_DB_STATEMENT_TIMEOUT", 30)
        self.DB_POOL_TIMEOUT = self._whole_number("QA_AUDIT_DB_POOL_TIMEOUT", 10)
        self.set_engine_options()
        self.COUNCIL_NAME = get("QA_AUDIT_COUNCIL_NAME", "Example Borough Council")
        self.SERVICE_NAME = get("QA_AUDIT_SERVICE_NAME", "QA case audits")
        # Printed in the header of every page of the committee report (Word and PDF).
        self.PROTECTIVE_MARKING = get("QA_AUDIT_PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE")
        minutes = self._whole_number("QA_AUDIT_SESSION_MINUTES", 30)
        self.SESSION_IDLE_TIMEOUT = timedelta(minutes=minutes)
        self.PERMANENT_SESSION_LIFETIME = timedelta(minutes=minutes)
        # However active, a sign-in ends this long after it began.
        hours = self._whole_number("QA_AUDIT_SESSION_MAX_HOURS", 12)
        self.SESSION_ABSOLUTE_LIFETIME = timedelta(hours=hours)
        # Where sign-in throttling counts failures: memory is per process, so several
        # workers need a shared store (for example redis://localhost:6379).
        self.RATELIMIT_STORAGE_URI = get("QA_AUDIT_RATELIMIT_STORAGE_URI", "memory://")
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = self._bool("QA_AUDIT_SECURE_COOKIES", self.ENV == "production")
        self.SESSION_COOKIE_NAME = "qa_audit_session"
        self.REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
        self.WTF_CSRF_TIME_LIMIT = None  # the session's own lifetime bounds the token
        self.MAIL_SERVER = get("QA_AUDIT_SMTP_HOST", "")
        self.MAIL_PORT = self._whole_number("QA_AUDIT_SMTP_PORT", 25)
        self.MAIL_FROM = get("QA_AUDIT_MAIL_FROM", "qa-audit@localhost")
        # An API token stops working this many days after it is issued.
        self.API_TOKEN_DAYS = self._whole_number("QA_AUDIT_API_TOKEN_DAYS", 90)
        # A safeguarding concern not acknowledged within this many working days is escalated
        # to the area's service managers and the QA leads (qa-audit safeguarding escalate).
        self.SAFEGUARDING_ACK_WORKING_DAYS = self._whole_number("QA_AUDIT_SAFEGUARDING_ACK_DAYS", 1)
        # Viewers see no report figure resting on fewer audits than this (small-cell suppression).
        self.REPORT_SUPPRESS_BELOW = self._whole_number("QA_AUDIT_SUPPRESS_BELOW", 5)
        self._init_addresses()
        # Uploads (the CSV import of audits): larger requests get a 413 page.
        self.MAX_CONTENT_LENGTH = 50 * 1024 * 1024
        # The CSV import refuses a file with more audit rows than this (split it instead).
        self.IMPORT_MAX_ROWS = self._whole_number("QA_AUDIT_IMPORT_MAX_ROWS", 50_000)
        # The council's retention schedule: audits older than this many months lose their case
        # references and free text (qa-audit retention). 0 applies no retention.
        self.RETENTION_MONTHS = self._whole_number("QA_AUDIT_RETENTION_MONTHS", 0)
        self._init_account_lifecycle()
        self._init_single_sign_on()
        self.TESTING = False
        settings.refuse_unknown()

    def _bool(self, name: str, default: bool) -> bool:
        value = self.settings.value(name, "yes" if default else "no")
        return value.strip().lower() in {"1", "true", "yes", "on"}

    def _whole_number(self, name: str, default: int = 0) -> int:
        value = self.settings.get(name, str(default))
        text = (value or str(default)).strip()
        if not text.isdigit() or not text.isascii():
            raise ConfigError(f"{name} must be a whole number, 0 or more (it is {value!r}).")
        return int(text)

    def _init_account_lifecycle(self) -> None:
        """Who may still use a password, dormant accounts, SCIM provisioning (docs/accounts.md)."""
        get = self.settings.value
        mode = get("QA_AUDIT_PASSWORD_SIGN_IN", "on").strip().lower()
        if mode not in PASSWORD_SIGN_IN_MODES:
            raise ConfigError(
                f"QA_AUDIT_PASSWORD_SIGN_IN must be {' or '.join(PASSWORD_SIGN_IN_MODES)} "
                f"(it is {mode!r})."
            )
        self.PASSWORD_SIGN_IN = mode
        admins = get("QA_AUDIT_BREAK_GLASS_ADMINS", "").split(",")
        self.BREAK_GLASS_ADMINS = sorted({a.strip().lower() for a in admins if a.strip()})
        # Accounts without a sign-in for this many days are dormant (qa-audit accounts dormant).
        self.DORMANT_DAYS = self._whole_number("QA_AUDIT_DORMANT_DAYS", 90)
        self.DORMANT_AUTO_DEACTIVATE = self._bool("QA_AUDIT_DORMANT_AUTO_DEACTIVATE", False)
        # SHA-256 (hexadecimal) of the SCIM bearer token; unset, /scim answers 404.
        self.SCIM_TOKEN_HASH = get("QA_AUDIT_SCIM_TOKEN_HASH", "").strip().lower()
        if self.SCIM_TOKEN_HASH and not re.fullmatch(r"[0-9a-f]{64}", self.SCIM_TOKEN_HASH):
            raise ConfigError(
                "QA_AUDIT_SCIM_TOKEN_HASH must be 64 hexadecimal characters, as printed by "
                "'qa-audit scim new-token'."
            )

    def _environment(self) -> str:
        """QA_AUDIT_ENV, trimmed and in any case; a misspelt value must not quietly run as
        development (the published key, cookies without Secure)."""
        value = self.settings.value("QA_AUDIT_ENV", ENVIRONMENTS[0])
        environment = value.strip().lower()
        if environment not in ENVIRONMENTS:
            raise ConfigError(
                f"QA_AUDIT_ENV must be {' or '.join(ENVIRONMENTS)} (it is {value!r})."
            )
        return environment

    def set_engine_options(self) -> None:
        """The engine options for SQLALCHEMY_DATABASE_URI (again after changing it)."""
        self.SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = engine_options(
            self.SQLALCHEMY_DATABASE_URI,
            connect_timeout=self.DB_CONNECT_TIMEOUT,
            statement_timeout=self.DB_STATEMENT_TIMEOUT,
            pool_timeout=self.DB_POOL_TIMEOUT,
        )

    def _init_addresses(self) -> None:
        """Where the service is reached: e-mail links are built on BASE_URL, never on the Host
        header a client sends; only TRUSTED_HOSTS are answered; PROXY_HOPS reverse proxies
        are believed about the client's address (X-Forwarded-For), none by default."""
        get = self.settings.value
        production = self.ENV == "production"
        default_base = "" if production else DEVELOPMENT_BASE_URL
        self.BASE_URL = get("QA_AUDIT_BASE_URL", default_base).strip().rstrip("/")
        hosts = [h.strip() for h in get("QA_AUDIT_TRUSTED_HOSTS", "").split(",")]
        self.TRUSTED_HOSTS: list[str] | None = [h for h in hosts if h] or None
        if self.TRUSTED_HOSTS is None and production and self.BASE_URL:
            self.TRUSTED_HOSTS = [urlsplit(self.BASE_URL).hostname or ""]
        self.PROXY_HOPS = self._whole_number("QA_AUDIT_PROXY_HOPS")

    def _init_single_sign_on(self) -> None:
        """Sign-in with the council's identity provider (OpenID Connect, docs/single-sign-on.md):
        off while QA_AUDIT_OIDC_ISSUER is empty."""
        get = self.settings.value
        self.OIDC_ISSUER = get("QA_AUDIT_OIDC_ISSUER", "").strip().rstrip("/")
        self.OIDC_CLIENT_ID = get("QA_AUDIT_OIDC_CLIENT_ID", "").strip()
        self.OIDC_CLIENT_SECRET = get("QA_AUDIT_OIDC_CLIENT_SECRET", "")
        self.OIDC_SCOPES = get("QA_AUDIT_OIDC_SCOPES", "openid email profile").strip()
        self.OIDC_SUBJECT_CLAIM = get("QA_AUDIT_OIDC_SUBJECT_CLAIM", "sub").strip()
        self.OIDC_EMAIL_CLAIM = get("QA_AUDIT_OIDC_EMAIL_CLAIM", "email").strip()
        self.OIDC_EMAIL_VERIFIED_CLAIM = get(
            "QA_AUDIT_OIDC_EMAIL_VERIFIED_CLAIM", "email_verified"
        ).strip()
        # Microsoft Entra ID sends no email_verified claim: its tenant vouches for the address.
        self.OIDC_TRUST_EMAIL = self._bool("QA_AUDIT_OIDC_TRUST_EMAIL", False)
        self.OIDC_NAME_CLAIM = get("QA_AUDIT_OIDC_NAME_CLAIM", "name").strip()
        self.OIDC_GROUPS_CLAIM = get("QA_AUDIT_OIDC_GROUPS_CLAIM", "groups").strip()
        self.OIDC_CREATE_ACCOUNTS = self._bool("QA_AUDIT_OIDC_CREATE_ACCOUNTS", False)
        self.OIDC_SIGN_OUT_AT_PROVIDER = self._bool("QA_AUDIT_OIDC_SIGN_OUT_AT_PROVIDER", False)
        self.OIDC_POST_LOGOUT_REDIRECT_URL = get("QA_AUDIT_OIDC_POST_LOGOUT_REDIRECT_URL", "")
        # Seconds: a provider that does not answer must not hold a sign-in page for long.
        self.OIDC_TIMEOUT = self._whole_number("QA_AUDIT_OIDC_TIMEOUT", 5)
        self.OIDC_CLOCK_SKEW = self._whole_number("QA_AUDIT_OIDC_CLOCK_SKEW", 120)

    def _check_single_sign_on(self) -> None:
        if not self.OIDC_ISSUER:
            return
        if not self.OIDC_CLIENT_ID:
            raise ConfigError(
                "QA_AUDIT_OIDC_CLIENT_ID must be set when QA_AUDIT_OIDC_ISSUER is: the "
                "application (client) id the identity provider gave qa-audit."
            )
        if self.ENV == "production" and urlsplit(self.OIDC_ISSUER).scheme != "https":
            raise ConfigError("QA_AUDIT_OIDC_ISSUER must be an https:// address in production.")

    def _check_addresses(self) -> None:
        parts = urlsplit(self.BASE_URL)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(
                "QA_AUDIT_BASE_URL must be set to the address people use to reach the service, "
                "for example https://qa-audit.example.gov.uk (links in e-mails are built on it)."
            )
        if parts.query or parts.fragment:
            raise ConfigError("QA_AUDIT_BASE_URL must be an address without '?' or '#' parts.")

    def check(self) -> None:
        """Refuse settings that are unsafe for production."""
        self._check_addresses()
        self._check_single_sign_on()
        if self.ENV == "production":
            _check_key("QA_AUDIT_SECRET_KEY", self.SECRET_KEY)
            if self.BACKUP_KEY:
                _check_key("QA_AUDIT_BACKUP_KEY", self.BACKUP_KEY)
            if not self.DATABASE_URL_GIVEN:
                raise ConfigError(
                    f"{DATABASE_URL} must be set in production, for example "
                    f"{PRODUCTION_DATABASE_EXAMPLE} (without it qa-audit would make a new, "
                    "empty SQLite file instead of using your database)."
                )


class TestConfig(Config):
    """Settings for the test suite: the database comes from QA_AUDIT_TEST_DATABASE_URL."""

    __test__ = False  # not a pytest test class, despite the name

    def __init__(self, database_url: str | None = None) -> None:
        super().__init__()
        self.TESTING = True
        self.SECRET_KEY = "test-secret-key"
        self.SQLALCHEMY_DATABASE_URI = database_url or os.environ.get(
            "QA_AUDIT_TEST_DATABASE_URL", "sqlite://"
        )
        self.DATABASE_URL_GIVEN = True
        self.set_engine_options()
        self.WTF_CSRF_ENABLED = False
        self.BASE_URL = "http://localhost"  # the test client's own address
        self.SESSION_COOKIE_SECURE = False
