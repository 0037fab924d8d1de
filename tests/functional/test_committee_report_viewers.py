"""What a viewer gets of a final committee report (docs/committee-report.md, "Who sees what"):
its figures as viewers see the period report, and its narrative, quotes and images only once
the QA lead has shared them, in the page, the Word and PDF documents and the image's own
address alike. The QA lead's copy of the same final carries everything, so each absence is the
rule at work and not an empty report."""

from __future__ import annotations

import html
import io
import re
from datetime import date

import pytest
from PIL import Image
from pypdf import PdfReader

from qa_audit.auth.roles import Role
from qa_audit.committee_reports import feedback, services
from qa_audit.committee_reports.models import CommitteeReport
from qa_audit.core.extensions import db as _db
from tests import factories
from tests.factories.audits import feedback as conversation
from tests.factories.committee_reports import draft, png

KEY = "assessment"  # a practice principle of the seeded tool
INTRODUCTION = "This quarter the service listened harder."
WHAT_WE_KNOW = "Plans named the child's wishes."
QUOTE = "They listened to me and my children."
ALT = "A child's drawing of their social worker"
CONSENT = "Shared with the child's consent"
NARRATIVE = (INTRODUCTION, WHAT_WE_KNOW, QUOTE)


def docx_text(body: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(body))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def docx_alt_texts(body: bytes) -> list[str]:
    import docx

    document = docx.Document(io.BytesIO(body))
    return [shape._inline.docPr.get("descr") for shape in document.inline_shapes]


def pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def page_text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


@pytest.fixture
def final(db) -> tuple[CommitteeReport, int]:  # type: ignore[no-untyped-def]
    """A final for April 2024 over six audits (enough for viewers to see its figures) with
    narrative, a father's quote and a child's drawing; not shared with viewers."""
    audits = [
        factories.audit(overall=grade, submitted_on=date(2024, 4, day))
        for day, grade in enumerate(
            ["good", "good", "outstanding", "requires_improvement", "good", "inadequate"], 3
        )
    ]
    said = conversation(audits[0], "father", "positive", QUOTE, consent=True)
    lead = factories.user(Role.QA_LEAD)
    report = draft(lead)
    services.save_texts(
        lead,
        report,
        None,
        {"introduction": INTRODUCTION, f"what_we_know:{KEY}": WHAT_WE_KNOW},
    )
    feedback.choose_quote(lead, report, said.id)
    image = feedback.add_image(lead, report, png(), ALT, "My worker", CONSENT)
    services.finalise(lead, report, None)
    _db.session.commit()
    return report, image.id


def share(report: CommitteeReport, shared: bool) -> None:
    _db.session.expire_all()
    report.shareable_with_viewers = shared
    _db.session.commit()


def test_the_qa_lead_gets_everything_of_the_final(client, login_as, final) -> None:  # type: ignore[no-untyped-def]
    report, image_id = final
    login_as(Role.QA_LEAD)
    word = client.get(f"/committee-reports/{report.id}/download.docx").data
    assert all(words in docx_text(word) for words in NARRATIVE)
    assert ALT in docx_alt_texts(word)
    text = pdf_text(client.get(f"/committee-reports/{report.id}/download.pdf").data)
    assert all(words in text for words in NARRATIVE)
    assert client.get(f"/committee-reports/{report.id}/images/{image_id}").status_code == 200


def test_a_viewer_gets_an_unshared_finals_figures_alone(client, login_as, final) -> None:  # type: ignore[no-untyped-def]
    report, image_id = final
    login_as(Role.VIEWER)
    page = page_text(client.get(f"/committee-reports/{report.id}"))
    assert 'id="audits-completed">6<' in page.replace(" ", "")
    assert not any(words in page for words in NARRATIVE)
    assert ALT not in page

    response = client.get(f"/committee-reports/{report.id}/download.docx")
    assert response.status_code == 200
    word = docx_text(response.data)
    # The figures are there: six audits, four of them Good or better.
    assert "Recent audit activity: April 2024" in word
    assert "6 audits were completed" in word
    assert "Good or better: 4 of 6 (66.7%)" in word
    # Nothing the QA lead wrote or chose: no introduction, texts, quote or image.
    assert "Introduction" not in word.splitlines()
    assert "What do we know?" not in word
    assert not any(words in word for words in NARRATIVE)
    assert CONSENT not in word
    alts = docx_alt_texts(response.data)
    assert alts  # the charts
    assert ALT not in alts

    pdf = client.get(f"/committee-reports/{report.id}/download.pdf")
    assert pdf.status_code == 200
    text = pdf_text(pdf.data)
    assert "6 audits were completed" in text
    assert not any(words in text for words in NARRATIVE)
    assert CONSENT not in text

    # The image's own address answers as for an image that is not there.
    image = client.get(f"/committee-reports/{report.id}/images/{image_id}")
    assert image.status_code == 404
    assert image.mimetype != "image/png"


def test_a_viewer_gets_a_shared_finals_narrative_quotes_and_images(client, login_as, final) -> None:  # type: ignore[no-untyped-def]
    report, image_id = final
    share(report, True)
    login_as(Role.VIEWER)
    page = page_text(client.get(f"/committee-reports/{report.id}"))
    assert all(words in page for words in NARRATIVE)
    assert "Change history" not in page

    response = client.get(f"/committee-reports/{report.id}/download.docx")
    word = docx_text(response.data)
    assert [words for words in NARRATIVE if words not in word] == []
    assert "— Father, positive feedback" in word
    assert CONSENT in word
    assert ALT in docx_alt_texts(response.data)
    text = pdf_text(client.get(f"/committee-reports/{report.id}/download.pdf").data)
    assert all(words in text for words in NARRATIVE)
    assert CONSENT in text

    image = client.get(f"/committee-reports/{report.id}/images/{image_id}")
    assert image.status_code == 200
    assert image.mimetype == "image/png"
    assert image.headers["Cache-Control"] == "private, no-store"
    assert Image.open(io.BytesIO(image.data)).size == (40, 30)

    # Sharing stopped: the viewer is back to the figures alone.
    share(report, False)
    again = client.get(f"/committee-reports/{report.id}/download.docx")
    assert not any(words in docx_text(again.data) for words in NARRATIVE)
    assert client.get(f"/committee-reports/{report.id}/images/{image_id}").status_code == 404


def test_a_viewer_never_gets_another_reports_image(client, login_as, final) -> None:  # type: ignore[no-untyped-def]
    report, image_id = final
    share(report, True)
    other = draft()
    _db.session.commit()
    login_as(Role.VIEWER)
    # The image belongs to a shared final, but not to the report the address names (a draft).
    assert client.get(f"/committee-reports/{other.id}/images/{image_id}").status_code == 404
    assert client.get(f"/committee-reports/{other.id}/download.docx").status_code == 404


def test_a_shared_final_on_too_few_audits_gives_a_viewer_its_words_without_figures(
    client, login_as, db
) -> None:  # type: ignore[no-untyped-def]
    """Two audits: every figure is withheld from viewers, but what the QA lead wrote and
    chose is not a figure. The page gave it and the documents gave the rule alone."""
    audit = factories.audit(overall="good", submitted_on=date(2024, 4, 3))
    factories.audit(overall="inadequate", submitted_on=date(2024, 4, 4))
    said = conversation(audit, "father", "positive", QUOTE, consent=True)
    lead = factories.user(Role.QA_LEAD)
    report = draft(lead)
    services.save_texts(
        lead, report, None, {"introduction": INTRODUCTION, f"what_we_know:{KEY}": WHAT_WE_KNOW}
    )
    feedback.choose_quote(lead, report, said.id)
    feedback.add_image(lead, report, png(), ALT, "", CONSENT)
    services.finalise(lead, report, None)
    report.shareable_with_viewers = True
    _db.session.commit()
    login_as(Role.VIEWER)
    page = page_text(client.get(f"/committee-reports/{report.id}"))
    assert all(words in page for words in NARRATIVE)

    response = client.get(f"/committee-reports/{report.id}/download.docx")
    word = docx_text(response.data)
    assert "Figures resting on fewer than 5 audits are not shown." in word
    assert [words for words in NARRATIVE if words not in word] == []
    assert "— Father, positive feedback" in word
    assert ALT in docx_alt_texts(response.data)
    # Still no figure: no activity, no pie, no direction of travel.
    assert "audits were completed" not in word
    assert "Good or better" not in word
    assert "Audit judgements" not in word
    text = pdf_text(client.get(f"/committee-reports/{report.id}/download.pdf").data)
    assert "Figures resting on fewer than 5 audits are not shown." in text
    assert [words for words in NARRATIVE if words not in text] == []
    assert "Good or better" not in text

    # Unshared, the same final gives the rule alone.
    share(report, False)
    alone = docx_text(client.get(f"/committee-reports/{report.id}/download.docx").data)
    assert "Figures resting on fewer than 5 audits are not shown." in alone
    assert not any(words in alone for words in NARRATIVE)
    assert "Practice principles" not in alone
