"""Shaping the report: the few aggregated rows of reports/queries.py become the sections of
the report as plain dicts and lists (docs/report-figures.md).

Percentages: one decimal place, rounded half away from zero (qa_audit.core.figures), over
the graded items only (N/A and ungraded are left out of every denominator); a percentage
of nothing (denominator 0) is None, shown as "no audits" rather than a false 0%.

Plain Python, no pandas: SQL has already aggregated (a few hundred rows at most), and pandas'
fixed cost per operation came to about 35 ms a report, a third of a one-month report's time
(make bench, docs/benchmark.md); counting a few hundred rows with Counter takes under 2 ms."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from qa_audit.audit_tools.grades import GRADE_SCORES, GRADED, Grade
from qa_audit.audits.models import FeedbackWho
from qa_audit.core.figures import percent
from qa_audit.reports.queries import DomainRow, OverallRow

R = TypeVar("R", OverallRow, DomainRow)

GRADE_KEYS = [g.value for g in GRADED]
GOOD_OR_BETTER = {Grade.OUTSTANDING.value, Grade.GOOD.value}
SCORES = {g.value: s for g, s in GRADE_SCORES.items()}
OUTCOMES = ["upheld", "upgraded", "downgraded"]


def _distribution(counts: dict[str, int]) -> tuple[dict[str, float | None], int]:
    graded = sum(counts.values())
    return {key: percent(n, graded) for key, n in counts.items()}, graded


def _good_or_better(counts: dict[str, int]) -> int:
    return counts[Grade.OUTSTANDING.value] + counts[Grade.GOOD.value]


def _grade_counts(counter: Mapping[Any, int], *prefix: Any) -> dict[str, int]:
    """The graded counts (N/A and ungraded left out) of ``counter``, keyed by ``prefix`` +
    (grade,) tuples, or by the grade alone when there is no prefix."""
    if not prefix:
        return {g: counter.get(g, 0) for g in GRADE_KEYS}
    return {g: counter.get((*prefix, g), 0) for g in GRADE_KEYS}


def in_months(rows: Iterable[R], first: str, last: str) -> list[R]:
    """The rows of months ``first``..``last``."""
    return [r for r in rows if first <= r.month <= last]


def overall_section(period: Sequence[OverallRow]) -> tuple[int, dict[str, Any]]:
    """Audits completed, and the overall grade final and as audited, with percentages."""
    final_tally: Counter[str | None] = Counter()
    audited_tally: Counter[str | None] = Counter()
    for row in period:
        final_tally[row.final] += row.audits
        audited_tally[row.audited] += row.audits
    completed = sum(final_tally.values())
    final = _grade_counts(final_tally)
    audited = _grade_counts(audited_tally)
    final_percent, graded = _distribution(final)
    audited_percent, audited_graded = _distribution(audited)
    return completed, {
        "final": final,
        "final_percent": final_percent,
        "as_audited": audited,
        "as_audited_percent": audited_percent,
        "graded": graded,
        "as_audited_graded": audited_graded,
        "good_or_better": _good_or_better(final),
        "good_or_better_percent": percent(_good_or_better(final), graded),
        "as_audited_good_or_better_percent": percent(_good_or_better(audited), audited_graded),
        # Added keys: "% Good" beside "good or better" (committees read both).
        "good": final[Grade.GOOD.value],
        "good_percent": final_percent[Grade.GOOD.value],
        "as_audited_good_percent": audited_percent[Grade.GOOD.value],
    }


def _outcome_tally(rows: Iterable[OverallRow]) -> Counter[tuple[str | None, str]]:
    """Completed moderations (a moderated grade recorded) by (grade as audited, outcome)."""
    tally: Counter[tuple[str | None, str]] = Counter()
    for row in rows:
        if row.moderated is not None and row.outcome in OUTCOMES:
            tally[(row.audited, row.outcome)] += row.audits
    return tally


def _outcomes(tally: Counter[tuple[str | None, str]], audited: str | None = None) -> dict[str, int]:
    out = dict.fromkeys(OUTCOMES, 0)
    for (grade, outcome), total in tally.items():
        if audited is None or grade == audited:
            out[outcome] += total
    return out


def moderation_section(period: Sequence[OverallRow], completed: int) -> dict[str, Any]:
    """Moderation of the period's audits (whenever it happened): how many, the outcomes, and
    by the auditor's original overall grade."""
    tally = _outcome_tally(period)
    audits_by_grade: Counter[str | None] = Counter()
    for row in period:
        audits_by_grade[row.audited] += row.audits
    outcomes = _outcomes(tally)
    moderated = sum(outcomes.values())
    by_grade: dict[str, dict[str, Any]] = {}
    for key in GRADE_KEYS:
        grade_outcomes = _outcomes(tally, key)
        done = sum(grade_outcomes.values())
        by_grade[key] = {
            "audits": audits_by_grade.get(key, 0),
            "moderated": done,
            "percent_moderated": percent(done, audits_by_grade.get(key, 0)),
            **grade_outcomes,
            **{f"{k}_percent": percent(v, done) for k, v in grade_outcomes.items()},
        }
    return {
        "moderated": moderated,
        "percent_moderated": percent(moderated, completed),
        **outcomes,
        **{f"{k}_percent": percent(v, moderated) for k, v in outcomes.items()},
        "by_original_grade": by_grade,
    }


def ordered_domain_keys(
    keys: Iterable[str], titles: Sequence[tuple[str, str, int]]
) -> list[tuple[str, str]]:
    """(key, title) of the keys present, in the tools' order (shared keys first)."""
    known = {key: (position, title) for key, title, position in titles}
    present = set(keys)
    return [
        (key, known.get(key, (0, key.replace("_", " ").capitalize()))[1])
        for key in sorted(present, key=lambda k: (known.get(k, (99, k))[0], k))
    ]


def domains_section(
    period_domains: Sequence[DomainRow], titles: Sequence[tuple[str, str, int]]
) -> dict[str, dict[str, Any]]:
    """Per domain: the final grade distribution (N/A apart), share Good or better, and the
    same as audited."""
    final: Counter[tuple[str, str | None]] = Counter()
    audited: Counter[tuple[str, str | None]] = Counter()
    for row in period_domains:
        final[(row.domain_key, row.final)] += row.grades
        audited[(row.domain_key, row.audited)] += row.grades
    out: dict[str, dict[str, Any]] = {}
    for key, title in ordered_domain_keys({k for k, _ in final}, titles):
        counts = _grade_counts(final, key)
        dist, graded = _distribution(counts)
        as_audited = _grade_counts(audited, key)
        audited_dist, audited_graded = _distribution(as_audited)
        good = _good_or_better(counts)
        out[key] = {
            "title": title,
            "counts": counts,
            "percent": dist,
            "graded": graded,
            "not_applicable": final.get((key, Grade.NOT_APPLICABLE.value), 0),
            "good_or_better": good,
            "good_or_better_percent": percent(good, graded),
            "as_audited": as_audited,
            "as_audited_percent": audited_dist,
            "as_audited_good_or_better_percent": percent(
                _good_or_better(as_audited), audited_graded
            ),
            "good": counts[Grade.GOOD.value],
            "good_percent": dist[Grade.GOOD.value],
            "as_audited_good_percent": audited_dist[Grade.GOOD.value],
        }
    return out


def months_section(
    overall: Sequence[OverallRow],
    domains: Sequence[DomainRow],
    months: Sequence[str],
    titles: Sequence[tuple[str, str, int]],
) -> list[dict[str, Any]]:
    """The direction of travel: each of ``months`` with its audits, final grades, share Good
    or better overall and per domain, and how many moderations upheld the grade."""
    first, last = months[0], months[-1]
    by_final: Counter[tuple[str, str | None]] = Counter()
    audits: Counter[str] = Counter()
    moderated: Counter[str] = Counter()
    upheld: Counter[str] = Counter()
    for row in in_months(overall, first, last):
        by_final[(row.month, row.final)] += row.audits
        audits[row.month] += row.audits
        if row.moderated is not None and row.outcome:
            moderated[row.month] += row.audits
            if row.outcome == "upheld":
                upheld[row.month] += row.audits
    domain_counts: dict[tuple[str, str], list[int]] = {}
    present: set[str] = set()
    for domain in in_months(domains, first, last):
        present.add(domain.domain_key)
        cell = domain_counts.setdefault((domain.month, domain.domain_key), [0, 0])
        grade = domain.final
        if grade in GRADE_KEYS:
            cell[1] += domain.grades
            if grade in GOOD_OR_BETTER:
                cell[0] += domain.grades
    keys = [key for key, _ in ordered_domain_keys(present, titles)]
    out = []
    for month in months:
        final = _grade_counts(by_final, month)
        final_percent, graded = _distribution(final)
        domain_percent: dict[str, float | None] = {}
        domain_totals: dict[str, dict[str, int]] = {}
        for key in keys:
            good, graded_items = domain_counts.get((month, key), [0, 0])
            domain_percent[key] = percent(good, graded_items)
            domain_totals[key] = {"good_or_better": good, "graded": graded_items}
        out.append(
            {
                "month": month,
                "audits_completed": audits[month],
                "final": final,
                "final_percent": final_percent,
                "graded": graded,
                "good_or_better_percent": percent(_good_or_better(final), graded),
                "good_percent": final_percent[Grade.GOOD.value],
                "moderated": moderated[month],
                "upheld": upheld[month],
                "upheld_percent": percent(upheld[month], moderated[month]),
                "domains_good_or_better_percent": domain_percent,
                "domains_good_or_better": domain_totals,
            }
        )
    return out


def agreement_section(
    period: Sequence[OverallRow],
    period_domains: Sequence[DomainRow],
    months: list[dict[str, Any]],
    titles: Sequence[tuple[str, str, int]],
) -> dict[str, Any]:
    """How often moderators agree with auditors: overall grades, each domain, each month."""
    outcomes = _outcomes(_outcome_tally(period))
    total = sum(outcomes.values())
    cells: dict[str, list[int]] = {}
    for row in period_domains:
        if row.audited not in SCORES or row.moderated not in SCORES:
            continue
        cell = cells.setdefault(row.domain_key, [0, 0, 0, 0])  # judged, agreed, higher, lower
        change = SCORES[row.moderated] - SCORES[row.audited]
        cell[0] += row.grades
        cell[1 if change == 0 else 2 if change > 0 else 3] += row.grades
    by_domain: dict[str, dict[str, Any]] = {}
    for key, title in ordered_domain_keys(cells, titles):
        n, agreed, higher, lower = cells[key]
        by_domain[key] = {
            "title": title,
            "moderated": n,
            "agreed": agreed,
            "agreed_percent": percent(agreed, n),
            "regraded_higher": higher,
            "regraded_lower": lower,
        }
    return {
        "overall": {
            "moderated": total,
            "upheld": outcomes["upheld"],
            "upheld_percent": percent(outcomes["upheld"], total),
        },
        "by_domain": by_domain,
        "months": [
            {
                "month": m["month"],
                "moderated": m["moderated"],
                "upheld": m["upheld"],
                "upheld_percent": m["upheld_percent"],
            }
            for m in months
        ],
    }


PARENTS_AND_CARERS = [
    FeedbackWho.MOTHER.value,
    FeedbackWho.OTHER_CARER.value,
    FeedbackWho.FOSTER_CARER.value,
]


def feedback_section(
    rows: Sequence[tuple[str, str, int, int]], audits_with_feedback: int, completed: int
) -> dict[str, Any]:
    """Who was spoken to (fathers counted apart from the other parents and carers), the tone,
    and how many agreed to be quoted."""
    by_who: Counter[str] = Counter()
    by_tone: Counter[str] = Counter()
    consenting = 0
    for who_value, tone, n, consent in rows:
        by_who[who_value] += n
        by_tone[tone] += n
        consenting += consent
    total = sum(by_who.values())
    who = {w.value: by_who.get(w.value, 0) for w in FeedbackWho}
    positive = by_tone.get("positive", 0)
    constructive = by_tone.get("constructive", 0)
    return {
        "conversations": total,
        "audits_with_feedback": audits_with_feedback,
        "audits_with_feedback_percent": percent(audits_with_feedback, completed),
        "children_and_young_people": who[FeedbackWho.CHILD.value],
        "care_experienced_adults": who[FeedbackWho.CARE_EXPERIENCED_ADULT.value],
        "parents_and_carers": sum(who[w] for w in PARENTS_AND_CARERS),
        "fathers": who[FeedbackWho.FATHER.value],
        "other": who[FeedbackWho.OTHER.value],
        "by_who": who,
        "positive": positive,
        "constructive": constructive,
        "positive_percent": percent(positive, total),
        "constructive_percent": percent(constructive, total),
        "consented_to_quote": consenting,
    }


def learning_themes_section(
    rows: Sequence[tuple[str, int, str, int]],
    audits: dict[str, int],
    period: tuple[str, str],
    earlier: tuple[str, str],
) -> dict[str, Any]:
    """How often each theme tagged the period's audits, beside the period before."""
    counts: dict[tuple[str, int], list[int]] = {}
    for theme, position, which, n in rows:
        counts.setdefault((str(theme), int(position)), [0, 0])[0 if which == "current" else 1] += n
    ordered = sorted(
        counts.items(), key=lambda item: (-item[1][0], -item[1][1], item[0][1], item[0][0])
    )
    themes = [
        {
            "theme": theme,
            "count": now,
            "percent_of_audits": percent(now, audits["current"]),
            "earlier_count": before,
            "earlier_percent_of_audits": percent(before, audits["earlier"]),
            "change": now - before,
        }
        for (theme, _), (now, before) in ordered
    ]
    return {
        "period": {"from": period[0], "to": period[1], "audits": audits["current"]},
        "earlier_period": {"from": earlier[0], "to": earlier[1], "audits": audits["earlier"]},
        "themes": themes,
    }


def _rota_summary(counts: Mapping[str, int]) -> dict[str, Any]:
    allotted = sum(counts.values())
    completed, exempted = counts.get("completed", 0), counts.get("exempted", 0)
    return {
        "allotted": allotted,
        "completed": completed,
        "exempted": exempted,
        "outstanding": counts.get("allotted", 0),
        "completed_percent": percent(completed, allotted - exempted),
    }


def rota_section(rows: Sequence[tuple[str, str, str, int]], by_auditor: bool) -> dict[str, Any]:
    """Allotted against completed, by service area and (for those who may see it) auditor,
    from rows ('area' | 'auditor', name, status, allocations). Completed percent is over the
    allocations that were not exempted."""
    groups: dict[str, dict[str, Counter[str]]] = {"area": {}, "auditor": {}}
    for kind, name, status, n in rows:
        tally = groups[kind].get(str(name))
        if tally is None:
            tally = groups[kind][str(name)] = Counter()
        tally[status] += n
    totals: Counter[str] = Counter()
    for tally in groups["area"].values():
        totals.update(tally)
    areas, auditors = groups["area"], groups["auditor"]
    out: dict[str, Any] = {
        "available": True,
        **_rota_summary(totals),
        "by_service_area": [
            {"service_area": name, **_rota_summary(areas[name])} for name in sorted(areas)
        ],
    }
    if by_auditor:
        out["by_auditor"] = [
            {"auditor": name, **_rota_summary(auditors[name])} for name in sorted(auditors)
        ]
    return out
