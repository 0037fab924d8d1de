"""deploy/nginx/qa-audit.conf passes `nginx -t` on Debian 12's nginx (1.22) once a council's
values are in: a certificate, the host name, the ports. Nothing is started."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deployment.files import NGINX_SITE

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(),
    reason="nginx is not installed (scripts/ensure-system-packages.sh installs Debian's)",
)
# The values the site's header tells a council to edit, as shipped.
CERTIFICATE = "/etc/ssl/certs/qa-audit.fullchain.pem"
PRIVATE_KEY = "/etc/ssl/private/qa-audit.key"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def nginx_test(site_text: str, folder: Path, certificate: tuple[Path, Path]) -> str:
    """`nginx -t` on a main configuration holding ``site_text`` as Debian's includes a site."""
    cert, key = certificate
    site = folder / "qa-audit.conf"
    site.write_text(
        site_text.replace(CERTIFICATE, str(cert)).replace(PRIVATE_KEY, str(key)), encoding="utf-8"
    )
    main = folder / "nginx.conf"
    main.write_text(
        f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {folder}/body;\n"
        f"  include {site};\n}}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [NGINX, "-t", "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(main)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return result.stderr if result.returncode else ""


def test_the_site_passes_nginx_t(tmp_path: Path, certificate: tuple[Path, Path]) -> None:
    site = NGINX_SITE.read_text(encoding="utf-8")
    # The values a council replaces.
    assert CERTIFICATE in site
    assert PRIVATE_KEY in site
    assert nginx_test(site, tmp_path, certificate) == ""


def test_nginx_1_22_refuses_the_newer_http2_directive(
    tmp_path: Path, certificate: tuple[Path, Path]
) -> None:
    """What `nginx -t` guards against: `http2 on;` (nginx 1.25.1 and later) stops Debian 12's
    nginx, so the site turns HTTP/2 on in its `listen` lines."""
    site = NGINX_SITE.read_text(encoding="utf-8")
    assert "http2 on;" not in site
    newer = site.replace("server_tokens off;", "server_tokens off;\n    http2 on;", 1)
    version = subprocess.run([NGINX, "-v"], capture_output=True, text=True).stderr
    if "nginx/1.22" not in version:
        pytest.skip(f"not Debian 12's nginx 1.22 ({version.strip()})")
    assert 'unknown directive "http2"' in nginx_test(newer, tmp_path, certificate)


def test_the_proxy_keeps_the_port_and_says_the_request_was_https() -> None:
    """`Host $host` drops a port other than 443, and every form then fails the anti-forgery
    check's same-origin test ("Your form has expired")."""
    headers = {
        line.split()[1]: line.split()[2].rstrip(";")
        for line in NGINX_SITE.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("proxy_set_header")
    }
    assert headers["Host"] == "$http_host"
    assert headers["X-Forwarded-Proto"] == "$scheme"
    assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for"


def test_the_body_limit_matches_the_applications(app) -> None:  # type: ignore[no-untyped-def]
    megabytes = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
    assert f"client_max_body_size {megabytes}m;" in NGINX_SITE.read_text(encoding="utf-8")
