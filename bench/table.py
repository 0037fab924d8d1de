"""The results: one row per figure, beside its target, PASS or MISS."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Result:
    backend: str
    measure: str
    figure: str
    target: str
    passed: bool | None  # None: information, no target
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        return "-" if self.passed is None else ("PASS" if self.passed else "MISS")

    def as_json(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "measure": self.measure,
            "figure": self.figure,
            "target": self.target,
            "result": self.verdict,
            "detail": self.detail,
        }


def render(results: list[Result], machine: dict[str, Any], elapsed: float, notes: list[str]) -> str:
    """The table as Markdown (readable on a terminal and pasteable into docs/benchmark.md)."""
    header = ("Database", "Measure", "Figure", "Target", "Result")
    rows = [(r.backend, r.measure, r.figure, r.target, r.verdict) for r in results]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out.extend(line(row) for row in rows)
    passed = sum(r.passed is True for r in results)
    missed = sum(r.passed is False for r in results)
    out.append("")
    out.append(
        f"{passed} targets met, {missed} missed; {elapsed / 60:.1f} minutes end to end. "
        f"Machine: {machine['nproc']} cores ({machine['cpu']}), {machine['ram_gb']} GB RAM, "
        f"Python {machine['python']}, SQLite {machine['sqlite']}, "
        f"PostgreSQL {machine['postgresql'] or 'not measured'}; load average "
        f"{machine['load_average_at_start'][0]} at the start, "
        f"{machine.get('load_average_at_end', ['?'])[0]} at the end."
    )
    out.extend(notes)
    return "\n".join(out)
