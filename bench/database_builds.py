"""The databases a benchmark run measures, built where missing or reused (bench/databases.py
builds one); with both kinds, PostgreSQL's are built in a child process meanwhile."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench import data, databases


def build_databases(
    backends: list[str], labels: list[str], rebuild: bool, say: Callable[[str], None]
) -> dict[str, dict[str, databases.Built]]:
    """Every database the run needs, built where missing. With both kinds, PostgreSQL's are
    built by a child process (bench/build.py) while this one builds SQLite's."""
    out: dict[str, dict[str, databases.Built]] = {}
    child = None
    descriptor, name = tempfile.mkstemp(prefix="qa-bench-built-", suffix=".json")
    os.close(descriptor)
    handoff = Path(name)
    if "postgresql" in backends and "sqlite" in backends:
        command = [sys.executable, "-m", "bench.build", "postgresql", str(handoff), *labels]
        child = subprocess.Popen(command + (["--rebuild"] if rebuild else []), cwd=data.ROOT)
    try:
        for backend in backends:
            if child is None or backend != "postgresql":
                out[backend] = _ensure_all(backend, labels, rebuild, say)
        if child is not None:
            if child.wait() != 0:
                raise RuntimeError("building the PostgreSQL databases failed (see above)")
            raw = json.loads(handoff.read_text(encoding="utf-8"))
            out["postgresql"] = {label: databases.Built(**raw[label]) for label in labels}
    finally:
        if child is not None and child.poll() is None:
            child.terminate()
        handoff.unlink(missing_ok=True)
    return out


def _ensure_all(
    backend: str, labels: list[str], rebuild: bool, say: Callable[[str], None]
) -> dict[str, databases.Built]:
    def log(message: str) -> None:
        say(f"  [{backend}] {message}")

    return {label: databases.ensure(backend, label, log=log, rebuild=rebuild) for label in labels}
