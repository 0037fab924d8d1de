"""Every table of a page scrolls inside its own region (WCAG 2.2, 1.4.10 Reflow), so a table
added later cannot make a page scroll sideways on a phone: the browser test
(tests/browser/test_reflow.py) measures the pages, this finds a table that is not wrapped
without opening one."""

from __future__ import annotations

import re

from flask import Flask

from qa_audit.core.config import TEMPLATES

# Documents laid out for paper (the committee report's PDF), where nothing scrolls.
PRINTED = {"documents"}
OPENED = re.compile(r"<table\b")
WRAPPED = re.compile(r"\{%-?\s*call table_region\(.*\)\s*-?%\}\s*<table\b")


def test_every_table_of_a_page_is_in_a_scrolling_region() -> None:
    bare: list[str] = []
    tables = 0
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES)
        if relative.parts[0] in PRINTED:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            if OPENED.search(line):
                tables += 1
                if not WRAPPED.search(line):
                    bare.append(f"{relative}:{number}: {line.strip()}")
    assert tables > 20, "no tables found: the templates have moved"
    assert not bare, (
        "Tables not wrapped in {% call table_region('name') %}<table …>…</table>{% endcall %} "
        "(_macros/table.html), which scroll the whole page on a phone:\n" + "\n".join(bare)
    )


def test_a_wrapped_table_is_named_focusable_region(app: Flask) -> None:
    template = app.jinja_env.from_string(
        '{% from "_macros/table.html" import table_region %}'
        "{% call table_region(label) %}<table></table>{% endcall %}"
    )
    html = template.render(label="Audits waiting & done")
    assert html == (
        '<div class="app-table-region" role="region" aria-label="Audits waiting &amp; done" '
        'tabindex="0"><table></table></div>'
    )
