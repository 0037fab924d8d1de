"""Faults: the process killed (kill -9) in the middle of a large import, by the command line
and through the upload page of a real server, and in the middle of auditors' submissions.
Afterwards the database holds all or nothing of each import and submission, still migrates
(`qa-audit db upgrade heads` has nothing to do) and a report still builds."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

from bench.csv_sample import write_sample_csv
from qa_audit.core.clock import local_today
from tests.soak import harness
from tests.soak.conftest import FIGURES, Prepared
from tests.soak.test_load import run_auditor

IMPORT_ROWS = 15_000


def label(prepared: Prepared) -> str:
    return "PostgreSQL" if prepared.url.startswith("postgresql") else "SQLite"


def imported(prepared: Prepared, prefix: str) -> int:
    return int(
        harness.scalar(
            prepared.url, "SELECT COUNT(*) FROM audit WHERE reference LIKE :p", p=f"{prefix}%"
        )
    )


def still_sound(prepared: Prepared) -> dict:
    """The database migrates (nothing to do) and reports; the report's JSON."""
    heads = harness.rows(prepared.url, "SELECT version_num FROM alembic_version ORDER BY 1")
    upgrade = harness.cli(prepared.url, prepared.instance, "db", "upgrade", "heads")
    assert upgrade.returncode == 0, upgrade.stderr
    assert "Running upgrade" not in upgrade.stderr + upgrade.stdout
    assert harness.rows(prepared.url, "SELECT version_num FROM alembic_version ORDER BY 1") == heads
    this_month = local_today().strftime("%Y-%m")
    report = harness.cli(
        prepared.url,
        prepared.instance,
        "report",
        "--from",
        "2022-01",
        "--to",
        this_month,
        "--format",
        "json",
    )
    assert report.returncode == 0, report.stderr
    figures = json.loads(report.stdout)
    submitted = harness.scalar(
        prepared.url,
        "SELECT COUNT(*) FROM audit WHERE status IN ('submitted', 'closed') "
        "AND submitted_month >= '2022-01' AND submitted_month <= :m",
        m=this_month,
    )
    assert figures["audits_completed"] == submitted
    return figures


def test_kill_9_mid_import_from_the_command_line(prepared: Prepared, tmp_path: Path) -> None:
    big = tmp_path / "history.csv"
    write_sample_csv(big, IMPORT_ROWS, seed=7, ref_prefix="CLI-")
    process = subprocess.Popen(
        [str(harness.BIN / "qa-audit"), "import", "audits", str(big), "--create-users"],
        env=harness.server_env(prepared.url, prepared.instance),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    seen = ""
    while "Importing audits" not in seen:  # the insert stage has begun
        chunk = process.stderr.readline()
        if not chunk:
            break
        seen += chunk
    time.sleep(0.3)
    mid_way = process.poll() is None
    if mid_way:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    count = imported(prepared, "CLI-")
    assert mid_way, f"the import finished before it could be killed: {seen[-500:]}"
    assert count in (0, IMPORT_ROWS), count  # all or nothing
    figures = still_sound(prepared)
    # Run again to the end: the whole file goes in, once.
    done = harness.cli(
        prepared.url, prepared.instance, "import", "audits", str(big), "--create-users"
    )
    assert done.returncode == 0, done.stderr
    assert imported(prepared, "CLI-") == IMPORT_ROWS
    FIGURES.append(
        f"soak faults on {label(prepared)}: import of {IMPORT_ROWS} rows killed mid-insert by "
        f"kill -9 (command line): {count} rows kept (all or nothing), migrations a no-op, "
        f"report built ({figures['audits_completed']} audits); re-run imported {IMPORT_ROWS}"
    )


def _insert_running(prepared: Prepared, baseline_wal: int) -> bool:
    """Whether the import's insert is under way (its uncommitted rows reaching the disk)."""
    if prepared.url.startswith("postgresql"):
        return bool(
            harness.scalar(
                prepared.url,
                "SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active' "
                "AND (query ILIKE 'COPY%' OR query ILIKE 'INSERT INTO audit%' "
                "OR query ILIKE 'INSERT INTO audit_domain_grade%')",
            )
        )
    wal = Path(prepared.url.removeprefix("sqlite:///") + "-wal")
    return wal.exists() and wal.stat().st_size > baseline_wal + 2_000_000


def test_kill_9_mid_import_through_the_upload_page(prepared: Prepared, tmp_path: Path) -> None:
    big = tmp_path / "history.csv"
    write_sample_csv(big, IMPORT_ROWS, seed=8, ref_prefix="WEB-")
    stats = harness.Stats()
    server = harness.Server(prepared.url, prepared.instance, workers=2, threads=2)
    lead = harness.Browser(server.base, stats)
    lead.sign_in(prepared.qa_lead)
    _, token = lead.page("/audits/import")
    # The upload is a dry run that shows what would be imported; its page's form imports it.
    with big.open("rb") as handle:
        preview = lead.session.post(
            f"{server.base}/audits/import",
            data={"csrf_token": token, "create_users": "y"},
            files={"file": ("history.csv", handle, "text/csv")},
            allow_redirects=False,
            timeout=300,
        )
    assert preview.status_code == 200, preview.status_code
    confirm = dict(re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', preview.text))
    result: dict = {}

    def upload() -> None:
        try:
            result["response"] = lead.session.post(
                f"{server.base}/audits/import/confirm",
                data=confirm,
                allow_redirects=False,
                timeout=300,
            )
        except Exception as error:
            result["error"] = repr(error)

    wal = Path(prepared.url.removeprefix("sqlite:///") + "-wal")
    baseline = wal.stat().st_size if wal.exists() else 0
    sender = threading.Thread(target=upload, daemon=True)
    sender.start()
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and sender.is_alive():
        if _insert_running(prepared, baseline):
            break
        time.sleep(0.05)
    mid_way = sender.is_alive()
    server.kill()
    sender.join(timeout=60)
    count = imported(prepared, "WEB-")
    assert mid_way, f"the upload finished before it could be killed: {result}"
    assert "response" not in result  # the server died under the request
    assert count in (0, IMPORT_ROWS), count
    figures = still_sound(prepared)
    with harness.serving(prepared.url, prepared.instance) as again:  # and it serves again
        browser = harness.Browser(again.base, stats)
        browser.sign_in(prepared.qa_lead)
        browser.page("/audits/import")
    FIGURES.append(
        f"soak faults on {label(prepared)}: upload of {IMPORT_ROWS} rows, server killed by "
        f"kill -9 mid-import: {count} rows kept (all or nothing), migrations a no-op, report "
        f"built ({figures['audits_completed']} audits), server serves again"
    )


def test_kill_9_mid_submissions(prepared: Prepared) -> None:
    stats = harness.Stats()
    server = harness.Server(prepared.url, prepared.instance, workers=2, threads=4)
    stop = time.monotonic() + 120
    threads = [
        threading.Thread(
            target=run_auditor,
            args=(server.base, email, n, prepared, stats, stop),
            daemon=True,
        )
        for n, email in enumerate(prepared.auditors)
    ]
    for thread in threads:
        thread.start()
    submitted_sql = (
        "SELECT COUNT(*) FROM audit WHERE case_ref LIKE 'SOAK%' AND status = 'submitted'"
    )
    while time.monotonic() < stop and harness.scalar(prepared.url, submitted_sql) < 40:
        time.sleep(0.05)
    server.kill()  # with submissions in flight
    for thread in threads:
        thread.join(timeout=2 * harness.REQUEST_TIMEOUT)
    audits = harness.rows(
        prepared.url,
        "SELECT a.id, a.status, a.submitted_at, a.submitted_on, a.submitted_month, "
        "(SELECT COUNT(*) FROM change_log c WHERE c.entity_type = 'audit' "
        " AND c.entity_id = CAST(a.id AS VARCHAR(80)) AND c.action = 'audit.submitted'), "
        "(SELECT COUNT(*) FROM audit_domain_grade g WHERE g.audit_id = a.id AND g.grade IS NULL)"
        " FROM audit a WHERE a.case_ref LIKE 'SOAK%'",
    )
    half_done = []
    for audit_id, status, at, on, month, logged, ungraded in audits:
        if status == "submitted":
            ok = at is not None and on is not None and month is not None and logged == 1
            ok = ok and ungraded == 0
        else:
            ok = status == "draft" and at is None and on is None and month is None and logged == 0
        if not ok:
            half_done.append((audit_id, status, at, on, month, logged, ungraded))
    submitted = sum(1 for a in audits if a[1] == "submitted")
    assert half_done == [], half_done[:5]
    assert 40 <= submitted < len(prepared.auditors) * 10  # killed part-way
    moderation_orphans = harness.scalar(
        prepared.url,
        "SELECT COUNT(*) FROM moderation m JOIN audit a ON a.id = m.audit_id "
        "WHERE a.status = 'draft'",
    )
    assert moderation_orphans == 0
    figures = still_sound(prepared)
    # After a restart the drafts left behind can be submitted.
    with harness.serving(prepared.url, prepared.instance) as again:
        drafts = harness.rows(
            prepared.url,
            "SELECT a.id, u.email FROM audit a JOIN user_account u ON u.id = a.auditor_id "
            "WHERE a.case_ref LIKE 'SOAK%' AND a.status = 'draft'",
        )
        by_email: dict[str, harness.Browser] = {}
        for audit_id, email in drafts:
            if email not in by_email:
                by_email[email] = harness.Browser(again.base, harness.Stats())
                by_email[email].sign_in(email)
            by_email[email].fill_and_submit(audit_id)
    after = harness.scalar(prepared.url, submitted_sql)
    assert after == submitted + len(drafts)
    FIGURES.append(
        f"soak faults on {label(prepared)}: server killed by kill -9 during submissions "
        f"({submitted} submitted, {len(drafts)} drafts): 0 half-submitted, migrations a no-op, "
        f"report built ({figures['audits_completed']} audits); after restart the "
        f"{len(drafts)} drafts submitted, {after} in all"
    )
