"""A valid audits CSV of any size (the format of docs/domain.md), for the tests and the benchmark.

Service areas, teams and audit tools come from seed/ so the file fits a freshly seeded
database; the auditor and moderator e-mails are made up (create the accounts, or import with
--create-users). The same seed always gives the same file."""

from __future__ import annotations

import csv
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

from qa_audit.core.config import SEED

FIRST_DAY = date(2022, 10, 3)
LAST_DAY = date(2025, 9, 30)
# Several accepted spellings of each grade, so the import's parsing is exercised.
SPELLINGS = {
    4: ("Outstanding", "outstanding"),
    3: ("Good", "good", "GOOD"),
    2: ("Requires Improvement to be Good", "RI", "Requires Improvement", "ri"),
    1: ("Inadequate", "inadequate"),
}
OVERALL_WEIGHTS = ((4, 8), (3, 40), (2, 42), (1, 10))
OUTCOME_NAMES = ("upheld", "upgraded", "downgraded")


@dataclass(frozen=True)
class _Tool:
    key: str
    launched_on: date
    domains: tuple[tuple[str, bool], ...]  # (key, allows N/A)


@dataclass
class SampleSummary:
    """What the generated file holds, counted as it was written."""

    rows: int = 0
    moderated: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    by_tool: Counter[str] = field(default_factory=Counter)
    not_applicable: int = 0
    domain_grades: int = 0  # one per domain of each audit's tool
    moderation_grades: int = 0  # one per domain of each moderated audit's tool
    auditors: list[str] = field(default_factory=list)
    moderators: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)


def _tools() -> list[_Tool]:
    tools = []
    for path in sorted((SEED / "audit_tools").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        domains = tuple((d["key"], bool(d.get("allows_na"))) for d in data["domains"])
        tools.append(_Tool(data["key"], data["launched_on"], domains))
    return sorted(tools, key=lambda t: t.launched_on)


def _areas() -> list[tuple[str, list[str]]]:
    data = yaml.safe_load((SEED / "service_areas.yaml").read_text(encoding="utf-8"))
    return [(item["key"], list(item.get("teams", []))) for item in data]


def sample_header(tools: list[_Tool] | None = None) -> list[str]:
    """The columns: audit columns, grade:<key> for every domain of every tool, moderation."""
    keys: list[str] = []
    for tool in tools or _tools():
        keys.extend(k for k, _ in tool.domains if k not in keys)
    return [
        "audit_ref", "case_ref", "service_area", "team", "auditor_email", "audit_type", "tool",
        "submitted_on", "overall_grade", *(f"grade:{k}" for k in keys),
        "moderator_email", "moderated_on", "moderated_overall_grade",
        *(f"moderated_grade:{k}" for k in keys),
    ]  # fmt: skip


def write_sample_csv(
    path: Path | str,
    rows: int,
    seed: int,
    with_moderation_share: float = 0.3,
    *,
    auditors: int = 40,
    moderators: int = 6,
    ref_prefix: str | None = None,
    bom: bool = False,
) -> SampleSummary:
    """Write ``rows`` valid audits (about ``with_moderation_share`` of them moderated)."""
    rng = random.Random(seed)
    tools = _tools()
    areas = _areas()
    header = sample_header(tools)
    grade_keys = [h.removeprefix("grade:") for h in header if h.startswith("grade:")]
    auditor_emails = [f"auditor{n:03d}@sample.example.org" for n in range(1, auditors + 1)]
    moderator_emails = [f"moderator{n:02d}@sample.example.org" for n in range(1, moderators + 1)]
    summary = SampleSummary(
        auditors=auditor_emails, moderators=moderator_emails, header=list(header)
    )
    prefix = f"S{seed}-" if ref_prefix is None else ref_prefix
    span = (LAST_DAY - FIRST_DAY).days
    scores = [s for s, _ in OVERALL_WEIGHTS]
    weights = [w for _, w in OVERALL_WEIGHTS]

    def spell(score: int) -> str:
        return rng.choice(SPELLINGS[score])

    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for n in range(1, rows + 1):
            submitted = FIRST_DAY + timedelta(days=rng.randrange(span))
            tool = [t for t in tools if t.launched_on <= submitted][-1]
            area_key, teams = rng.choice(areas)
            team = rng.choice(teams) if teams and rng.random() < 0.85 else ""
            auditor = rng.choice(auditor_emails)
            overall = rng.choices(scores, weights)[0]
            domain_grades: dict[str, str] = {}
            for key, allows_na in tool.domains:
                if allows_na and rng.random() < 0.1:
                    domain_grades[key] = rng.choice(("", "N/A", "n/a"))
                    summary.not_applicable += 1
                else:
                    score = min(4, max(1, overall + rng.choice((-1, 0, 0, 0, 1))))
                    domain_grades[key] = spell(score)
            audit_type = "closing_the_loop" if rng.random() < 0.1 else rng.choice(("deep_dive", ""))
            row = [
                f"{prefix}{n:06d}", f"CR{rng.randrange(10000, 99999)}", area_key, team, auditor,
                audit_type, tool.key, submitted.isoformat(), spell(overall),
                *(domain_grades.get(k, "") for k in grade_keys),
            ]  # fmt: skip
            moderation = ["", "", ""] + ["" for _ in grade_keys]
            if rng.random() < with_moderation_share:
                moderator = rng.choice([m for m in moderator_emails if m != auditor])
                moderated_on = min(submitted + timedelta(days=rng.randrange(0, 40)), LAST_DAY)
                draw = rng.random()
                moderated = overall
                if draw < 0.2 and overall > 1:
                    moderated = overall - 1
                elif draw > 0.9 and overall < 4:
                    moderated = overall + 1
                outcome = (
                    "upheld"
                    if moderated == overall
                    else ("upgraded" if moderated > overall else "downgraded")
                )
                summary.outcomes[outcome] += 1
                summary.moderated += 1
                summary.moderation_grades += len(tool.domains)
                regrades = [
                    spell(min(4, max(1, overall + rng.choice((-1, 1)))))
                    if k in domain_grades and domain_grades[k] not in ("", "N/A", "n/a")
                    and rng.random() < 0.15
                    else ""
                    for k in grade_keys
                ]  # fmt: skip
                moderation = [moderator, moderated_on.isoformat(), spell(moderated), *regrades]
            writer.writerow(row + moderation)
            summary.rows += 1
            summary.by_tool[tool.key] += 1
            summary.domain_grades += len(tool.domains)
    for name in OUTCOME_NAMES:
        summary.outcomes.setdefault(name, 0)
    return summary
