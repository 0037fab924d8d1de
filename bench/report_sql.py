"""The hand-written SQL the report is timed against, from the same database in the same run:
the grade floor (every final-grade count the report publishes, in one statement) and the least
SQL of every other figure it shows, with the grade pairs of its confidence section. The bare
statements, written once: what they cost is the work of reading the figures, so the report's
time over theirs is what the report itself adds."""

from __future__ import annotations

from sqlalchemy import text

FLOOR_SQL = text(
    """
    SELECT a.submitted_month, '' AS domain_key,
           COALESCE(m.overall_grade, a.overall_grade) AS grade, COUNT(*) AS n
    FROM audit a
    LEFT JOIN moderation m ON m.audit_id = a.id AND m.status = 'completed'
    WHERE a.submitted_month >= :first AND a.submitted_month <= :last
      AND a.status IN ('submitted', 'closed')
    GROUP BY a.submitted_month, COALESCE(m.overall_grade, a.overall_grade)
    UNION ALL
    SELECT a.submitted_month, g.domain_key, COALESCE(mg.grade, g.grade) AS grade, COUNT(*) AS n
    FROM audit a
    JOIN audit_domain_grade g ON g.audit_id = a.id
    LEFT JOIN moderation m ON m.audit_id = a.id AND m.status = 'completed'
    LEFT JOIN moderation_grade mg ON mg.moderation_id = m.id AND mg.domain_key = g.domain_key
    WHERE a.submitted_month >= :first AND a.submitted_month <= :last
      AND a.status IN ('submitted', 'closed')
    GROUP BY a.submitted_month, g.domain_key, COALESCE(mg.grade, g.grade)
    """
)


# The floor of *every* figure: besides the grade counts, the least
# SQL for the sections the grade floor has not got (feedback, quotes, learning themes of the
# period and the one before, actions, reflective conversations, dip samples, rota), as bare
# hand-written statements run back to back. The report against this shows what the report
# itself adds (statement building, shaping, names) to the work of reading its figures.
PERIOD = (
    "a.submitted_month >= :first AND a.submitted_month <= :last "
    "AND a.status IN ('submitted', 'closed')"
)
SECTION_SQL = [
    text(
        "SELECT f.who, f.tone, COUNT(*), SUM(CASE WHEN f.consent_to_quote THEN 1 ELSE 0 END) "
        "FROM audit a JOIN feedback_conversation f ON f.audit_id = a.id "
        f"WHERE {PERIOD} GROUP BY f.who, f.tone"
    ),
    text(
        f"SELECT COUNT(*) FROM audit a WHERE {PERIOD} "
        "AND EXISTS (SELECT 1 FROM feedback_conversation f WHERE f.audit_id = a.id)"
    ),
    text(
        "SELECT f.who, f.tone, f.said FROM audit a "
        "JOIN feedback_conversation f ON f.audit_id = a.id "
        f"WHERE {PERIOD} AND f.consent_to_quote AND LENGTH(TRIM(f.said)) > 0 "
        "ORDER BY a.submitted_month DESC, a.submitted_on DESC, f.id DESC LIMIT 8"
    ),
    text(
        "SELECT t.learning_theme_id, a.submitted_month >= :first, COUNT(*) "
        "FROM audit a JOIN audit_learning_theme t ON t.audit_id = a.id "
        "WHERE a.submitted_month >= :earlier_first AND a.submitted_month <= :last "
        "AND a.status IN ('submitted', 'closed') "
        "GROUP BY t.learning_theme_id, a.submitted_month >= :first"
    ),
    text(
        "SELECT COUNT(*) FROM audit a WHERE a.submitted_month >= :earlier_first "
        "AND a.submitted_month < :first AND a.status IN ('submitted', 'closed')"
    ),
    text(
        "SELECT COUNT(*), SUM(CASE WHEN x.status = 'done' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN x.status = 'open' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN x.status = 'open' AND x.due_on < :today THEN 1 ELSE 0 END) "
        f"FROM audit a JOIN action x ON x.audit_id = a.id WHERE {PERIOD}"
    ),
    text(
        "SELECT COUNT(*), SUM(CASE WHEN r.status = 'held' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN r.status <> 'held' AND r.due_on < :today THEN 1 ELSE 0 END) "
        f"FROM audit a JOIN reflective_conversation r ON r.audit_id = a.id WHERE {PERIOD}"
    ),
    text(
        "SELECT id, title, sample_unit, sample_size, completed_on FROM dip_sample "
        "WHERE status = 'completed' AND completed_on >= :first_day AND completed_on < :after"
    ),
    text(
        "SELECT service_area_id, status, COUNT(*) FROM allocation "
        "WHERE month >= :first AND month <= :last GROUP BY service_area_id, status"
    ),
    text(
        "SELECT auditor_id, status, COUNT(*) FROM allocation "
        "WHERE month >= :first AND month <= :last GROUP BY auditor_id, status"
    ),
]
# The grade pairs behind the report's confidence section (auditor's grade against the
# moderator's, blind where there is one), when the report shows that section.
PAIRS_SQL = text(
    "SELECT a.id, g.domain_key, g.grade, COALESCE(mg.blind_grade, mg.grade) "
    "FROM moderation m JOIN audit a ON a.id = m.audit_id "
    "JOIN moderation_grade mg ON mg.moderation_id = m.id "
    "JOIN audit_domain_grade g ON g.audit_id = a.id AND g.domain_key = mg.domain_key "
    f"WHERE {PERIOD} AND m.status = 'completed' "
    "UNION ALL SELECT a.id, 'overall', a.overall_grade, "
    "COALESCE(m.blind_overall_grade, m.overall_grade) "
    f"FROM moderation m JOIN audit a ON a.id = m.audit_id WHERE {PERIOD} "
    "AND m.status = 'completed'"
)
