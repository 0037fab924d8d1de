"""What the benchmark's figures were measured on: the processor, memory, Python, the databases'
versions and the load average, written beside the figures in bench/results/latest.json."""

from __future__ import annotations

import os
import platform
import sqlite3
from typing import Any


def machine() -> dict[str, Any]:
    """What the figures were measured on."""

    def first(path: str, prefix: str) -> str:
        try:
            with open(path, encoding="utf-8") as handle:
                for line in handle:
                    if line.startswith(prefix):
                        return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "unknown"

    ram_kb = first("/proc/meminfo", "MemTotal").split()[0]
    return {
        "nproc": os.cpu_count(),
        "ram_gb": round(int(ram_kb) / 1024 / 1024, 1) if ram_kb.isdigit() else None,
        "cpu": first("/proc/cpuinfo", "model name"),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": None,
        "os": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
