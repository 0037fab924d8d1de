"""The committee report's pages through the test client: starting a report, its narrative
(escaped, limited, autosaved, guarded against concurrent edits, in the history), choosing
quotes, images, finalising to a frozen snapshot, what viewers see, the documents."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from qa_audit.access_log.models import AccessLogEntry
from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.committee_reports.models import CommitteeReport, CommitteeReportImage
from qa_audit.core.clock import utcnow
from qa_audit.core.extensions import db as _db
from tests import factories
from tests.factories import moderation
from tests.factories.audits import feedback
from tests.factories.committee_reports import draft, png

KEY = "assessment"  # a practice principle of the seeded tool


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def texts(report: CommitteeReport, **given: str) -> dict[str, str]:
    return {"version": str(report.version), **given}


@pytest.fixture
def april(db):  # type: ignore[no-untyped-def]
    """Two audits of April 2024 and a draft for April."""
    first = factories.audit(overall="good", submitted_on=date(2024, 4, 10))
    second = factories.audit(overall="requires_improvement", submitted_on=date(2024, 4, 12))
    report = draft()
    _db.session.commit()
    return report, first, second


def test_the_qa_lead_starts_a_report_for_a_period(client, login_as, db) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    factories.audit(submitted_on=date(2024, 3, 5))
    _db.session.commit()
    response = client.post(
        "/committee-reports/new",
        data={"title": "Quarterly report", "from_month": "2024-02", "to_month": "2024-04"},
    )
    assert response.status_code == 302
    report = _db.session.scalars(select(CommitteeReport)).one()
    assert (report.period_from, report.period_to, report.status) == ("2024-02", "2024-04", "draft")
    page = text_of(client.get(response.headers["Location"]))
    assert "Quarterly report" in page
    assert "What do we know?" in page
    assert "Impact of any improvement or learning activity" in page


def test_a_period_ending_before_it_starts_is_a_form_error(client, login_as, db) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    response = client.post(
        "/committee-reports/new",
        data={"title": "Report", "from_month": "2024-04", "to_month": "2024-02"},
    )
    assert response.status_code == 400
    assert "There is a problem" in text_of(response)
    assert "The end month must be the same as or after the start month" in text_of(response)
    assert _db.session.scalar(select(func.count()).select_from(CommitteeReport)) == 0


def test_narrative_is_plain_text_escaped_with_paragraphs_and_bullets(
    client, login_as, april
) -> None:  # type: ignore[no-untyped-def]
    report, *_ = april
    login_as(Role.QA_LEAD)
    hostile = "<script>alert('x')</script>\n\n- **visits** on time\n- <b>voice</b>"
    response = client.post(
        f"/committee-reports/{report.id}",
        data=texts(report, introduction=hostile, **{f"what_we_know-{KEY}": "Plans were clear."}),
    )
    assert response.status_code == 302
    page = client.get(f"/committee-reports/{report.id}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    # Saved as typed; on the final page drawn as a paragraph and a bullet list.
    _db.session.expire_all()
    assert report.introduction == hostile
    login_client_finalises(client, report)
    final = client.get(f"/committee-reports/{report.id}").get_data(as_text=True)
    assert "<script>alert" not in final
    assert "<b>voice</b>" not in final
    assert "<li>**visits** on time</li>" in final
    assert "<li>&lt;b&gt;voice&lt;/b&gt;</li>" in final


def login_client_finalises(client, report: CommitteeReport) -> None:  # type: ignore[no-untyped-def]
    _db.session.expire_all()
    response = client.post(
        f"/committee-reports/{report.id}/finalise", data={"version": str(report.version)}
    )
    assert response.status_code == 302
    _db.session.expire_all()
    assert report.is_final


def test_a_narrative_over_the_limit_is_a_govuk_error_and_nothing_is_saved(
    client, login_as, april
) -> None:  # type: ignore[no-untyped-def]
    report, *_ = april
    login_as(Role.QA_LEAD)
    response = client.post(
        f"/committee-reports/{report.id}",
        data=texts(report, **{f"impact-{KEY}": "x" * 20_001}),
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "There is a problem" in page
    assert (
        "Impact of any improvement or learning activity must be 20,000 characters or less" in page
    )
    assert 'data-module="govuk-character-count"' in page
    assert 'data-maxlength="20000"' in page
    _db.session.expire_all()
    assert report.principle(KEY) is None


def test_two_people_editing_the_second_is_told_and_keeps_their_text(
    client, login_as, april
) -> None:  # type: ignore[no-untyped-def]
    report, *_ = april
    login_as(Role.QA_LEAD)
    opened = str(report.version)
    first = client.post(
        f"/committee-reports/{report.id}", data={"version": opened, "introduction": "First words"}
    )
    assert first.status_code == 302
    second = client.post(
        f"/committee-reports/{report.id}", data={"version": opened, "introduction": "Second words"}
    )
    assert second.status_code == 400
    page = text_of(second)
    assert "Someone else changed this report since you opened it" in page
    assert "Second words" in page  # still on the page to copy
    _db.session.expire_all()
    assert report.introduction == "First words"
    # The background save is refused in the same way, as JSON.
    stale = client.post(
        f"/committee-reports/{report.id}/autosave",
        data={"version": opened, "introduction": "Third words"},
    )
    assert stale.status_code == 409
    assert stale.get_json()["error"] == "stale"


def test_autosave_saves_and_returns_the_new_version(client, login_as, april) -> None:  # type: ignore[no-untyped-def]
    report, *_ = april
    login_as(Role.QA_LEAD)
    version = report.version
    saved = client.post(
        f"/committee-reports/{report.id}/autosave",
        data={"version": str(version), f"what_we_know-{KEY}": "Assessments were timely."},
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)
    assert saved.get_json()["version"] == version + 1
    _db.session.expire_all()
    assert report.principle(KEY).what_we_know == "Assessments were timely."


def test_each_save_is_in_the_change_history_by_field(client, login_as, april) -> None:  # type: ignore[no-untyped-def]
    report, *_ = april
    lead = login_as(Role.QA_LEAD, name="Quinn Lead")
    client.post(
        f"/committee-reports/{report.id}",
        data=texts(report, **{f"what_we_know-{KEY}": "Good plans."}),
    )
    entry = _db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "committee_report.saved")
    ).one()
    assert entry.actor_id == lead.id
    assert entry.after == {f"what_we_know:{KEY}": "Good plans."}
    page = text_of(client.get(f"/committee-reports/{report.id}"))
    assert "Change history" in page
    assert "Quinn Lead" in page
    assert "What we know: assessment" in page  # the field, in plain English


def test_quotes_offered_consented_once_each_never_anonymised(client, login_as, april) -> None:  # type: ignore[no-untyped-def]
    report, first, second = april
    father = feedback(
        first, "father", "constructive", "Nobody asked me about my son.", consent=True
    )
    feedback(second, "mother", "positive", "Nobody  asked me about my son. ", consent=True)
    unconsented = feedback(first, "child", "positive", "I was not asked if I can be quoted")
    gone = factories.audit(submitted_on=date(2024, 4, 20))
    feedback(gone, "child", "positive", "From an anonymised audit", consent=True)
    gone.anonymised_at = utcnow()
    _db.session.commit()
    login_as(Role.QA_LEAD)
    page = text_of(client.get(f"/committee-reports/{report.id}/quotes"))
    assert page.count("Nobody asked me about my son.") + page.count("Nobody  asked me") == 1
    assert "I was not asked" not in page
    assert "From an anonymised audit" not in page
    fathers = text_of(
        client.get(f"/committee-reports/{report.id}/quotes?who=father&tone=constructive")
    )
    assert "Father" in fathers
    assert "1 piece of feedback" in fathers

    chosen = client.post(f"/committee-reports/{report.id}/quotes", data={"feedback_id": father.id})
    assert chosen.status_code == 302
    again = client.post(
        f"/committee-reports/{report.id}/quotes",
        data={"feedback_id": father.id},
        follow_redirects=True,
    )
    assert "This quote has already been chosen" in text_of(again)
    _db.session.expire_all()
    assert [q.said for q in report.quotes] == ["Nobody asked me about my son."]
    refused = client.post(
        f"/committee-reports/{report.id}/quotes",
        data={"feedback_id": unconsented.id},
        follow_redirects=True,
    )
    assert "This feedback cannot be quoted in this report" in text_of(refused)
    _db.session.expire_all()
    assert len(report.quotes) == 1


def test_an_image_is_stored_re_encoded_and_shown_with_its_alt_text(client, login_as, april) -> None:  # type: ignore[no-untyped-def]
    report, *_ = april
    login_as(Role.QA_LEAD)
    response = client.post(
        f"/committee-reports/{report.id}/images",
        data={
            "image": (io.BytesIO(png(exif=True, kind="JPEG")), "drawing.jpg"),
            "alt_text": "A child's drawing of their family",
            "caption": "My family",
            "consent_note": "Shared with the child's consent",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, text_of(response)[:2000]
    image = _db.session.scalars(select(CommitteeReportImage)).one()
    assert image.media_type == "image/jpeg"
    assert b"Phone Camera Co" not in image.content
    page = client.get(f"/committee-reports/{report.id}").get_data(as_text=True)
    assert 'alt="A child&#39;s drawing of their family"' in page
    served = client.get(f"/committee-reports/{report.id}/images/{image.id}")
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    assert served.data == image.content


@pytest.mark.parametrize(
    ("upload", "alt", "message"),
    [
        (
            (b"GIF89a-not-a-drawing", "drawing.png"),
            "A drawing",
            "The selected file must be a PNG or JPG",
        ),
        (None, "A drawing", "Select an image"),
        ((png(), "drawing.png"), "", "Enter alt text that describes the image"),
    ],
    ids=["not-an-image", "no-file", "no-alt-text"],
)
def test_a_bad_image_is_a_govuk_error_and_nothing_is_saved(
    client, login_as, april, upload, alt, message
) -> None:  # type: ignore[no-untyped-def]
    report, *_ = april
    login_as(Role.QA_LEAD)
    data: dict[str, object] = {"alt_text": alt, "consent_note": "Shared with consent"}
    if upload is not None:
        data["image"] = (io.BytesIO(upload[0]), upload[1])
    response = client.post(
        f"/committee-reports/{report.id}/images", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "There is a problem" in page
    assert message in page
    assert _db.session.scalar(select(func.count()).select_from(CommitteeReportImage)) == 0


def test_a_final_is_frozen_and_later_changes_to_audits_never_alter_it(
    client, login_as, april
) -> None:  # type: ignore[no-untyped-def]
    report, first, _ = april
    login_as(Role.QA_LEAD)
    client.post(f"/committee-reports/{report.id}", data=texts(report, introduction="Our quarter."))
    login_client_finalises(client, report)
    frozen = client.get(f"/committee-reports/{report.id}/download.docx")
    assert frozen.status_code == 200
    before = text_of(client.get(f"/committee-reports/{report.id}"))
    assert 'id="audits-completed">2<' in before.replace(" ", "")

    # A later audit of April and a regrade of another.
    factories.audit(overall="good", submitted_on=date(2024, 4, 25))
    moderation.completed(
        first, moderator_user=factories.user(Role.MODERATOR), overall="outstanding"
    )
    _db.session.commit()

    after = text_of(client.get(f"/committee-reports/{report.id}"))
    assert 'id="audits-completed">2<' in after.replace(" ", "")
    assert "Since this report was finalised" in after
    assert "1 more audit was submitted for the period" in after
    assert "1 moderation changed a grade" in after
    _db.session.expire_all()
    assert report.snapshot["report"]["audits_completed"] == 2
    # Its documents come from the snapshot: the same figures as before.
    again = client.get(f"/committee-reports/{report.id}/download.docx")
    assert _docx_text(again.data) == _docx_text(frozen.data)
    # And nothing of a final can be changed.
    refused = client.post(f"/committee-reports/{report.id}", data=texts(report, introduction="x"))
    assert refused.status_code == 409
    assert (
        client.post(f"/committee-reports/{report.id}/quotes", data={"feedback_id": 1}).status_code
        == 409
    )


def _docx_text(body: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(body))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_a_viewer_sees_a_finals_figures_only_unless_shared(client, login_as, april) -> None:  # type: ignore[no-untyped-def]
    report, first, _ = april
    quote = feedback(first, "father", "positive", "They listened to me.", consent=True)
    _db.session.commit()
    lead_client = client
    login_as(Role.QA_LEAD)
    lead_client.post(f"/committee-reports/{report.id}/quotes", data={"feedback_id": quote.id})
    lead_client.post(
        f"/committee-reports/{report.id}", data=texts(report, introduction="Written from evidence.")
    )
    login_client_finalises(lead_client, report)
    draft_too = draft()
    _db.session.commit()

    client.post("/sign-out")
    login_as(Role.VIEWER)
    listing = text_of(client.get("/committee-reports"))
    assert report.title in listing
    assert listing.count("Draft") == 0
    assert client.get(f"/committee-reports/{draft_too.id}").status_code == 404
    page = text_of(client.get(f"/committee-reports/{report.id}"))
    assert "Activity in the period" in page
    assert "They listened to me." not in page
    assert "Written from evidence." not in page
    assert "Change history" not in page

    _db.session.expire_all()
    report.shareable_with_viewers = True
    _db.session.commit()
    shared = text_of(client.get(f"/committee-reports/{report.id}"))
    assert "They listened to me." in shared
    assert "Written from evidence." in shared


def test_a_download_is_access_logged_and_in_the_change_log(client, login_as, april) -> None:  # type: ignore[no-untyped-def]
    report, *_ = april
    lead = login_as(Role.QA_LEAD)
    login_client_finalises(client, report)
    response = client.get(f"/committee-reports/{report.id}/download.docx")
    assert response.status_code == 200
    assert response.data[:2] == b"PK"
    assert "attachment" in response.headers["Content-Disposition"]
    exported = _db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "committee_report.exported")
    ).one()
    assert exported.actor_id == lead.id
    assert exported.after["format"] == "docx"
    logged = _db.session.scalars(
        select(AccessLogEntry).where(AccessLogEntry.entity_type == "committee_report")
    ).all()
    assert any(e.action == "exported" for e in logged)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MODERATOR, Role.SERVICE_MANAGER, Role.ADMIN])
def test_other_roles_have_no_committee_reports(client, login_as, april, role) -> None:  # type: ignore[no-untyped-def]
    report, *_ = april
    login_as(role)
    assert client.get("/committee-reports").status_code == 403
    assert client.get(f"/committee-reports/{report.id}").status_code == 403
