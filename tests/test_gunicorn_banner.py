"""gunicorn as the deployment guide starts it (with qa_audit.gunicorn_conf) sends no product
banner: no ``Server`` header at all."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.usefixtures("app")  # the suite's per-test fixtures expect the app
def test_no_server_header(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_AUDIT_")}
    env.update(
        QA_AUDIT_DATABASE_URL=f"sqlite:///{tmp_path / 'banner.sqlite'}",
        QA_AUDIT_INSTANCE_PATH=str(tmp_path),
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:qa_audit.gunicorn_conf",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "qa_audit:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    headers = r.headers
                    break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        assert "Server" not in headers
        assert headers["Content-Type"].startswith("text/plain")
    finally:
        process.terminate()
        process.wait(timeout=30)
