"""The committee report from end to end in real Chromium, as a QA lead builds it: import the
published-figures data set through the import page, check the evidence explorer counts the
audits the report counts, write the February to April 2024 report (narrative for every
practice principle, three chosen quotes, a child's drawing), finalise it, download Word and
PDF and open them; then a later audit of the period leaves the final as it was, and its page
says what has changed since.

The journey runs on a database of its own, so that the published figures are exactly the
data set's whatever other browser tests have added to the shared live server."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import select
from werkzeug.serving import make_server

from qa_audit.audits.models import Audit
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from tests import factories
from tests.browser.conftest import LiveServer
from tests.conftest import make_migrated_app
from tests.databases import fresh_database
from tests.factories import audits as make
from tests.factories import published_figures
from tests.factories.audit_import import csv_bytes

pytestmark = pytest.mark.browser

ISO_DATE = re.compile(r"\d{4}-\d{2}")
ALT_TEXT = "A child's drawing of their family and social worker in the garden"
CONSENT = "Shared with the consent of the child and their mother"
# Feedback the auditors recorded on audits of the period (the CSV import carries none): who,
# tone, the words, and whether they agreed to be quoted.
FEEDBACK = [
    ("father", "constructive", "I was listened to at last, but the plan kept changing.", True),
    ("child", "positive", "My social worker takes me out and asks what I think.", True),
    ("mother", "positive", "She explained everything to me before the meeting.", True),
    ("mother", "constructive", "Nobody rang me back for three weeks.", False),
]
QUOTED = [said for _, _, said, consent in FEEDBACK if consent]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with fresh_database(tmp_path_factory.mktemp("journey"), "journey") as url:
        app = make_migrated_app(url, WTF_CSRF_ENABLED=True)
        http = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=http.serve_forever, daemon=True)
        thread.start()
        try:
            yield LiveServer(app, f"http://127.0.0.1:{http.server_port}")
        finally:
            http.shutdown()
            thread.join(timeout=5)
            with app.app_context():
                db.engine.dispose()


def sign_in_as_qa_lead(page: Page, server: LiveServer) -> None:
    lead = server.user(Role.QA_LEAD)
    page.goto(f"{server.url}/sign-in")
    page.get_by_label("E-mail address").fill(lead.email)
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def import_csv(page: Page, server: LiveServer, name: str, data: bytes) -> str:
    """Upload ``data`` on the import page, look at what would be imported, then import it;
    the success banner's text."""
    page.goto(f"{server.url}/audits/import")
    page.get_by_label("Upload a CSV file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_label("Create accounts for auditor and moderator").check()
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import audits").click()
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_be_visible()
    return banner.inner_text()


def add_feedback(server: LiveServer) -> None:
    """The families' words, recorded by the auditors on two March 2024 audits (a service call:
    the audit form's own journey is tested elsewhere)."""
    with server.app.app_context():
        march = db.session.scalars(
            select(Audit).where(Audit.submitted_month == "2024-03").order_by(Audit.id).limit(2)
        ).all()
        for i, (who, tone, said, consent) in enumerate(FEEDBACK):
            make.feedback(march[i % 2], who, tone, said, consent=consent)
        db.session.commit()


def summary_value(page: Page, key: str) -> str:
    """The value beside ``key`` in the page's first summary list row with that key."""
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator(
            ".govuk-summary-list__key", has_text=re.compile(rf"^\s*{re.escape(key)}\s*$")
        )
    )
    return row.first.locator(".govuk-summary-list__value").inner_text().strip()


def drawing() -> bytes:
    picture = Image.new("RGB", (120, 90), (250, 250, 250))
    for x in range(20, 100):
        picture.putpixel((x, 45), (30, 90, 200))  # a horizon
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def download(page: Page, link: str) -> bytes:
    with page.expect_download() as started:
        page.get_by_role("link", name=link).click()
    path = started.value.path()
    return Path(path).read_bytes()


def word_text(document: Any) -> str:
    """Every text a reader sees: paragraphs, table cells, headers and footers."""
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def word_images(document: Any) -> list[tuple[str, bytes]]:
    """(alt text, picture bytes) of each picture, in order."""
    found = []
    for shape in document.inline_shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        found.append((shape._inline.docPr.get("descr"), document.part.related_parts[blip].blob))
    return found


def write_the_report(page: Page) -> list[str]:
    """Fill every narrative box of the draft and save; the principles' titles, in order."""
    page.get_by_label("Introduction").fill(
        "This report covers February to April 2024.\n\n- Audits\n- Moderation"
    )
    principles = page.locator("section[id^='principle-']")
    titles = []
    for i in range(principles.count()):
        section = principles.nth(i)
        title = section.get_by_role("heading", level=2).inner_text().strip()
        titles.append(title)
        section.locator("textarea[name^='what_we_know-']").fill(f"What we know of {title}.")
        section.locator("textarea[name^='impact-']").fill(f"Learning for {title}.")
    page.get_by_label("What children and their families are telling us").fill(
        "Four families were spoken to; three agreed to be quoted."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The report has been saved"
    )
    return titles


def choose_quotes(page: Page) -> None:
    """A father's first (filtered to fathers), then the other two offered."""
    page.get_by_role("link", name="Choose quotes from the period's feedback").click()
    expect(page.get_by_role("table")).not_to_contain_text(FEEDBACK[3][2])  # no consent
    page.get_by_label("Who said it").select_option(label="Father")
    page.get_by_role("button", name="Show feedback").click()
    expect(page.get_by_role("table")).to_contain_text(QUOTED[0])
    page.get_by_role("button", name="Choose quote 1").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Quote added")
    page.get_by_label("Who said it").select_option(label="Anyone")
    page.get_by_role("button", name="Show feedback").click()
    for said in QUOTED[1:]:
        row = page.get_by_role("row").filter(has_text=said)
        row.get_by_role("button", name=re.compile("^Choose quote")).click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Quote added")
    page.get_by_role("link", name="Back to the report").click()
    quotes = page.locator("#quotes blockquote")
    expect(quotes).to_have_count(3)


def add_drawing(page: Page) -> None:
    page.get_by_label("Upload an image").set_input_files(
        {"name": "drawing.png", "mimeType": "image/png", "buffer": drawing()}
    )
    page.get_by_label("Alt text").fill(ALT_TEXT)
    page.get_by_label("Consent").fill(CONSENT)
    page.get_by_role("button", name="Add image").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Image added")
    expect(page.get_by_role("img", name=ALT_TEXT)).to_be_visible()


def check_word(body: bytes, marking: str, titles: list[str]) -> Any:
    document = Document(io.BytesIO(body))
    for section in document.sections:
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
        assert marking in section.header.paragraphs[0].text
        fields = [
            i.text.split()[0]
            for p in section.footer.paragraphs
            for i in p._p.iter(qn("w:instrText"))
        ]
        assert {"PAGE", "NUMPAGES"} <= set(fields), fields
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for title in titles:
        assert headings.count(title) == 1, (title, headings)
    text = word_text(document)
    for said in QUOTED:
        assert said in text
    assert FEEDBACK[3][2] not in text
    assert ALT_TEXT in [alt for alt, _ in word_images(document)]
    assert ISO_DATE.search(text) is None, ISO_DATE.search(text)
    return document


def check_pdf(body: bytes, titles: list[str]) -> None:
    reader = PdfReader(io.BytesIO(body))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for heading in ["Introduction", *titles, "What children and their families are telling us"]:
        assert heading in text, heading
    for said in QUOTED:
        assert said in text, said


def test_a_qa_lead_builds_finalises_and_downloads_the_committee_report(
    page: Page, server: LiveServer
) -> None:
    marking = server.app.config["PROTECTIVE_MARKING"]
    sign_in_as_qa_lead(page, server)

    # 1. The published-figures data set, through the import page.
    imported = import_csv(page, server, "published.csv", published_figures.published_figures_csv())
    assert f"Imported {published_figures.AUDITS} audits" in imported
    add_feedback(server)

    # 2. The evidence explorer counts the audits the report counts.
    page.goto(f"{server.url}/reports/evidence?from=2024-02&to=2024-04")
    explorer_count = summary_value(page, "Audits completed").split()[0]
    page.goto(f"{server.url}/reports?from=2024-02&to=2024-04")
    report_count = summary_value(page, "Audits completed")
    assert explorer_count == report_count == "53"

    # 3. The February to April 2024 draft: narrative, quotes, an image.
    page.goto(f"{server.url}/committee-reports/new")
    page.get_by_label("First month").fill("2024-02")
    page.get_by_label("Last month").fill("2024-04")
    page.get_by_role("button", name="Start report").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Report started")
    report_url = page.url.split("#")[0]
    titles = write_the_report(page)
    assert len(titles) == 5
    choose_quotes(page)
    add_drawing(page)

    # 4. Finalise; the final page's figures are the report's.
    page.goto(report_url)
    page.get_by_role("button", name="Finalise report").click()
    expect(page.locator(".govuk-tag", has_text="Final")).to_be_visible()
    assert page.locator("#audits-completed").inner_text() == "53"
    assert page.locator("#moderated").inner_text() == "19"
    for said in QUOTED:
        expect(page.locator("blockquote", has_text=said)).to_be_visible()

    # 5. Word and PDF, opened.
    word = check_word(download(page, "Download as Word"), marking, titles)
    check_pdf(download(page, "Download as PDF"), titles)

    # 6. A later audit of the period: the final keeps its figures and says what changed.
    late = published_figures.row("LATE-00001", "2024-03-20", published_figures.GOOD)
    imported = import_csv(page, server, "late.csv", csv_bytes([late]))
    assert "Imported 1 audit" in imported
    page.goto(f"{server.url}/reports/evidence?from=2024-02&to=2024-04")
    assert summary_value(page, "Audits completed").split()[0] == "54"
    page.goto(report_url)
    assert page.locator("#audits-completed").inner_text() == "53"
    assert page.locator("#moderated").inner_text() == "19"
    expect(page.locator("#since-finalised")).to_contain_text(
        "1 more audit was submitted for the period"
    )
    again = Document(io.BytesIO(download(page, "Download as Word")))
    assert word_text(again) == word_text(word)
    assert word_images(again) == word_images(word)
