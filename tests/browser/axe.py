"""axe-core in a browser page: the WCAG 2.2 A/AA violations it finds, bar the one GOV.UK
Frontend keeps on purpose (aria-expanded on inputs revealing conditional content), and a
violation described for a failure message."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# GOV.UK Frontend puts aria-expanded on radios and checkboxes that reveal conditional
# content. ARIA does not list it for those roles, so axe reports aria-allowed-attr; the
# Design System keeps it on purpose because screen readers announce it (a documented known
# issue: alphagov/govuk-frontend#979, #1280). Only that attribute on those inputs is let pass.
GOVUK_CONDITIONAL_REVEAL = re.compile(r'class="govuk-(radios|checkboxes)__input"')


def axe_violations(page: Page, base_url: str) -> list[dict[str, Any]]:
    """axe's violations of the WCAG 2.0–2.2 A and AA rules on the page as it stands."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=f"{base_url}/static/vendor/axe.min.js")
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html,
                                          summary: n.failureSummary}))}));
        }""",
        TAGS,
    )
    return [v for v in (_without_known_upstream(v) for v in violations) if v["nodes"]]


def _without_known_upstream(violation: dict[str, Any]) -> dict[str, Any]:
    if violation["id"] != "aria-allowed-attr":
        return violation
    return {**violation, "nodes": [n for n in violation["nodes"] if not _conditional_reveal(n)]}


def _conditional_reveal(node: dict[str, Any]) -> bool:
    """A GOV.UK radio or checkbox whose only disallowed attribute is aria-expanded."""
    problems = [line.strip() for line in node["summary"].splitlines()[1:] if line.strip()]
    return (
        bool(GOVUK_CONDITIONAL_REVEAL.search(node["html"]))
        and bool(problems)
        and all(
            re.fullmatch(r'ARIA attribute is not allowed: aria-expanded="(true|false)"', p)
            for p in problems
        )
    )


def describe(where: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{where}:"]
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:5]:
            lines.append(f"      {node['target']}: {node['html'][:160]}")
        if len(v["nodes"]) > 5:
            lines.append(f"      … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)
