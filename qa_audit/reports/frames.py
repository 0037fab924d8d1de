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


def _grade_counts(series: pd.Series) -> dict[str, int]:
    """A Series indexed by grade -> counts for the four grades (0 where missing)."""
    return {key: _int(series.get(key, 0)) for key in GRADE_KEYS}


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


def overall_section(period: pd.DataFrame) -> tuple[int, dict[str, Any]]:
    """Audits completed, and the overall grade final and as audited, with percentages."""
    completed = _int(period["audits"].sum())
    final = _grade_counts(period.groupby("final")["audits"].sum())
    audited = _grade_counts(period.groupby("audited")["audits"].sum())
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


def _outcome_counts(frame: pd.DataFrame) -> dict[str, int]:
    counts = frame.groupby("outcome")["audits"].sum()
    return {key: _int(counts.get(key, 0)) for key in OUTCOMES}


def moderation_section(period: pd.DataFrame, completed: int) -> dict[str, Any]:
    """Moderation of the period's audits (whenever it happened): how many, the outcomes, and
    by the auditor's original overall grade."""
    moderated_rows = period[period["moderated"].notna()]
    moderated = _int(moderated_rows["audits"].sum())
    outcomes = _outcome_counts(moderated_rows)
    by_grade: dict[str, dict[str, Any]] = {}
    for key in GRADE_KEYS:
        audits = _int(period.loc[period["audited"] == key, "audits"].sum())
        of_grade = moderated_rows[moderated_rows["audited"] == key]
        done = _int(of_grade["audits"].sum())
        grade_outcomes = _outcome_counts(of_grade)
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
    out: dict[str, dict[str, Any]] = {}
    if period_domains.empty:
        return out
    final = period_domains.pivot_table(
        index="key", columns="final", values="grades", aggfunc="sum", fill_value=0
    )
    audited = period_domains.pivot_table(
        index="key", columns="audited", values="grades", aggfunc="sum", fill_value=0
    )
    for key, title in ordered_domain_keys(final.index, titles):
        counts = _grade_counts(final.loc[key])
        dist, graded = _distribution(counts)
        as_audited = (
            _grade_counts(audited.loc[key])
            if key in audited.index
            else dict.fromkeys(GRADE_KEYS, 0)
        )
        audited_dist, audited_graded = _distribution(as_audited)
        na = _int(final.loc[key].get(Grade.NOT_APPLICABLE.value, 0))
        good = _good_or_better(counts)
        out[key] = {
            "title": title,
            "counts": counts,
            "percent": dist,
            "graded": graded,
            "not_applicable": na,
            "good_or_better": good,
            "good_or_better_percent": percent(good, graded),
            "as_audited": as_audited,
            "as_audited_percent": audited_dist,
            "as_audited_good_or_better_percent": percent(
                _good_or_better(as_audited), audited_graded
            ),
        }
    return out


def _domain_flags(domains: pd.DataFrame) -> pd.DataFrame:
    frame = domains.copy()
    frame["graded"] = frame["final"].isin(GRADE_KEYS) * frame["grades"]
    frame["good"] = frame["final"].isin(GOOD_OR_BETTER) * frame["grades"]
    return frame


def months_section(
    overall: pd.DataFrame,
    domains: pd.DataFrame,
    months: Sequence[str],
    titles: Sequence[tuple[str, str, int]],
) -> list[dict[str, Any]]:
    """The direction of travel: each of ``months`` with its audits, final grades, share Good
    or better overall and per domain, and how many moderations upheld the grade."""
    trend = in_months(overall, months[0], months[-1])
    trend_domains = _domain_flags(in_months(domains, months[0], months[-1]))
    keys = [key for key, _ in ordered_domain_keys(trend_domains["key"].unique(), titles)]
    counts = (
        trend.pivot_table(index="month", columns="final", values="audits", aggfunc="sum")
        if not trend.empty
        else pd.DataFrame()
    )
    totals = trend.groupby("month")["audits"].sum()
    moderated = trend[trend["moderated"].notna()]
    moderated_totals = moderated.groupby("month")["audits"].sum()
    upheld = moderated[moderated["outcome"] == "upheld"].groupby("month")["audits"].sum()
    by_domain = trend_domains.groupby(["month", "key"])[["graded", "good"]].sum()
    out = []
    for month in months:
        row = counts.loc[month] if month in counts.index else pd.Series(dtype="int64")
        final = _grade_counts(row)
        final_percent, graded = _distribution(final)
        month_moderated = _int(moderated_totals.get(month, 0))
        month_upheld = _int(upheld.get(month, 0))
        domain_percent: dict[str, float | None] = {}
        domain_counts: dict[str, dict[str, int]] = {}
        for key in keys:
            good = graded_items = 0
            if (month, key) in by_domain.index:
                cell = by_domain.loc[(month, key)]
                good, graded_items = _int(cell["good"]), _int(cell["graded"])
            domain_percent[key] = percent(good, graded_items)
            domain_counts[key] = {"good_or_better": good, "graded": graded_items}
        out.append(
            {
                "month": month,
                "audits_completed": _int(totals.get(month, 0)),
                "final": final,
                "final_percent": final_percent,
                "graded": graded,
                "good_or_better_percent": percent(_good_or_better(final), graded),
                "moderated": month_moderated,
                "upheld": month_upheld,
                "upheld_percent": percent(month_upheld, month_moderated),
                "domains_good_or_better_percent": domain_percent,
                "domains_good_or_better": domain_counts,
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
    total = _int(moderated["audits"].sum())
    outcomes = _outcome_counts(moderated)
    judged = period_domains[
        period_domains["moderated"].isin(GRADE_KEYS) & period_domains["audited"].isin(GRADE_KEYS)
    ].copy()
    by_domain: dict[str, dict[str, Any]] = {}
    if not judged.empty:
        judged["change"] = judged["moderated"].map(SCORES) - judged["audited"].map(SCORES)
        judged["agreed"] = (judged["change"] == 0) * judged["grades"]
        judged["higher"] = (judged["change"] > 0) * judged["grades"]
        judged["lower"] = (judged["change"] < 0) * judged["grades"]
        sums = judged.groupby("key")[["grades", "agreed", "higher", "lower"]].sum()
        for key, title in ordered_domain_keys(sums.index, titles):
            cell = sums.loc[key]
            n = _int(cell["grades"])
            by_domain[key] = {
                "title": title,
                "moderated": n,
                "agreed": _int(cell["agreed"]),
                "agreed_percent": percent(_int(cell["agreed"]), n),
                "regraded_higher": _int(cell["higher"]),
                "regraded_lower": _int(cell["lower"]),
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
    themes: list[dict[str, Any]] = []
    if not frame.empty:
        table = frame.pivot_table(
            index=["theme", "position"], columns="period", values="n", aggfunc="sum", fill_value=0
        ).reset_index()
        for column in ("current", "earlier"):
            if column not in table.columns:
                table[column] = 0
        table = table.sort_values(
            ["current", "earlier", "position", "theme"], ascending=[False, False, True, True]
        )
        for record in table.to_dict("records"):
            now, before = _int(record["current"]), _int(record["earlier"])
            themes.append(
                {
                    "theme": str(record["theme"]),
                    "count": now,
                    "percent_of_audits": percent(now, audits["current"]),
                    "earlier_count": before,
                    "earlier_percent_of_audits": percent(before, audits["earlier"]),
                    "change": now - before,
                }
            )
    return {
        "period": {"from": period[0], "to": period[1], "audits": audits["current"]},
        "earlier_period": {"from": earlier[0], "to": earlier[1], "audits": audits["earlier"]},
        "themes": themes,
    }


def rota_section(rows: Sequence[tuple[str, str, str, int]], by_auditor: bool) -> dict[str, Any]:
    """Allotted against completed, by service area and (for those who may see it) auditor.
    Completed percent is over the allocations that were not exempted."""
    frame = pd.DataFrame(list(rows), columns=["area", "auditor", "status", "n"])

    def summary(group: pd.DataFrame) -> dict[str, Any]:
        counts = group.groupby("status")["n"].sum()
        allotted = _int(group["n"].sum())
        completed = _int(counts.get("completed", 0))
        exempted = _int(counts.get("exempted", 0))
        return {
            "allotted": allotted,
            "completed": completed,
            "exempted": exempted,
            "outstanding": _int(counts.get("allotted", 0)),
            "completed_percent": percent(completed, allotted - exempted),
        }

    out: dict[str, Any] = {"available": True, **summary(frame)}
    out["by_service_area"] = [
        {"service_area": str(area), **summary(group)}
        for area, group in sorted(frame.groupby("area"), key=lambda item: str(item[0]))
    ]
    if by_auditor:
        out["by_auditor"] = [
            {"auditor": str(name), **summary(group)}
            for name, group in sorted(frame.groupby("auditor"), key=lambda item: str(item[0]))
        ]
    return out
