"""The QA lead's learning-themes pages: list, add, rename, retire and restore."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.learning_themes.models import LearningTheme


def html(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def theme_named(db, name: str) -> LearningTheme | None:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return db.session.scalar(select(LearningTheme).where(LearningTheme.name == name))


@pytest.mark.parametrize(
    "role", [Role.AUDITOR, Role.MODERATOR, Role.SERVICE_MANAGER, Role.VIEWER, Role.ADMIN]
)
def test_only_the_qa_lead_manages_learning_themes(login_as, client, db, role) -> None:  # type: ignore[no-untyped-def]
    login_as(role)
    theme = db.session.scalars(select(LearningTheme)).first()
    assert client.get("/learning-themes").status_code == 403
    assert client.post("/learning-themes", data={"name": "New"}).status_code == 403
    assert (
        client.post(f"/learning-themes/{theme.id}/active", data={"active": "0"}).status_code == 403
    )
    assert theme_named(db, "New") is None


def test_list_shows_the_seeded_themes(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    page = html(client.get("/learning-themes"))
    assert "Plans not SMART" in page
    assert "Drift and delay" in page


def test_add_rename_retire_restore(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    lead = login_as(Role.QA_LEAD)
    response = client.post("/learning-themes", data={"name": "  Voice of the child  not recorded "})
    assert response.status_code == 302
    theme = theme_named(db, "Voice of the child not recorded")
    assert theme is not None
    assert theme.active

    response = client.post("/learning-themes", data={"name": "voice of the child not recorded"})
    assert response.status_code == 400
    assert "This learning theme is already on the list" in html(response)
    assert 'href="#name"' in html(response)

    response = client.post("/learning-themes", data={"name": ""})
    assert response.status_code == 400
    assert "Enter the learning theme" in html(response)

    assert client.get(f"/learning-themes/{theme.id}").status_code == 200
    response = client.post(
        f"/learning-themes/{theme.id}", data={"name": "Child's voice not recorded"}
    )
    assert response.status_code == 302
    assert theme_named(db, "Child's voice not recorded") is not None

    response = client.post(f"/learning-themes/{theme.id}/active", data={"active": "0"})
    assert response.status_code == 302
    assert not theme_named(db, "Child's voice not recorded").active
    page = html(client.get("/learning-themes"))
    retired = page.split("Retired (")[1]
    assert "Child&#39;s voice not recorded" in retired
    assert "Restore" in retired

    client.post(f"/learning-themes/{theme.id}/active", data={"active": "1"})
    assert theme_named(db, "Child's voice not recorded").active

    actions = [
        e.action
        for e in db.session.scalars(
            select(ChangeLogEntry)
            .where(
                ChangeLogEntry.entity_type == "learning_theme",
                ChangeLogEntry.entity_id == str(theme.id),
            )
            .order_by(ChangeLogEntry.id)
        )
    ]
    assert actions == [
        "learning_theme.added",
        "learning_theme.updated",
        "learning_theme.updated",
        "learning_theme.updated",
    ]
    assert lead.has_role(Role.QA_LEAD)


def test_unknown_theme_is_404(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    assert client.get("/learning-themes/999999").status_code == 404
