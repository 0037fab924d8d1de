"""A month's audits for the benchmark's synthetic authority: their rota allocations, the
audits and their domain grades, then the rows that follow them (follow_up_rows.py); month by
month, oldest first, each month's rows in foreign-key order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from bench.authority import (
    END_MONTH,
    MONTHS,
    PRACTICE_PRINCIPLES_FROM,
    RECENT_MONTHS,
    SEED,
    add_months,
    all_months,
    month_counts,
)
from bench.bulk_rows import GRADES, Batch, Ids, MonthAudits, Stamps, dates, pick
from bench.follow_up_rows import follow_ups
from bench.people import Lookups

RATIONALES = np.array(
    [
        "Thorough assessment, child's voice clear, plan outcome-focused.",
        "Assessment not updated after a change in circumstances; plan not SMART.",
        "Good direct work; management oversight not evident in recording.",
        "Drift and delay in permanence planning; father not engaged.",
        "Strong multi-agency working; lived experience analysed well.",
        "Cumulative harm not recognised; escalation needed.",
    ],
    dtype=object,
)
EVIDENCE = np.array(
    [
        "Visits on time; the child's wishes are recorded in their own words.",
        "Chronology out of date; the plan does not say who does what by when.",
        "Supervision records reflective discussion and clear actions.",
        "Impact on the child is not analysed; the plan repeats the assessment.",
    ],
    dtype=object,
)


def generate(size: int, lookups: Lookups, ids: Ids, stamps: Stamps) -> Iterator[list[Batch]]:
    """The bulk rows, month by month (oldest first); each item in foreign-key order."""
    months = all_months()
    counts = month_counts(size)
    end_day = np.datetime64(f"{add_months(END_MONTH, 1)}-01") - np.timedelta64(1, "D")
    for index, (month, n) in enumerate(zip(months, counts, strict=True)):
        if n:
            yield _month(index, month, n, lookups, ids, stamps, end_day)


def _month(
    index: int,
    month: str,
    n: int,
    lk: Lookups,
    ids: Ids,
    stamps: Stamps,
    end_day: np.datetime64,
) -> list[Batch]:
    rng = np.random.default_rng([SEED, index])
    age = MONTHS - 1 - index  # months before END_MONTH
    recent = age < RECENT_MONTHS
    t = index / (MONTHS - 1)  # 0 oldest .. 1 newest: grades improve over the decade
    first_day = np.datetime64(f"{month}-01")
    submitted = first_day + np.sort(rng.integers(0, 28, n)).astype("timedelta64[D]")
    audit_date = submitted - rng.integers(0, 15, n).astype("timedelta64[D]")
    audit_ids = ids.take("audit", n)

    area = rng.choice(len(lk.area_ids), n, p=lk.area_weights)
    slot = (rng.random(n) * lk.team_counts[area]).astype(np.int64)
    team = np.where(rng.random(n) < 0.85, lk.teams[area, slot], -1)
    auditor = lk.auditors[rng.integers(0, len(lk.auditors), n)]
    tool_key = "practice-principles-2024" if month >= PRACTICE_PRINCIPLES_FROM else "qaif-2022"
    tool_id, domains = lk.tools[tool_key]
    p_out, p_good, p_inad = 0.04 + 0.04 * t, 0.12 + 0.28 * t, 0.15 - 0.08 * t
    overall = rng.choice(
        [4, 3, 2, 1], n, p=[p_out, p_good, 1 - p_out - p_good - p_inad, p_inad]
    ).astype(np.int64)

    # Status: drafts and returned audits only at the end; older audits mostly closed.
    status = np.full(n, "submitted", dtype=object)
    if age >= 6:
        status[rng.random(n) < 0.7] = "closed"
    draw = rng.random(n)
    if age == 0:
        status[draw < 0.03] = "draft"
    if age <= 1:
        status[(draw >= 0.03) & (draw < 0.04)] = "returned"
    counted = (status == "submitted") | (status == "closed")
    is_draft = status == "draft"

    closing = (rng.random(n) < 0.1) & (audit_ids > 2000)
    previous = np.where(closing, audit_ids - rng.integers(100, 2000, n), -1)
    case_ref = [
        f"CR{(p if p > 0 else a) * 7919 % 900000 + 100000}"
        for a, p in zip(audit_ids.tolist(), previous.tolist(), strict=True)
    ]
    submitted_on = dates(submitted)
    submitted_at = stamps.at(submitted, "12:00:00")
    created_at = stamps.at(audit_date, "09:00:00")
    month_text = [month] * n

    # Rota allocations: one per audit, completed when the audit counts.
    allocation_ids = ids.take("allocation", n)
    due_on = dates(np.full(n, first_day + np.timedelta64(27, "D")))
    allocation = Batch(
        "allocation",
        ("id", "month", "auditor_id", "service_area_id", "team_id", "case_ref", "due_on",
         "status", "completed_at", "version", "created_at", "updated_at"),
        list(zip(
            allocation_ids.tolist(), month_text, auditor.tolist(), lk.area_ids[area].tolist(),
            [x if x > 0 else None for x in team.tolist()], case_ref, due_on,
            ["completed" if c else "allotted" for c in counted],
            [s if c else None for s, c in zip(submitted_at, counted, strict=True)],
            [1] * n, created_at, created_at, strict=True,
        )),
    )  # fmt: skip

    rationale = pick(rng, RATIONALES, n)
    audit = Batch(
        "audit",
        ("id", "reference", "case_ref", "service_area_id", "team_id", "auditor_id", "tool_id",
         "audit_type", "previous_audit_id", "audit_date", "status", "source", "overall_grade",
         "overall_rationale", "submitted_at", "submitted_on", "submitted_month",
         "returned_reason", "allocation_id", "version", "created_at", "updated_at"),
        list(zip(
            audit_ids.tolist(), [f"B{a:07d}" for a in audit_ids.tolist()], case_ref,
            lk.area_ids[area].tolist(), [x if x > 0 else None for x in team.tolist()],
            auditor.tolist(), [tool_id] * n,
            ["closing_the_loop" if c else "deep_dive" for c in closing],
            [p if p > 0 else None for p in previous.tolist()],
            dates(audit_date), status.tolist(), ["app"] * n, GRADES[overall].tolist(),
            rationale,
            [None if d else s for s, d in zip(submitted_at, is_draft, strict=True)],
            [None if d else s for s, d in zip(submitted_on, is_draft, strict=True)],
            [None if d else month for d in is_draft],
            ["Please add the child's views." if s == "returned" else None for s in status],
            allocation_ids.tolist(), [1] * n, created_at,
            [None if d else s for s, d in zip(submitted_at, is_draft, strict=True)],
            strict=True,
        )),
    )  # fmt: skip
    # updated_at is NOT NULL: drafts keep their creation time.
    audit.rows = [row if row[-1] is not None else (*row[:-1], row[-2]) for row in audit.rows]

    # Domain grades: the overall grade give or take one; N/A where the domain allows it.
    d = len(domains)
    na_ok = np.array([allows for _, _, _, allows in domains])
    scores = np.clip(overall[:, None] + rng.choice([-1, 0, 0, 0, 1], (n, d)), 1, 4)
    scores[(rng.random((n, d)) < 0.1) & na_ok[None, :]] = 0
    grade_ids = ids.take("audit_domain_grade", n * d)
    evidence: list[Any] = pick(rng, EVIDENCE, n * d) if recent else [""] * (n * d)
    grades = Batch(
        "audit_domain_grade",
        ("id", "audit_id", "tool_domain_id", "domain_key", "position", "grade", "working_well",
         "needs_improvement", "impact"),
        list(zip(
            grade_ids.tolist(), np.repeat(audit_ids, d).tolist(),
            [x[0] for x in domains] * n, [x[1] for x in domains] * n,
            [x[2] for x in domains] * n, GRADES[scores.ravel()].tolist(),
            evidence, evidence, [""] * (n * d), strict=True,
        )),
    )  # fmt: skip
    drawn = MonthAudits(
        rng=rng,
        age=age,
        n=n,
        lookups=lk,
        ids=ids,
        stamps=stamps,
        end_day=end_day,
        audit_ids=audit_ids,
        area=area,
        auditor=auditor,
        overall=overall,
        counted=counted,
        submitted=submitted,
        submitted_at=submitted_at,
        domains=domains,
        scores=scores,
    )
    return [allocation, audit, grades, *follow_ups(drawn)]
