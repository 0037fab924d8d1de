"""`python -m bench.profile_page DATABASE_URL PATH [REQUESTS]`: one page of a benchmark
database, profiled with pyinstrument through Flask's test client (signed in as the benchmark's
QA lead), with the CPU time per request and the SQL statements it runs.

The CPU time is measured twice: without the profiler (the page's own cost, the figure to
compare) and under it. pyinstrument's hook costs time on every Python call, so a page's CPU
under the profiler is two to three times its own: read the tree for proportions only.
Signing in and each page view write (the session, the access log): profile a copy of a
benchmark database, not the one in bench/data."""

from __future__ import annotations

import collections
import sys
import time
from typing import Any

from pyinstrument import Profiler
from sqlalchemy import event

from bench import data


def main(argv: list[str]) -> int:
    url, path = argv[0], argv[1]
    requests = int(argv[2]) if len(argv) > 2 else 5
    from qa_audit.core.extensions import db

    app = data.bench_app(url)
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    signed_in = client.post(
        "/sign-in", data={"email": data.QA_LEAD_EMAIL, "password": data.PASSWORD}
    )
    if signed_in.status_code != 302:
        print(f"sign-in failed ({signed_in.status_code})", file=sys.stderr)
        return 1
    for _ in range(2):  # warm: templates compiled, caches filled
        client.get(path)
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(" ".join(statement.split())[:110])

    own = []
    for _ in range(5):  # the least of five rounds: other work on the machine only adds
        started = time.process_time()
        for _ in range(requests):
            client.get(path)
        own.append((time.process_time() - started) / requests)
    event.listen(engine, "before_cursor_execute", note)
    profiler = Profiler(interval=0.0005)
    started = time.process_time()
    with profiler:
        for _ in range(requests):
            status = client.get(path).status_code
    cpu = (time.process_time() - started) / requests
    event.remove(engine, "before_cursor_execute", note)
    print(
        f"{path}: status {status}, {min(own) * 1000:.1f} ms of CPU "
        f"({cpu * 1000:.1f} ms under the profiler) and "
        f"{len(statements) / requests:.0f} statements a request"
    )
    for text, n in collections.Counter(statements).most_common(15):
        print(f"  {n / requests:4.1f}  {text}")
    print(profiler.output_text(unicode=False, color=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
