"""Peak memory of the largest upload allowed (MAX_CONTENT_LENGTH, 50 MB) stays under 250 MB:
the import runs in a child process, which reports its own peak resident size."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from qa_audit.audit_import.contract import AUDIT_COLUMNS
from qa_audit.core.config import Config

LIMIT_MB = 250
ROWS = 50_000  # the default row limit, each row about 1 KB: the whole 50 MB

# Linux keeps ru_maxrss across exec, so a child started from the (large) test process would
# report the test process's size: a small relay process starts the measured one.
RELAY = "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))"
CHILD = """
import io, json, resource, sys
from qa_audit import create_app
from qa_audit.audit_import.services import AuditImportError, import_audits
from qa_audit.core.config import TestConfig
from qa_audit.core.extensions import db

app = create_app(TestConfig(database_url="sqlite:///" + sys.argv[2]))
with app.app_context():
    db.create_all()
    idle = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open(sys.argv[1], "rb") as stream:
        try:
            import_audits(None, stream, "history.csv")
            outcome = {"imported": True}
        except AuditImportError as error:
            outcome = {"listed": len(error.problems), "more": error.more}
    outcome["idle_kb"] = idle
    outcome["peak_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(outcome))
"""


def _bad_rows(path: Path, size: int) -> None:
    """ROWS rows, every value wrong and long, so each row holds several long messages."""
    header = ",".join(AUDIT_COLUMNS) + "\n"
    width = (size - len(header)) // ROWS - 1
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(header)
        for n in range(ROWS):
            line = ",".join([f"REF-{n:06d}"] + [f"{name} x" for name in AUDIT_COLUMNS[1:]])
            out.write(line.ljust(width, "x") + "\n")


def test_the_largest_upload_allowed_stays_under_250_mb(tmp_path: Path) -> None:
    size = Config().MAX_CONTENT_LENGTH
    path = tmp_path / "history.csv"
    _bad_rows(path, size)
    assert size * 0.95 < path.stat().st_size <= size
    env = {**os.environ, "QA_AUDIT_IMPORT_MAX_ROWS": str(ROWS)}
    done = subprocess.run(
        [sys.executable, "-c", RELAY, sys.executable, "-c", CHILD, str(path), str(tmp_path / "db")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout.splitlines()[-1])
    assert outcome["listed"] == 1000
    assert outcome["more"] > 4 * ROWS  # every row was checked, several problems each
    assert outcome["peak_kb"] / 1024 < LIMIT_MB, outcome
