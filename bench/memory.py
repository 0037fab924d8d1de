"""Peak memory of one period report, measured in a process of its own.

`python -m bench.memory URL FROM TO` imports the application, opens the database (the
baseline), builds the report and prints JSON: the peak resident set (VmHWM of
/proc/self/status) before and after the report."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from bench import data


def _vm(field: str) -> float:
    """A /proc/self/status figure in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def main(argv: list[str]) -> int:
    url, first, last = argv
    from sqlalchemy import text

    from bench.report import Period, build
    from qa_audit.core.extensions import db

    app = data.bench_app(url)
    with app.app_context():
        db.session.execute(text("SELECT 1"))
        baseline = _vm("VmHWM")
        report = build(Period("memory", first, last))
        peak = _vm("VmHWM")
    print(
        json.dumps(
            {
                "baseline_mb": round(baseline, 1),
                "peak_mb": round(peak, 1),
                "audits": report["audits_completed"],
            }
        )
    )
    return 0


def measure(url: str, first: str, last: str) -> dict[str, Any]:
    """Run main() in a child process and return what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.memory", url, first, last],
        cwd=data.ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the memory measurement failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
