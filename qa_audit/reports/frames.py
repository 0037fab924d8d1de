"""The only pandas in qa-audit: the few aggregated rows of reports/queries.py become
DataFrames here, and leave as plain dicts and lists (templates never receive a DataFrame).

Percentages: one decimal place, rounded half away from zero with Decimal ROUND_HALF_UP
(Python's round() rounds half to even: 6.25 would become 6.2, a committee expects 6.3), over
the graded items only (N/A and ungraded are left out of every denominator); a percentage
of nothing (denominator 0) is None, shown as "no audits" rather than a false 0%."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from qa_audit.audit_tools.grades import GRADE_SCORES, GRADED, Grade
from qa_audit.audits.models import FeedbackWho

GRADE_KEYS = [g.value for g in GRADED]
GOOD_OR_BETTER = {Grade.OUTSTANDING.value, Grade.GOOD.value}
SCORES = {g.value: s for g, s in GRADE_SCORES.items()}
OUTCOMES = ["upheld", "upgraded", "downgraded"]


def percent(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a percentage to one decimal place, half away from zero."""
    if not whole:
        return None
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return float(value)


def _int(value: Any) -> int:
    return int(value) if value is not None and not pd.isna(value) else 0


def _distribution(counts: dict[str, int]) -> tuple[dict[str, float | None], int]:
    graded = sum(counts.values())
    return {key: percent(n, graded) for key, n in counts.items()}, graded


def _good_or_better(counts: dict[str, int]) -> int:
    return counts[Grade.OUTSTANDING.value] + counts[Grade.GOOD.value]


def overall_frame(rows: Iterable[Any]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [(r.month, r.audited, r.moderated, r.final, r.outcome, r.audits) for r in rows],
        columns=["month", "audited", "moderated", "final", "outcome", "audits"],
    )
    frame["audits"] = frame["audits"].astype("int64")
    return frame


def domain_frame(rows: Iterable[Any]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [(r.month, r.domain_key, r.audited, r.moderated, r.final, r.grades) for r in rows],
        columns=["month", "key", "audited", "moderated", "final", "grades"],
    )
    frame["grades"] = frame["grades"].astype("int64")
    return frame


def in_months(frame: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    return frame[(frame["month"] >= first) & (frame["month"] <= last)]


def sums(frame: pd.DataFrame, keys: list[str], value: str) -> dict[tuple[Any, ...], int]:
    """``value`` summed by ``keys`` (missing values are a group of their own), as a dict
    keyed by tuples: one cheap groupby instead of a pivot per figure."""
    if frame.empty:
        return {}
    series = frame.groupby(keys, dropna=False, sort=False)[value].sum()
    return {
        (key if isinstance(key, tuple) else (key,)): int(total) for key, total in series.items()
    }


def _none(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def _counts_where(table: dict[tuple[Any, ...], int], index: int, **match: Any) -> dict[str, int]:
    """Grade counts from ``table`` (grade at position ``index`` of the key) over the keys
    whose other positions equal ``match`` (given as position=value pairs, p0, p1, ...)."""
    out = dict.fromkeys(GRADE_KEYS, 0)
    wanted = {int(k[1:]): v for k, v in match.items()}
    for key, total in table.items():
        if all(key[i] == v for i, v in wanted.items()) and key[index] in out:
            out[key[index]] += total
    return out


def overall_section(period: pd.DataFrame) -> tuple[int, dict[str, Any]]:
    """Audits completed, and the overall grade final and as audited, with percentages."""
    completed = _int(period["audits"].sum())
    final = _counts_where(sums(period, ["final"], "audits"), 0)
    audited = _counts_where(sums(period, ["audited"], "audits"), 0)
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
    }


def _outcomes(table: dict[tuple[Any, ...], int], audited: str | None = None) -> dict[str, int]:
    out = dict.fromkeys(OUTCOMES, 0)
    for (grade, outcome), total in table.items():
        if outcome in out and (audited is None or grade == audited):
            out[outcome] += total
    return out


def moderation_section(period: pd.DataFrame, completed: int) -> dict[str, Any]:
    """Moderation of the period's audits (whenever it happened): how many, the outcomes, and
    by the auditor's original overall grade."""
    frame = period.assign(outcome=period["outcome"].where(period["moderated"].notna()))
    table = {
        (key[0], _none(key[1])): total
        for key, total in sums(frame, ["audited", "outcome"], "audits").items()
    }
    outcomes = _outcomes(table)
    moderated = sum(outcomes.values())
    by_grade: dict[str, dict[str, Any]] = {}
    for key in GRADE_KEYS:
        audits = sum(total for (grade, _), total in table.items() if grade == key)
        grade_outcomes = _outcomes(table, key)
        done = sum(grade_outcomes.values())
        by_grade[key] = {
            "audits": audits,
            "moderated": done,
            "percent_moderated": percent(done, audits),
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
    period_domains: pd.DataFrame, titles: Sequence[tuple[str, str, int]]
) -> dict[str, dict[str, Any]]:
    """Per domain: the final grade distribution (N/A apart), share Good or better, and the
    same as audited."""
    final = sums(period_domains, ["key", "final"], "grades")
    audited = sums(period_domains, ["key", "audited"], "grades")
    out: dict[str, dict[str, Any]] = {}
    for key, title in ordered_domain_keys({k for k, _ in final}, titles):
        counts = _counts_where(final, 1, p0=key)
        dist, graded = _distribution(counts)
        as_audited = _counts_where(audited, 1, p0=key)
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
        }
    return out


def months_section(
    overall: pd.DataFrame,
    domains: pd.DataFrame,
    months: Sequence[str],
    titles: Sequence[tuple[str, str, int]],
) -> list[dict[str, Any]]:
    """The direction of travel: each of ``months`` with its audits, final grades, share Good
    or better overall and per domain, and how many moderations upheld the grade."""
    trend = in_months(overall, months[0], months[-1])
    trend = trend.assign(outcome=trend["outcome"].where(trend["moderated"].notna()))
    by_final = sums(trend, ["month", "final"], "audits")
    by_outcome = {
        (key[0], _none(key[1])): total
        for key, total in sums(trend, ["month", "outcome"], "audits").items()
    }
    trend_domains = in_months(domains, months[0], months[-1])
    by_domain = sums(trend_domains, ["month", "key", "final"], "grades")
    keys = [key for key, _ in ordered_domain_keys({k for _, k, _ in by_domain}, titles)]
    domain_counts: dict[tuple[str, str], list[int]] = {}
    for (month, key, grade), total in by_domain.items():
        cell = domain_counts.setdefault((month, key), [0, 0])
        if grade in GRADE_KEYS:
            cell[1] += total
            if grade in GOOD_OR_BETTER:
                cell[0] += total
    out = []
    for month in months:
        final = _counts_where(by_final, 1, p0=month)
        final_percent, graded = _distribution(final)
        audits = sum(total for (m, _), total in by_final.items() if m == month)
        moderated = sum(
            total for (m, outcome), total in by_outcome.items() if m == month and outcome
        )
        upheld = by_outcome.get((month, "upheld"), 0)
        domain_percent: dict[str, float | None] = {}
        domain_totals: dict[str, dict[str, int]] = {}
        for key in keys:
            good, graded_items = domain_counts.get((month, key), [0, 0])
            domain_percent[key] = percent(good, graded_items)
            domain_totals[key] = {"good_or_better": good, "graded": graded_items}
        out.append(
            {
                "month": month,
                "audits_completed": audits,
                "final": final,
                "final_percent": final_percent,
                "graded": graded,
                "good_or_better_percent": percent(_good_or_better(final), graded),
                "moderated": moderated,
                "upheld": upheld,
                "upheld_percent": percent(upheld, moderated),
                "domains_good_or_better_percent": domain_percent,
                "domains_good_or_better": domain_totals,
            }
        )
    return out


def agreement_section(
    period: pd.DataFrame,
    period_domains: pd.DataFrame,
    months: list[dict[str, Any]],
    titles: Sequence[tuple[str, str, int]],
) -> dict[str, Any]:
    """How often moderators agree with auditors: overall grades, each domain, each month."""
    moderated = period[period["moderated"].notna()]
    outcomes = _outcomes(
        {
            (k[0], _none(k[1])): v
            for k, v in sums(moderated, ["audited", "outcome"], "audits").items()
        }
    )
    total = sum(outcomes.values())
    judged = sums(
        period_domains[period_domains["moderated"].notna()],
        ["key", "audited", "moderated"],
        "grades",
    )
    cells: dict[str, list[int]] = {}
    for (key, audited, moderated_grade), n in judged.items():
        if audited not in SCORES or moderated_grade not in SCORES:
            continue
        cell = cells.setdefault(key, [0, 0, 0, 0])  # judgements, agreed, higher, lower
        change = SCORES[moderated_grade] - SCORES[audited]
        cell[0] += n
        cell[1 if change == 0 else 2 if change > 0 else 3] += n
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
    frame = pd.DataFrame(list(rows), columns=["who", "tone", "n", "consent"])
    by_who = frame.groupby("who")["n"].sum() if not frame.empty else pd.Series(dtype="int64")
    by_tone = frame.groupby("tone")["n"].sum() if not frame.empty else pd.Series(dtype="int64")
    total = _int(frame["n"].sum())
    who = {w.value: _int(by_who.get(w.value, 0)) for w in FeedbackWho}
    positive = _int(by_tone.get("positive", 0))
    constructive = _int(by_tone.get("constructive", 0))
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
        "consented_to_quote": _int(frame["consent"].sum()),
    }


def learning_themes_section(
    rows: Sequence[tuple[str, int, str, int]],
    audits: dict[str, int],
    period: tuple[str, str],
    earlier: tuple[str, str],
) -> dict[str, Any]:
    """How often each theme tagged the period's audits, beside the period before."""
    frame = pd.DataFrame(list(rows), columns=["theme", "position", "period", "n"])
    table = sums(frame, ["theme", "position", "period"], "n")
    counts: dict[tuple[str, int], list[int]] = {}
    for (theme, position, which), n in table.items():
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


ROTA_STATUSES = ["allotted", "completed", "exempted"]


def _rota_summary(counts: dict[str, int]) -> dict[str, Any]:
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
    """Allotted against completed, by service area and (for those who may see it) auditor.
    Completed percent is over the allocations that were not exempted."""
    frame = pd.DataFrame(list(rows), columns=["area", "auditor", "status", "n"])

    def by(column: str) -> list[tuple[str, dict[str, Any]]]:
        groups: dict[str, dict[str, int]] = {}
        for (name, status), n in sums(frame, [column, "status"], "n").items():
            groups.setdefault(str(name), {})[status] = n
        return [(name, _rota_summary(groups[name])) for name in sorted(groups)]

    totals = {key[0]: n for key, n in sums(frame, ["status"], "n").items()}
    out: dict[str, Any] = {
        "available": True,
        **_rota_summary(totals),
        "by_service_area": [{"service_area": name, **summary} for name, summary in by("area")],
    }
    if by_auditor:
        out["by_auditor"] = [{"auditor": name, **summary} for name, summary in by("auditor")]
    return out
