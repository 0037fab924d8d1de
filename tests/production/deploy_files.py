"""The files in deploy/ as the production test uses them: each copied with only the values a
council is told to edit replaced (a replacement that no longer matches fails the test, so the
test cannot drift from the files), plus a self-signed certificate and nginx's main file."""

from __future__ import annotations

import re
import shlex
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from qa_audit.core.config import ROOT

DEPLOY = ROOT / "deploy"
SETTINGS_EXAMPLE = DEPLOY / "qa-audit.env.example"
NGINX_SITE = DEPLOY / "nginx" / "qa-audit.conf"
SERVICE_UNIT = DEPLOY / "systemd" / "qa-audit.service"
INSTALLED = "/opt/qa-audit/"  # where the unit expects the installed service


class DeployFileChanged(AssertionError):
    """A value the test replaces is no longer in a deploy/ file: update the test with it."""


def _replace(text: str, old: str, new: str, source: Path) -> str:
    if old not in text:
        raise DeployFileChanged(f"{source.name} no longer contains {old!r}")
    return text.replace(old, new)


def settings_file(values: dict[str, str]) -> str:
    """The settings example with ``values`` set: each on the line that shows its key (the
    example's own line, or its commented-out default, uncommented)."""
    text = SETTINGS_EXAMPLE.read_text()
    for key, value in values.items():
        found = re.search(rf"^{key}=.*$", text, re.M) or re.search(rf"^# {key}=.*$", text, re.M)
        if found is None:
            raise DeployFileChanged(f"{SETTINGS_EXAMPLE.name} no longer shows {key}")
        start, end = found.span()
        text = f"{text[:start]}{key}={value}{text[end:]}"
    return text


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


@dataclass(frozen=True)
class Site:
    host: str
    http_port: int
    tls_port: int
    upstream: str  # gunicorn's address, host:port
    certificate: Path
    key: Path


def nginx_site(site: Site) -> str:
    """deploy/nginx/qa-audit.conf on the test's host, ports, certificate and upstream."""
    text = NGINX_SITE.read_text()
    v6 = _ipv6_loopback()
    replacements = [
        ("server 127.0.0.1:8000;", f"server {site.upstream};"),
        ("listen 80;", f"listen 127.0.0.1:{site.http_port};"),
        ("listen [::]:80;", f"listen [::1]:{site.http_port};" if v6 else ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{site.tls_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", f"listen [::1]:{site.tls_port} ssl http2;" if v6 else ""),
        ("https://qa-audit.example.gov.uk", f"https://{site.host}:{site.tls_port}"),
        ("qa-audit.example.gov.uk", site.host),
        ("/etc/ssl/certs/qa-audit.fullchain.pem", str(site.certificate)),
        ("/etc/ssl/private/qa-audit.key", str(site.key)),
    ]
    for old, new in replacements:
        text = _replace(text, old, new, NGINX_SITE)
    return text


def nginx_main(folder: Path, site_file: Path, worker_user: str | None) -> str:
    """nginx.conf for a private nginx: its pid, logs and temporary files in ``folder``."""
    temp = {
        name: folder / "temp" / name
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    }
    temp_lines = "\n".join(f"    {name}_temp_path {path};" for name, path in temp.items())
    user = f"user {worker_user};\n" if worker_user else ""
    return (
        f"{user}worker_processes 1;\n"
        f"pid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} info;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        f"    access_log {folder / 'access.log'};\n"
        f"{temp_lines}\n"
        f"    include {site_file};\n"
        "}\n"
    )


def self_signed_certificate(folder: Path, host: str) -> tuple[Path, Path]:
    """A certificate for ``host`` and its key, made by openssl; clients trust it by file."""
    certificate, key = folder / "certificate.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "2", "-subj", f"/CN={host}", "-addext", f"subjectAltName=DNS:{host}",
            "-keyout", str(key), "-out", str(certificate),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )  # fmt: skip
    return certificate, key


def unit_commands(unit: Path, directive: str) -> list[list[str]]:
    """Every ``directive=`` command line of a systemd unit, split into arguments (systemd's
    continuation lines joined, its prefixes such as ``-`` and ``+`` dropped)."""
    text = unit.read_text().replace("\\\n", " ")
    commands = []
    for line in text.splitlines():
        name, _, value = line.strip().partition("=")
        if name == directive:
            commands.append(shlex.split(value.lstrip("-@:+!")))
    return commands


def installed_here(command: list[str], bin_folder: Path) -> list[str]:
    """A unit's command with the installed virtual environment's programs taken from ours."""
    return [
        str(bin_folder / Path(arg).name)
        if arg.startswith(INSTALLED) and Path(arg).parent.name == "bin"
        else arg
        for arg in command
    ]


def unit_values(unit: Path, directive: str) -> list[str]:
    """The values of a unit's ``directive=`` lines (Environment=, WorkingDirectory=...)."""
    values = []
    for line in unit.read_text().splitlines():
        name, _, value = line.strip().partition("=")
        if name == directive:
            values.append(value)
    return values


def with_bind(command: list[str], address: str) -> list[str]:
    """gunicorn's command line listening on ``address`` instead of the unit's."""
    out: list[str] = []
    args = iter(command)
    replaced = False
    for arg in args:
        if arg in ("--bind", "-b"):
            next(args)
            out += [arg, address]
            replaced = True
        elif arg.startswith("--bind="):
            out.append(f"--bind={address}")
            replaced = True
        else:
            out.append(arg)
    if not replaced:
        raise DeployFileChanged(f"{SERVICE_UNIT.name}'s ExecStart has no --bind")
    return out
