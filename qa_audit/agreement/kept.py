"""The agreement page's figures kept in this process for as long as no record has changed, as
the report's are (qa_audit/reports/cache.py): a year's page costs a few hundred milliseconds of
resampling, the same for every QA lead and moderator asking for the same filters, and people
move between the breakdowns of one period.

The key holds the database, its data version (any change to a record makes older entries
unreachable), the filters and the breakdown; nothing on the page depends on who asks (the
template decides what each role sees) or on today's date (the period is in the filters).
The figures are frozen dataclasses, safe to share between requests."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from qa_audit.agreement.services import AgreementFigures, Dimension, agreement_figures
from qa_audit.core import data_version
from qa_audit.core.extensions import db
from qa_audit.report_filters import ReportFilters

# Each entry is small (a few hundred figures); a page's breakdowns of a few periods.
CAPACITY = 32
_entries: OrderedDict[Hashable, AgreementFigures] = OrderedDict()
_lock = threading.Lock()


def figures(filters: ReportFilters, dimension: Dimension) -> AgreementFigures:
    """``agreement_figures(filters, dimension)``, reused while nothing has changed; built
    afresh and not kept where the database has no data version or the session holds changes
    it has not committed (what it reads may yet be rolled back)."""
    version = data_version.current()
    if version is None or data_version.holds_changes():
        return agreement_figures(filters, dimension)
    key = (db.engine.url.render_as_string(hide_password=True), version, filters, dimension)
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]
    found = agreement_figures(filters, dimension)
    with _lock:
        _entries[key] = found
        while len(_entries) > CAPACITY:
            _entries.popitem(last=False)
    return found


def clear() -> None:
    """Forget every entry (tests, whose rolled-back transactions wind the version back)."""
    with _lock:
        _entries.clear()
