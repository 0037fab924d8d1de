"""The running application never loads pandas (about 40 MB and half a second in every
process): the agreement page, the report's confidence figures and every other module work
out their figures with numpy alone. Pandas states the figures only in the tests' reference
(tests/agreement_reference.py). Checked in a fresh process, since the test process has
loaded pandas for the tests that compare against that reference."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import qa_audit

ROOT = Path(__file__).resolve().parents[3]
CHILD = """
import importlib, json, pkgutil, sys
from datetime import date

import qa_audit
from qa_audit import create_app
from qa_audit.agreement.services import Dimension, agreement_figures
from qa_audit.core.config import TestConfig
from qa_audit.core.extensions import db
from qa_audit.report_filters import resolve_filters
from qa_audit.reports.services import build_period_report
from qa_audit.seed import load_reference_data
from tests import factories
from tests.factories import moderation as mf

app = create_app(TestConfig(database_url="sqlite:///" + sys.argv[1]))
with app.app_context():
    db.create_all()
    load_reference_data()
    moderator = mf.moderator()
    for day in range(1, 13):
        audit = factories.audit(overall="good", submitted_on=date(2024, 3, day))
        mf.completed_moderation(audit, "requires_improvement" if day % 4 else "good", moderator)
    db.session.flush()
    filters = resolve_filters("2024-01", "2024-12")
    agreement = build_period_report(filters)["confidence"]["agreement"]
    page = agreement_figures(filters, Dimension.AUDITOR)
    after_figures = "pandas" in sys.modules
    # Every other module of the application too (the migrations' env.py runs on import).
    for module in pkgutil.walk_packages(qa_audit.__path__, "qa_audit."):
        if not module.name.startswith("qa_audit.migrations"):
            importlib.import_module(module.name)
    print(json.dumps({
        "too_few": agreement["too_few"],
        "ac2": agreement["ac2"]["value"],
        "page_pairs": page.everything.pairs,
        "pandas_after_figures": after_figures,
        "pandas_after_every_module": "pandas" in sys.modules,
    }))
"""


def test_the_application_works_out_its_figures_without_loading_pandas(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "db.sqlite")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout.splitlines()[-1])
    # The figures were worked out (enough pairs for the bootstrap), not skipped.
    assert outcome["too_few"] is False
    assert outcome["ac2"] is not None
    assert outcome["page_pairs"] >= 12
    assert outcome["pandas_after_figures"] is False
    assert outcome["pandas_after_every_module"] is False


def test_every_module_is_visited() -> None:
    """The walk above reaches the parts (not an empty package path)."""
    names = {module.name for module in pkgutil.walk_packages(qa_audit.__path__, "qa_audit.")}
    assert {"qa_audit.agreement.statistics", "qa_audit.reports.confidence"} <= names
