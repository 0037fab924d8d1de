"""Load without loss: 20 auditors at once, each signing in and starting, filling and
submitting 10 audits through the real pages of a real server; every audit stored exactly
once, no 5xx, no errors."""

from __future__ import annotations

import threading
import time

from tests.soak import harness
from tests.soak.conftest import AUDITORS, FIGURES, Prepared

AUDITS_EACH = 10
DEADLINE = 300  # seconds: the clients stop here whatever has happened


def run_auditor(
    base: str, email: str, n: int, prepared: Prepared, stats: harness.Stats, stop: float
) -> None:
    browser = harness.Browser(base, stats)
    try:
        browser.sign_in(email)
        for k in range(AUDITS_EACH):
            if time.monotonic() > stop:
                stats.note(0.0, None, f"{email}: stopped at the deadline after {k} audits")
                return
            audit_id = browser.start_audit(
                f"SOAK{n:02d}X{k:02d}9", prepared.area_id, prepared.team_id
            )
            browser.fill_and_submit(audit_id)
    except harness.UnexpectedResponse:
        return  # already noted in stats
    except Exception as error:
        stats.note(0.0, None, f"{email}: {error!r}")


def test_twenty_auditors_submit_ten_audits_each_without_loss(prepared: Prepared) -> None:
    stats = harness.Stats()
    label = "PostgreSQL" if prepared.url.startswith("postgresql") else "SQLite"
    with harness.serving(prepared.url, prepared.instance, workers=2, threads=4) as server:
        stop = time.monotonic() + DEADLINE
        started = time.monotonic()
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
        for thread in threads:
            thread.join(timeout=DEADLINE + 2 * harness.REQUEST_TIMEOUT)
        elapsed = time.monotonic() - started
        assert not any(t.is_alive() for t in threads), "a client did not stop"
        logged = server.errors_logged()

    expected = AUDITORS * AUDITS_EACH
    stored = harness.rows(
        prepared.url,
        "SELECT case_ref, status, COUNT(*) FROM audit WHERE case_ref LIKE 'SOAK%' "
        "GROUP BY case_ref, status",
    )
    submitted = {case for case, status, _ in stored if status == "submitted"}
    duplicates = [case for case, _, count in stored if count > 1]
    wanted = {f"SOAK{n:02d}X{k:02d}9" for n in range(AUDITORS) for k in range(AUDITS_EACH)}
    lost = sorted(wanted - submitted)
    logged_submissions = harness.scalar(
        prepared.url,
        "SELECT COUNT(*) FROM change_log WHERE action = 'audit.submitted' AND entity_id IN "
        "(SELECT CAST(id AS VARCHAR(80)) FROM audit WHERE case_ref LIKE 'SOAK%')",
    )
    FIGURES.append(
        f"soak load on {label}: {AUDITORS} clients x {AUDITS_EACH} audits in {elapsed:.1f} s; "
        f"{stats.summary()}; {len(submitted)} of {expected} audits stored, "
        f"{len(duplicates)} duplicated, {len(lost)} lost"
    )
    assert stats.errors == [], stats.errors[:10]
    assert stats.server_errors == 0, stats.statuses
    assert logged == [], logged[:10]
    assert duplicates == [], (duplicates, lost[:10])
    assert lost == [], (duplicates, lost[:10])
    assert len(stored) == expected  # no other status (no draft left behind)
    assert logged_submissions == expected  # each submission logged once
    # Sign-in (2 requests); an audit: its start (2), the task list (1), a page and a save for
    # each of the tool's five principles and the overall judgement (12), Check your answers
    # and submit (2).
    assert stats.requests == AUDITORS * 2 + expected * (2 + 1 + 2 * (5 + 1) + 2)
