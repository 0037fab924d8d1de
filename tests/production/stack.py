"""The production set-up, built as docs/deployment.md describes from the files in deploy/:
PostgreSQL with a role owning its database, the settings file (QA_AUDIT_CONFIG), the service
account's folders, migrations, reference data, a few years of imported audits and a QA lead,
gunicorn as the unit starts it, and nginx with TLS in front. Everything is stopped and removed
when the ExitStack given to ``build`` closes, whatever happened."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.csv_sample import write_sample_csv
from tests.production import deploy_files as deploy
from tests.production.postgres import Cluster
from tests.production.services import (
    Server,
    as_service,
    owned_by_service,
    service_account,
    service_group_name,
    wait_for,
)
from tests.soak.harness import BIN, PASSWORD, free_port

NGINX = Path("/usr/sbin/nginx")
HOST = "localhost"
QA_LEAD = "quality.lead@example.gov.uk"
IMPORTED_AUDITS = 48
REPORT_PERIOD = ("--from", "2022-10", "--to", "2025-09")  # the imported audits' span
ADMIN_UMASK = 0o022  # an administrator's usual shell: files readable by all unless we say not
CLI_WAIT = 120  # seconds any one command may take
TIMINGS: list[str] = []  # how long the parts took, printed at the end of the run


@dataclass
class Stack:
    root: Path
    cluster: Cluster
    settings: Path
    instance: Path
    backups: Path
    cache: Path
    database_url: str
    restored_url: str
    certificate: Path
    base: str  # https://localhost:PORT, QA_AUDIT_BASE_URL
    http_base: str
    app: Server | None = None
    proxy: Server | None = None
    workers: int = 1  # gunicorn's, as the unit sets them

    def environment(self, database_url: str | None = None) -> dict[str, str]:
        """The environment a service process starts with: the unit's Environment= lines (the
        settings file's path, matplotlib's cache), nothing else of ours: the rest is in the
        file. ``database_url`` overrides the file's, as an environment variable wins."""
        paths = {
            "/etc/qa-audit/qa-audit.env": str(self.settings),
            "/var/cache/qa-audit": str(self.cache),
            "/var/lib/qa-audit": str(self.instance),
        }
        env = {k: v for k, v in os.environ.items() if not k.startswith("QA_AUDIT_")}
        env.update(HOME=str(self.instance), PYTHONUNBUFFERED="1")
        for line in deploy.unit_values(deploy.SERVICE_UNIT, "Environment"):
            key, _, value = line.partition("=")
            if value.startswith("/") and value not in paths:
                raise deploy.DeployFileChanged(f"the service unit sets {key} to a new path")
            env[key] = paths.get(value, value)
        if "QA_AUDIT_CONFIG" not in env:
            raise deploy.DeployFileChanged("the service unit no longer sets QA_AUDIT_CONFIG")
        if database_url:
            env["QA_AUDIT_DATABASE_URL"] = database_url
        return env

    def client(self) -> requests.Session:
        """A client that trusts the test's certificate and no proxy from the environment."""
        session = requests.Session()
        session.verify = str(self.certificate)
        session.trust_env = False
        return session

    def cli(
        self, *args: str, stdin: str | None = None, database_url: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """``qa-audit ARGS`` as the service account, as an administrator runs it."""
        return subprocess.run(
            as_service([str(BIN / "qa-audit"), *args]),
            env=self.environment(database_url),
            cwd=self.instance,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=CLI_WAIT,
            umask=ADMIN_UMASK,
            check=False,
        )

    def must(self, *args: str, **kwargs: str) -> str:
        """``cli`` that must succeed; its standard output."""
        done = self.cli(*args, **kwargs)
        assert done.returncode == 0, f"qa-audit {' '.join(args)}: {done.stderr[-3000:]}"
        return done.stdout


def _make_root() -> Path:
    # Not pytest's tmp_path: it sits in a folder only root may enter, and the postgres and
    # service accounts must reach their own folders inside this one.
    root = Path(tempfile.mkdtemp(prefix="qa-audit-production-"))
    root.chmod(0o755)
    return root


def _write_settings(stack_root: Path, values: dict[str, str]) -> Path:
    """The settings file, root's and readable by the service's group only (0640)."""
    etc = stack_root / "etc"
    etc.mkdir(mode=0o755)
    path = etc / "qa-audit.env"
    path.touch(mode=0o640)
    path.chmod(0o640)
    if service_account():
        shutil.chown(path, "root", service_group_name())
    path.write_text(deploy.settings_file(values))
    return path


def _prepare(cleanup: ExitStack, pgbin: Path) -> Stack:
    root = _make_root()
    cleanup.callback(shutil.rmtree, root, ignore_errors=True)
    cluster = Cluster(root / "postgres", pgbin)
    cleanup.callback(cluster.remove)
    cluster.start()
    password = secrets.token_hex(16)
    cluster.create_service_database("qa_audit", password, "qa_audit", "qa_audit_restored")
    tls_port = free_port()
    base = f"https://{HOST}:{tls_port}"
    instance = owned_by_service(root / "var-lib-qa-audit", 0o700)
    # A query with '&': the settings file keeps it whole (a shell's `. file` did not).
    query = "?application_name=qa-audit&sslmode=disable"
    database_url = cluster.url("qa_audit", "qa_audit", password) + query
    settings = _write_settings(
        root,
        {
            "QA_AUDIT_SECRET_KEY": secrets.token_hex(32),
            "QA_AUDIT_BACKUP_KEY": secrets.token_hex(32),
            "QA_AUDIT_DATABASE_URL": database_url,
            "QA_AUDIT_BASE_URL": base,
            "QA_AUDIT_INSTANCE_PATH": str(instance),
        },
    )
    nginx = root / "nginx"
    nginx.mkdir(mode=0o755)
    certificate, _ = deploy.self_signed_certificate(nginx, HOST)
    return Stack(
        root=root,
        cluster=cluster,
        settings=settings,
        instance=instance,
        backups=owned_by_service(root / "backups", 0o700),
        cache=owned_by_service(root / "cache", 0o700),
        database_url=database_url,
        restored_url=cluster.url("qa_audit_restored", "qa_audit", password) + query,
        certificate=certificate,
        base=base,
        http_base=f"http://{HOST}:{free_port()}",
    )


def _load_data(stack: Stack) -> None:
    """Tables, reference data, audits imported with their (new) auditors, and a QA lead."""
    stack.must("db", "upgrade")
    stack.must("seed")
    history = stack.root / "history.csv"
    write_sample_csv(history, IMPORTED_AUDITS, seed=14, auditors=4, moderators=2)
    history.chmod(0o644)
    stack.must("import", "audits", str(history), "--create-users")
    stack.must(
        "users", "create", QA_LEAD, "--name", "Quality Lead", "--role", "qa_lead",
        stdin=PASSWORD + "\n",
    )  # fmt: skip


def _start_gunicorn(stack: Stack, cleanup: ExitStack) -> None:
    """The unit's ExecStartPre (the migrations check), then its ExecStart, on a free port."""
    for command in deploy.unit_commands(deploy.SERVICE_UNIT, "ExecStartPre"):
        local = deploy.installed_here(command, BIN)
        assert Path(local[0]).parent == BIN, f"ExecStartPre runs {command[0]}"
        stack.must(*local[1:])
    (start,) = deploy.unit_commands(deploy.SERVICE_UNIT, "ExecStart")
    port = free_port()
    command = deploy.with_bind(deploy.installed_here(start, BIN), f"127.0.0.1:{port}")
    if "--workers" in command:
        stack.workers = int(command[command.index("--workers") + 1])
    stack.app = Server(
        as_service(command),
        stack.root / "gunicorn.log",
        stack.environment(),
        port,
        cwd=stack.instance,
    )
    cleanup.callback(stack.app.stop)


def _start_nginx(stack: Stack, cleanup: ExitStack) -> None:
    assert stack.app is not None
    folder = stack.certificate.parent
    site = folder / "qa-audit.conf"
    http_port = int(stack.http_base.rsplit(":", 1)[1])
    tls_port = int(stack.base.rsplit(":", 1)[1])
    site.write_text(
        deploy.nginx_site(
            deploy.Site(
                HOST, http_port, tls_port, f"127.0.0.1:{stack.app.port}",
                stack.certificate, folder / "key.pem",
            )
        )
    )  # fmt: skip
    main = folder / "nginx.conf"
    # Debian's nginx runs its workers as www-data; only root can switch to it.
    main.write_text(deploy.nginx_main(folder, site, "www-data" if service_account() else None))
    (folder / "temp").mkdir()
    command = [str(NGINX), "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(main)]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, f"nginx -t: {checked.stderr}"
    stack.proxy = Server(
        [*command, "-g", "daemon off;"], folder / "nginx.out", dict(os.environ), tls_port,
        umask=0o022,
    )  # fmt: skip
    cleanup.callback(stack.proxy.stop)


def _serving(stack: Stack) -> bool:
    try:
        response = stack.client().get(f"{stack.base}/healthz", timeout=5)
    except requests.RequestException:
        return False
    return response.status_code == 200


def build(cleanup: ExitStack, pgbin: Path) -> Stack:
    stack = _prepare(cleanup, pgbin)
    _load_data(stack)
    _start_gunicorn(stack, cleanup)
    _start_nginx(stack, cleanup)
    wait_for(lambda: _serving(stack), 60, "the service answering through nginx")
    return stack
