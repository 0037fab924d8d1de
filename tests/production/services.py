"""The production test's processes: the service account that runs gunicorn and the CLI, and
long-running servers (gunicorn, nginx) each in its own process group, stopped for certain."""

from __future__ import annotations

import grp
import os
import pwd
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

from tests.soak.harness import BIN

SERVICE_ACCOUNT = "nobody"  # an account that owns nothing, as the service's own would not
START_WAIT = 60  # seconds a server has to start listening


@cache
def service_account() -> tuple[int, int] | None:
    """The (uid, gid) the service runs as; None when the test itself is not root (it then
    runs everything as the user it is)."""
    if os.geteuid() != 0:
        return None
    account = pwd.getpwnam(SERVICE_ACCOUNT)
    return account.pw_uid, account.pw_gid


def service_group_name() -> str:
    found = service_account()
    return grp.getgrgid(found[1]).gr_name if found else grp.getgrgid(os.getegid()).gr_name


@cache
def _read_capability() -> list[str]:
    """Where the Python the tests run on lives in a folder the service account cannot enter
    (a per-user install under /root), the account is given the right to read files, and
    nothing more: it still writes only where it owns a folder."""
    probe = ["setpriv", *_switch(), "--", str(BIN / "python"), "-c", "import qa_audit"]
    if subprocess.run(probe, capture_output=True, timeout=60, check=False).returncode == 0:
        return []
    return ["--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"]


def _switch() -> list[str]:
    uid, gid = service_account() or (os.geteuid(), os.getegid())
    return [f"--reuid={uid}", f"--regid={gid}", "--clear-groups"]


def as_service(command: list[str]) -> list[str]:
    """``command`` run as the service account (as systemd's User= would)."""
    if service_account() is None:
        return command
    return ["setpriv", *_switch(), *_read_capability(), "--", *command]


def owned_by_service(path: Path, mode: int) -> Path:
    """``path`` (a folder, made if missing) owned by the service account alone."""
    path.mkdir(mode=mode, parents=True, exist_ok=True)
    path.chmod(mode)
    found = service_account()
    if found:
        os.chown(path, *found)
    return path


def wait_for(check: Callable[[], bool], seconds: float, what: str, step: float = 0.2) -> float:
    """Poll ``check`` until it is true; how long that took. AssertionError after ``seconds``."""
    started = time.monotonic()
    while True:
        if check():
            return time.monotonic() - started
        if time.monotonic() - started > seconds:
            raise AssertionError(f"{what}: not within {seconds} s")
        time.sleep(step)


def listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


class Server:
    """A long-running process with its output in ``log``; its whole process group is
    stopped at the end, so no worker outlives the test."""

    def __init__(
        self,
        command: list[str],
        log: Path,
        env: dict[str, str],
        port: int,
        *,
        umask: int = 0o077,
        cwd: Path | str = "/",
    ) -> None:
        self.log = log
        self.port = port
        self.process = subprocess.Popen(
            command,
            env=env,
            cwd=cwd,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            umask=umask,
        )
        try:
            wait_for(self._up, START_WAIT, f"{Path(command[0]).name} listening on {port}")
        except BaseException:
            self.stop()
            raise

    def _up(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"exited {self.process.returncode}: {self.output()[-3000:]}")
        return listening(self.port)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)
