"""The report's SQL: every figure is aggregated in the database (GROUP BY) and comes back as a
few small rows. Only audits that count are read: submitted or closed (a returned audit is out
until it is resubmitted; a draft never counts), in the months asked for, through the index on
``audit.submitted_month``, so the cost grows with the audits of the period, not with history.

The final grade is the moderator's where a moderation is completed, else the auditor's:
``COALESCE(moderation.overall_grade, audit.overall_grade)`` over a LEFT JOIN of the completed
moderation (``moderation.audit_id`` is unique, so the join never duplicates an audit), and
per domain ``COALESCE(moderation_grade.grade, audit_domain_grade.grade)``. The report reads
both grades and takes the COALESCE in frames.py, so that one statement serves the final
figures and the moderators' agreement alike.

Made cheap by the benchmark (make bench, docs/benchmark.md):
- few round trips: one statement for every grade count, one for the feedback figures, one
  for the learning themes of both periods, one for the actions and reflective conversations;
- each statement is built once per shape of filters (which filters are given) with bound
  parameters, and kept (``_statement``): building a SQLAlchemy statement cost more Python
  time than running the smaller ones;
- statements run on the session's connection through SQLAlchemy Core, rows as tuples.

One module per job: scope.py (what every statement shares), grades.py, feedback.py (feedback,
quotes, learning themes), follow_up.py (actions, reflective conversations), dip_samples.py,
rota.py, tools.py (when each audit tool version was launched)."""

from __future__ import annotations

from qa_audit.reports.queries.dip_samples import dip_sample_rows
from qa_audit.reports.queries.feedback import QUOTE_LIMIT, feedback_rows, quotes, theme_rows
from qa_audit.reports.queries.follow_up import follow_up_counts
from qa_audit.reports.queries.grades import DomainRow, OverallRow, domain_titles, grade_rows
from qa_audit.reports.queries.rota import rota_rows
from qa_audit.reports.queries.scope import COUNTED_STATUSES, Shape, audit_scope, query_span
from qa_audit.reports.queries.tools import tool_launches

__all__ = [
    "COUNTED_STATUSES",
    "QUOTE_LIMIT",
    "DomainRow",
    "OverallRow",
    "Shape",
    "audit_scope",
    "dip_sample_rows",
    "domain_titles",
    "feedback_rows",
    "follow_up_counts",
    "grade_rows",
    "query_span",
    "quotes",
    "rota_rows",
    "theme_rows",
    "tool_launches",
]
