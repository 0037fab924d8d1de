"""Two moderators complete the moderation of one audit at the same moment, through the real
pages of a real server: one decision is saved, the other moderator is told (and shown the
decision that stands); neither is lost silently."""

from __future__ import annotations

import html
import re
import threading

from tests.soak import harness
from tests.soak.conftest import FIGURES, Prepared

ROUNDS = 3
CONCURRENT = "Someone else saved this moderation while you had it open"
ALREADY = "This audit has already been moderated by"


def decision(html: str, token: str, overall: str) -> list[tuple[str, str]]:
    """Agree with every domain; the overall grade agreed, or regraded to ``overall``."""
    version = re.search(r'name="version"[^>]*value="(\d+)"', html)
    assert version is not None
    data = [("csrf_token", token), ("version", version.group(1)), ("complete", "Complete")]
    for prefix in sorted(set(re.findall(r'name="(d_[a-z_]+)_decision"', html))):
        data.append((f"{prefix}_decision", "agree"))
    if overall == "agree":
        data.append(("overall_decision", "agree"))
    else:
        data += [("overall_decision", "regrade"), ("overall_grade", overall)]
    data.append(("overall_rationale", f"Moderator's rationale: {overall}"))
    return data


def post_at_once(
    barrier: threading.Barrier,
    browser: harness.Browser,
    url: str,
    data: list[tuple[str, str]],
    responses: list,
    i: int,
) -> None:
    barrier.wait()
    responses[i] = browser.request("POST", url, (302, 400, 409), data=data)


def test_two_moderators_at_once_lose_neither_decision(prepared: Prepared) -> None:
    stats = harness.Stats()
    outcomes: list[str] = []
    with harness.serving(prepared.url, prepared.instance, workers=2, threads=4) as server:
        auditor = harness.Browser(server.base, stats)
        auditor.sign_in(prepared.auditors[0])
        lead = harness.Browser(server.base, stats)
        lead.sign_in(prepared.qa_lead)
        moderators = [harness.Browser(server.base, stats) for _ in prepared.moderators]
        for browser, email in zip(moderators, prepared.moderators, strict=True):
            browser.sign_in(email)
        for n in range(ROUNDS):
            audit_id = auditor.start_audit(f"MOD{n:02d}9", prepared.area_id, prepared.team_id)
            auditor.fill_and_submit(audit_id)
            # The QA lead adds it to moderation by hand (unless sampling already chose it).
            moderation_id = harness.scalar(
                prepared.url, "SELECT id FROM moderation WHERE audit_id = :a", a=audit_id
            )
            if moderation_id is None:
                _, token = lead.page("/moderation/add")
                reference = harness.scalar(
                    prepared.url, "SELECT reference FROM audit WHERE id = :a", a=audit_id
                )
                form = {
                    "csrf_token": token,
                    "reference": reference,
                    "reason": "Checked by hand in the soak test",
                }
                lead.request("POST", "/moderation/add", (302,), data=form)
                moderation_id = harness.scalar(
                    prepared.url, "SELECT id FROM moderation WHERE audit_id = :a", a=audit_id
                )
            assert moderation_id is not None
            url = f"/moderation/{moderation_id}"
            pages = [browser.page(url) for browser in moderators]  # both open the same version
            wanted = ["agree", "requires_improvement"]
            responses: list = [None, None]
            barrier = threading.Barrier(2)
            threads = [
                threading.Thread(
                    target=post_at_once,
                    args=(
                        barrier,
                        moderators[i],
                        url,
                        decision(*pages[i], wanted[i]),
                        responses,
                        i,
                    ),
                )
                for i in range(2)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            codes = sorted(r.status_code for r in responses)
            assert codes[0] == 302, codes
            assert codes[1] in (400, 409), codes
            winner = next(i for i, r in enumerate(responses) if r.status_code == 302)
            loser = responses[1 - winner]
            page = html.unescape(loser.text)
            told = CONCURRENT in page or ALREADY in page
            assert told, loser.text[:2000]
            stored = harness.rows(
                prepared.url,
                "SELECT status, overall_grade, overall_rationale, moderator_id FROM moderation "
                "WHERE id = :m",
                m=moderation_id,
            )[0]
            assert stored[0] == "completed"
            assert stored[2] == f"Moderator's rationale: {wanted[winner]}"
            completions = harness.scalar(
                prepared.url,
                "SELECT COUNT(*) FROM change_log WHERE action = 'moderation.completed' "
                "AND entity_id = :m",
                m=str(moderation_id),
            )
            assert completions == 1
            # The one told sees the decision that stands, and their own entries are kept.
            assert f"Moderator's rationale: {wanted[1 - winner]}" in page
            assert f"Moderator's rationale: {wanted[winner]}" in page
            outcomes.append("concurrent-edit" if CONCURRENT in page else "already-moderated")
        assert server.errors_logged() == []
    label = "PostgreSQL" if prepared.url.startswith("postgresql") else "SQLite"
    FIGURES.append(
        f"soak moderators on {label}: {ROUNDS} audits moderated by two moderators at once: "
        f"{ROUNDS} decisions saved, {ROUNDS} moderators told ({', '.join(outcomes)}), "
        f"0 lost; {stats.summary()}"
    )
    assert stats.server_errors == 0
    assert stats.errors == []
