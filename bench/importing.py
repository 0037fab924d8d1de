"""The CSV import: 10,000 rows (bench.csv_sample) into a freshly migrated database,
through the importer that `qa-audit import audits` and the import page use, then committed."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench import data, databases

ROWS = 10_000


def run(backend: str, rows: int = ROWS) -> dict[str, Any]:
    """Seconds to check and insert ``rows`` CSV rows (the file already written)."""
    from bench.csv_sample import write_sample_csv
    from qa_audit.audit_import.services import import_audits
    from qa_audit.audits.models import Audit
    from qa_audit.core.extensions import db

    with databases.fresh(backend, "import") as url, tempfile.TemporaryDirectory() as folder:
        data.migrate(url)
        path = Path(folder) / "audits.csv"
        sample = write_sample_csv(path, rows, seed=7)
        payload = path.read_bytes()
        app = data.bench_app(url)
        with app.app_context():
            started = time.perf_counter()
            result = import_audits(None, payload, path.name, create_users=True)
            db.session.commit()
            seconds = time.perf_counter() - started
            stored = db.session.scalar(select(func.count()).select_from(Audit))
            db.session.remove()
            db.engine.dispose()
    if result.audits != rows or stored != rows or result.moderations != sample.moderated:
        raise AssertionError(
            f"the import wrote {result.audits} audits ({stored} stored) and "
            f"{result.moderations} moderations; the file has {rows} and {sample.moderated}"
        )
    return {
        "rows": rows,
        "seconds": seconds,
        "rows_per_second": rows / seconds,
        "moderations": result.moderations,
        "users_created": len(result.users_created),
    }
