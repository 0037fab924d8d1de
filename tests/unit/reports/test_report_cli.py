"""`qa-audit report`: JSON on stdout, the other formats to a file, exit 2 on bad input."""

from __future__ import annotations

import json
from datetime import date

from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from qa_audit.changelog.models import ChangeLogEntry
from tests import factories


def run(app, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["report", *args])


def _audits() -> None:
    factories.audit(overall="good", submitted_on=date(2024, 2, 3))
    factories.audit(overall="inadequate", submitted_on=date(2024, 3, 3))
    factories.audit(overall="good", area_key="fostering", submitted_on=date(2024, 3, 4))


def test_json_to_stdout(app, db) -> None:  # type: ignore[no-untyped-def]
    _audits()
    result = run(app, "--from", "2024-02", "--to", "2024-04")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["audits_completed"] == 3
    assert report["overall"]["final_percent"] == {
        "outstanding": 0.0,
        "good": 66.7,
        "requires_improvement": 0.0,
        "inadequate": 33.3,
    }
    area = json.loads(
        run(app, "--from", "2024-02", "--to", "2024-04", "--service-area", "Fostering").stdout
    )
    assert area["audits_completed"] == 1
    assert area["filters"] == {"service_area": "fostering"}
    entry = db.session.scalars(
        select(ChangeLogEntry)
        .where(ChangeLogEntry.action == "period_report.exported")
        .order_by(ChangeLogEntry.id)
    ).all()[-1]
    assert entry.actor_id is None
    assert entry.after["filters"]["via"] == "command line"


def test_files_in_every_format(app, db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _audits()
    for fmt in ("json", "csv", "xlsx", "docx"):
        out = tmp_path / f"report.{fmt}"
        result = run(
            app, "--from", "2024-02", "--to", "2024-04", "--format", fmt, "--out", str(out)
        )
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    assert json.loads((tmp_path / "report.json").read_text())["audits_completed"] == 3
    assert "Summary,Audits completed,Value,3" in (tmp_path / "report.csv").read_text("utf-8-sig")
    sheet = load_workbook(tmp_path / "report.xlsx")["Overall grades"]
    assert [c.value for c in sheet[3]] == ["Good", 2, 66.7, 2, 66.7]
    text = "\n".join(p.text for p in Document(str(tmp_path / "report.docx")).paragraphs)
    assert "3 audits were completed" in text


def test_bad_months_exit_2_with_a_message(app, db) -> None:  # type: ignore[no-untyped-def]
    for args, message in (
        (["--from", "2024-13", "--to", "2024-04"], "start month must be a real month"),
        (["--from", "2024-04", "--to", "2024-02"], "end month must be the same as or after"),
        (["--from", "April", "--to", "2024-04"], "YYYY-MM"),
        (
            ["--from", "2024-01", "--to", "2024-02", "--service-area", "Atlantis"],
            "no service area 'Atlantis'",
        ),
    ):
        result = run(app, *args)
        assert result.exit_code == 2, args
        assert message in result.stderr
        assert result.stdout == ""
    missing = run(app, "--to", "2024-04")
    assert missing.exit_code == 2
    assert "--from" in missing.stderr
    assert run(app, "--from", "2024-01", "--to", "2024-01", "--format", "pdf").exit_code == 2
    db.session.rollback()


def test_the_console_script_exits_2_on_a_bad_month(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).parent / "qa-audit"
    env = {
        **os.environ,
        "QA_AUDIT_INSTANCE_PATH": str(tmp_path),
        "QA_AUDIT_DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite'}",
    }
    done = subprocess.run(
        [str(script), "report", "--from", "2024-00", "--to", "2024-04"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "Error: The start month must be a real month" in done.stderr
    assert done.stdout == ""
